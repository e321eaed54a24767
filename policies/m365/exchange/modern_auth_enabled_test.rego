package sspm.m365.exchange.modern_auth_enabled_test

import data.sspm.m365.exchange.modern_auth_enabled as check

KEY := "exo:Get-OrganizationConfig"

org(v) := {
	"Name": "contoso.onmicrosoft.com",
	"Identity": "contoso.onmicrosoft.com",
	"AuditDisabled": false,
	"OAuth2ClientProfileEnabled": v,
}

eval(v) := r if {
	r := check.result with input as {"resources": {KEY: v}}
}

test_pass_enabled if {
	r := eval([org(true)])
	r.status == "pass"
}

test_pass_string_true if {
	r := eval([org("True")])
	r.status == "pass"
}

test_fail_disabled if {
	r := eval([org(false)])
	r.status == "fail"
	contains(r.reason, "OAuth2ClientProfileEnabled is false")
}

test_error_when_missing_property if {
	r := eval([object.remove(org(true), ["OAuth2ClientProfileEnabled"])])
	r.status == "error"
	contains(r.reason, "OAuth2ClientProfileEnabled is missing or null")
}

test_error_when_empty if {
	r := eval([])
	r.status == "error"
}

test_error_when_resource_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
	contains(r.reason, KEY)
}
