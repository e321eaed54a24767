package sspm.m365.entra.managed_device_required_test

import data.sspm.m365.entra.managed_device_required as check

KEY := "graph:/v1.0/identity/conditionalAccess/policies"

good := {
	"id": "66666666-6666-6666-6666-666666666666",
	"displayName": "Require managed device",
	"state": "enabled",
	"conditions": {
		"userRiskLevels": [],
		"signInRiskLevels": [],
		"clientAppTypes": ["all"],
		"platforms": null,
		"locations": null,
		"devices": null,
		"applications": {"includeApplications": ["All"], "excludeApplications": [], "includeUserActions": [], "applicationFilter": null},
		"users": {"includeUsers": ["All"], "excludeUsers": [], "includeGroups": [], "excludeGroups": [], "includeRoles": [], "excludeRoles": [], "excludeGuestsOrExternalUsers": null},
	},
	"grantControls": {"operator": "OR", "builtInControls": ["compliantDevice", "domainJoinedDevice"], "customAuthenticationFactors": [], "termsOfUse": [], "authenticationStrength": null},
}

grant(operator, controls) := object.union(good, {"grantControls": {"operator": operator, "builtInControls": controls}})

eval(policies) := r if {
	r := check.result with input as {"resources": {KEY: policies}}
}

test_pass_compliant_or_hybrid_joined if {
	r := eval([good])
	r.status == "pass"
	contains(r.reason, "'Require managed device'")
}

test_pass_compliant_only if {
	r := eval([grant("OR", ["compliantDevice"])])
	r.status == "pass"
}

test_pass_mfa_and_compliant if {
	r := eval([grant("AND", ["mfa", "compliantDevice"])])
	r.status == "pass"
}

test_fail_mfa_or_compliant if {
	r := eval([grant("OR", ["mfa", "compliantDevice"])])
	r.status == "fail"
	contains(r.reason, "lets users in with mfa instead of a managed device")
	r.offenders[0].id == good.id
}

test_fail_excluded_users if {
	r := eval([object.union(good, {"conditions": {"users": {"excludeUsers": ["u1", "u2"]}}})])
	r.status == "fail"
	contains(r.reason, "excludes 2 users")
}

test_fail_limited_to_platforms if {
	r := eval([object.union(good, {"conditions": {"platforms": {"includePlatforms": ["windows"], "excludePlatforms": []}}})])
	r.status == "fail"
	contains(r.reason, "device platforms")
}

test_fail_no_device_policy if {
	r := eval([grant("OR", ["mfa"])])
	r.status == "fail"
	r.offenders == []
	contains(r.reason, "No conditional access policy requires a compliant or hybrid joined device")
}

test_error_when_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
	contains(r.reason, KEY)
}

test_error_when_object if {
	r := eval({"value": []})
	r.status == "error"
}
