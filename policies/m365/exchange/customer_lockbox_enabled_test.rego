package sspm.m365.exchange.customer_lockbox_enabled_test

import data.sspm.m365.exchange.customer_lockbox_enabled as check

KEY := "exo:Get-OrganizationConfig"

org(v) := {
	"Name": "contoso.onmicrosoft.com",
	"Identity": "contoso.onmicrosoft.com",
	"AuditDisabled": false,
	"CustomerLockBoxEnabled": v,
}

eval(v) := r if {
	r := check.result with input as {"resources": {KEY: v}}
}

test_pass_enabled if {
	r := eval([org(true)])
	r.status == "pass"
}

test_fail_disabled if {
	r := eval([org(false)])
	r.status == "fail"
	contains(r.reason, "CustomerLockBoxEnabled is false")
}

test_fail_string_false if {
	r := eval([org("False")])
	r.status == "fail"
}

test_error_when_missing_property if {
	r := eval([object.remove(org(true), ["CustomerLockBoxEnabled"])])
	r.status == "error"
	contains(r.reason, "CustomerLockBoxEnabled")
}

test_error_when_empty if {
	r := eval([])
	r.status == "error"
}

test_error_when_resource_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
}
