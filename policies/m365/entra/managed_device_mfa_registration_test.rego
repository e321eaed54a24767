package sspm.m365.entra.managed_device_mfa_registration_test

import data.sspm.m365.entra.managed_device_mfa_registration as check

KEY := "graph:/v1.0/identity/conditionalAccess/policies"

good := {
	"id": "77777777-7777-7777-7777-777777777777",
	"displayName": "Register security info from managed devices",
	"state": "enabled",
	"conditions": {
		"userRiskLevels": [],
		"signInRiskLevels": [],
		"clientAppTypes": ["all"],
		"platforms": null,
		"locations": null,
		"devices": null,
		"applications": {"includeApplications": [], "excludeApplications": [], "includeUserActions": ["urn:user:registersecurityinfo"], "applicationFilter": null},
		"users": {"includeUsers": ["All"], "excludeUsers": [], "includeGroups": [], "excludeGroups": [], "includeRoles": [], "excludeRoles": [], "excludeGuestsOrExternalUsers": null},
	},
	"grantControls": {"operator": "OR", "builtInControls": ["compliantDevice", "domainJoinedDevice"], "customAuthenticationFactors": [], "termsOfUse": [], "authenticationStrength": null},
}

eval(policies) := r if {
	r := check.result with input as {"resources": {KEY: policies}}
}

test_pass_user_action_with_managed_device if {
	r := eval([good])
	r.status == "pass"
	contains(r.reason, "register security information")
}

test_fail_mfa_instead_of_device if {
	r := eval([object.union(good, {"grantControls": {"builtInControls": ["mfa"]}})])
	r.status == "fail"
	contains(r.reason, "does not require a compliant or Microsoft Entra hybrid joined device (grant controls: mfa)")
}

test_fail_trusted_location_exclusion if {
	loc := {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}
	r := eval([object.union(good, {"conditions": {"locations": loc}})])
	r.status == "fail"
	contains(r.reason, "network location")
}

test_fail_not_all_users if {
	r := eval([object.union(good, {"conditions": {"users": {"includeUsers": [], "includeGroups": ["g1"]}}})])
	r.status == "fail"
	contains(r.reason, "does not include all users")
}

test_fail_report_only if {
	r := eval([object.union(good, {"state": "enabledForReportingButNotEnforced"})])
	r.status == "fail"
}

test_fail_device_policy_for_apps_only if {
	apps := object.union(good, {"conditions": {"applications": {"includeApplications": ["All"], "includeUserActions": []}}})
	r := eval([apps])
	r.status == "fail"
	r.offenders == []
}

test_error_when_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
}

test_error_when_object if {
	r := eval(good)
	r.status == "error"
	contains(r.reason, "malformed")
}
