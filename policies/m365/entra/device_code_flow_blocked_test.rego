package sspm.m365.entra.device_code_flow_blocked_test

import data.sspm.m365.entra.device_code_flow_blocked as check

KEY := "graph:/v1.0/identity/conditionalAccess/policies"

good := {
	"id": "88888888-8888-8888-8888-888888888888",
	"displayName": "Block device code flow",
	"state": "enabled",
	"conditions": {
		"userRiskLevels": [],
		"signInRiskLevels": [],
		"clientAppTypes": ["all"],
		"platforms": null,
		"locations": null,
		"devices": null,
		"authenticationFlows": {"transferMethods": "deviceCodeFlow"},
		"applications": {"includeApplications": ["All"], "excludeApplications": [], "includeUserActions": [], "applicationFilter": null},
		"users": {"includeUsers": ["All"], "excludeUsers": [], "includeGroups": [], "excludeGroups": [], "includeRoles": [], "excludeRoles": [], "excludeGuestsOrExternalUsers": null},
	},
	"grantControls": {"operator": "OR", "builtInControls": ["block"], "customAuthenticationFactors": [], "termsOfUse": [], "authenticationStrength": null},
}

eval(policies) := r if {
	r := check.result with input as {"resources": {KEY: policies}}
}

test_pass_blocks_device_code if {
	r := eval([good])
	r.status == "pass"
	contains(r.reason, "'Block device code flow'")
}

test_pass_blocks_both_transfer_methods if {
	r := eval([object.union(good, {"conditions": {"authenticationFlows": {"transferMethods": "deviceCodeFlow,authenticationTransfer"}}})])
	r.status == "pass"
}

test_fail_only_authentication_transfer if {
	r := eval([object.union(good, {"conditions": {"authenticationFlows": {"transferMethods": "authenticationTransfer"}}})])
	r.status == "fail"
	r.offenders == []
}

test_fail_requires_mfa_instead_of_block if {
	r := eval([object.union(good, {"grantControls": {"builtInControls": ["mfa"]}})])
	r.status == "fail"
	contains(r.reason, "does not block access")
}

test_fail_excludes_group if {
	r := eval([object.union(good, {"conditions": {"users": {"excludeGroups": ["g-devices"]}}})])
	r.status == "fail"
	contains(r.reason, "excludes 1 group")
	r.offenders == [{"type": "conditionalAccessPolicy", "id": good.id, "name": good.displayName}]
}

test_fail_report_only if {
	r := eval([object.union(good, {"state": "enabledForReportingButNotEnforced"})])
	r.status == "fail"
	contains(r.reason, "report-only")
}

test_fail_no_policies if {
	r := eval([])
	r.status == "fail"
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
