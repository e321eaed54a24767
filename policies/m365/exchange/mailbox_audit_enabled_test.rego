package sspm.m365.exchange.mailbox_audit_enabled_test

import data.sspm.m365.exchange.mailbox_audit_enabled as check

KEY := "exo:Get-OrganizationConfig"

# As Get-OrganizationConfig returns it through the InvokeCommand endpoint.
org(disabled) := {
	"Name": "contoso.onmicrosoft.com",
	"Identity": "contoso.onmicrosoft.com",
	"AuditDisabled": disabled,
	"OAuth2ClientProfileEnabled": true,
	"CustomerLockBoxEnabled": false,
	"MailTipsAllTipsEnabled": true,
}

eval(v) := r if {
	r := check.result with input as {"resources": {KEY: v}}
}

test_pass_audit_enabled if {
	r := eval([org(false)])
	r.status == "pass"
	contains(r.reason, "AuditDisabled is false")
}

test_pass_string_false if {
	r := eval([org("False")])
	r.status == "pass"
}

test_fail_audit_disabled if {
	r := eval([org(true)])
	r.status == "fail"
	contains(r.reason, "AuditDisabled is true")
	r.offenders == []
}

test_error_when_property_missing if {
	r := eval([object.remove(org(false), ["AuditDisabled"])])
	r.status == "error"
	contains(r.reason, "AuditDisabled is missing or null")
}

test_error_when_property_not_boolean if {
	r := eval([org(0)])
	r.status == "error"
	contains(r.reason, "expected true or false")
}

test_error_when_empty if {
	r := eval([])
	r.status == "error"
	contains(r.reason, "empty result")
}

test_error_when_resource_failed if {
	f := {"status": 403, "code": "Forbidden", "message": "The user is not assigned a role", "needs": "Exchange.ManageAsApp; View-Only Configuration"}
	r := check.result with input as {"resources": {}, "failures": {KEY: f}}
	r.status == "error"
	contains(r.reason, KEY)
	contains(r.reason, "View-Only Configuration")
}

test_error_when_resource_is_an_object if {
	r := eval(org(false))
	r.status == "error"
	contains(r.reason, "expected a JSON array")
}
