package sspm.m365.exchange.smtp_auth_disabled_test

import data.sspm.m365.exchange.smtp_auth_disabled as check

KEY := "exo:Get-TransportConfig"

# As Get-TransportConfig returns it.
transport(v) := {
	"Name": "Transport Settings",
	"Identity": "Transport Settings",
	"SmtpClientAuthenticationDisabled": v,
	"MaxSendSize": "35 MB (36,700,160 bytes)",
}

eval(v) := r if {
	r := check.result with input as {"resources": {KEY: v}}
}

test_pass_disabled if {
	r := eval([transport(true)])
	r.status == "pass"
}

test_fail_enabled if {
	r := eval([transport(false)])
	r.status == "fail"
	contains(r.reason, "SmtpClientAuthenticationDisabled is false")
}

test_error_when_null if {
	r := eval([transport(null)])
	r.status == "error"
	contains(r.reason, "missing or null")
}

test_error_when_empty if {
	r := eval([])
	r.status == "error"
}

test_error_when_resource_failed if {
	r := check.result with input as {"resources": {}, "failures": {KEY: {"status": 401, "code": "Unauthorized", "message": "", "needs": "Exchange.ManageAsApp"}}}
	r.status == "error"
	contains(r.reason, "Exchange.ManageAsApp")
}
