package sspm.m365.entra.security_defaults_or_conditional_access_test

import data.sspm.m365.entra.security_defaults_or_conditional_access as check

KEY := "graph:/v1.0/policies/identitySecurityDefaultsEnforcementPolicy"

CA := "graph:/v1.0/identity/conditionalAccess/policies"

defaults(enabled) := {
	"id": "00000000-0000-0000-0000-000000000005",
	"displayName": "Security Defaults",
	"description": "Security defaults is a set of basic identity security mechanisms recommended by Microsoft.",
	"isEnabled": enabled,
}

policy(name, state) := {
	"id": name,
	"displayName": name,
	"state": state,
	"conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}, "clientAppTypes": ["all"]},
	"grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
}

eval(d, policies) := r if {
	r := check.result with input as {"resources": {KEY: d, CA: policies}}
}

test_pass_conditional_access_in_use if {
	r := eval(defaults(false), [policy("MFA", "enabled"), policy("Old", "disabled")])
	r.status == "pass"
	contains(r.reason, "1 conditional access policy is enabled")
}

test_pass_security_defaults_only if {
	r := eval(defaults(true), [policy("Draft", "enabledForReportingButNotEnforced")])
	r.status == "pass"
	contains(r.reason, "relies on security defaults")
}

test_fail_neither if {
	r := eval(defaults(false), [policy("Draft", "enabledForReportingButNotEnforced"), policy("Old", "disabled")])
	r.status == "fail"
	contains(r.reason, "1 policy in report-only mode")
	r.offenders == [{"type": "identitySecurityDefaultsEnforcementPolicy", "id": "00000000-0000-0000-0000-000000000005", "name": "Security defaults"}]
}

test_fail_no_policies_at_all if {
	r := eval(defaults(false), [])
	r.status == "fail"
	not contains(r.reason, "report-only")
}

test_fail_both if {
	r := eval(defaults(true), [policy("A", "enabled"), policy("B", "enabled")])
	r.status == "fail"
	contains(r.reason, "2 conditional access policies are also enabled")
}

test_error_when_is_enabled_missing if {
	r := eval(object.remove(defaults(true), ["isEnabled"]), [])
	r.status == "error"
	contains(r.reason, "isEnabled")
}

test_error_when_ca_failed if {
	f := {"status": 403, "code": "Authorization_RequestDenied", "message": "Insufficient privileges", "needs": "Policy.Read.All"}
	r := check.result with input as {"resources": {KEY: defaults(false)}, "failures": {CA: f}}
	r.status == "error"
	contains(r.reason, CA)
}

test_error_when_defaults_missing if {
	r := check.result with input as {"resources": {CA: []}}
	r.status == "error"
	contains(r.reason, KEY)
}

test_error_when_defaults_is_array if {
	r := eval([defaults(true)], [])
	r.status == "error"
}
