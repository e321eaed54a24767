package sspm.m365.entra.high_risk_signins_blocked_test

import data.sspm.m365.entra.high_risk_signins_blocked as check

KEY := "graph:/v1.0/identity/conditionalAccess/policies"

good := {
	"id": "22222222-2222-2222-2222-222222222222",
	"displayName": "Block high sign-in risk",
	"state": "enabled",
	"conditions": {
		"userRiskLevels": [],
		"signInRiskLevels": [],
		"clientAppTypes": ["all"],
		"platforms": null,
		"locations": null,
		"applications": {"includeApplications": ["All"], "excludeApplications": []},
		"users": {
			"includeUsers": ["All"],
			"excludeUsers": [],
			"includeGroups": [],
			"excludeGroups": [],
			"includeRoles": [],
			"excludeRoles": [],
			"excludeGuestsOrExternalUsers": null,
		},
		"signInRiskLevels": ["high"],
	},
	"grantControls": {"operator": "OR", "builtInControls": ["block"], "customAuthenticationFactors": [], "termsOfUse": []},
}

with_change(change) := object.union(good, change)

eval(policies) := r if {
	r := check.result with input as {"resources": {KEY: policies}}
}

test_pass_blocking_policy if {
	r := eval([good])
	r.status == "pass"
	contains(r.reason, "'Block high sign-in risk'")
}

test_pass_high_and_medium if {
	r := eval([with_change({"conditions": {"signInRiskLevels": ["medium", "high"]}})])
	r.status == "pass"
}

test_fail_report_only if {
	r := eval([with_change({"state": "enabledForReportingButNotEnforced"})])
	r.status == "fail"
	contains(r.reason, "report-only")
	r.offenders == [{"type": "conditionalAccessPolicy", "id": good.id, "name": good.displayName}]
}

test_fail_medium_only if {
	r := eval([with_change({"conditions": {"signInRiskLevels": ["medium"]}})])
	r.status == "fail"
	contains(r.reason, "does not include sign-in risk level high (only medium)")
}

test_fail_password_change_instead_of_block if {
	r := eval([with_change({"grantControls": {"operator": "AND", "builtInControls": ["mfa", "passwordChange"]}})])
	r.status == "fail"
	contains(r.reason, "does not block access (grant controls: mfa, passwordChange)")
}

test_fail_excluded_group if {
	r := eval([with_change({"conditions": {"users": {"excludeGroups": ["breakglass"]}}})])
	r.status == "fail"
	contains(r.reason, "excludes 1 group")
}

test_fail_not_all_apps if {
	r := eval([with_change({"conditions": {"applications": {"includeApplications": ["797f4846-ba00-4fd7-ba43-dac1f8f63013"]}}})])
	r.status == "fail"
	contains(r.reason, "does not target all resources")
}

test_fail_combined_with_userRiskLevels if {
	r := eval([with_change({"conditions": {"userRiskLevels": ["low"]}})])
	r.status == "fail"
	contains(r.reason, "applies only at")
}

test_fail_browser_only if {
	r := eval([with_change({"conditions": {"clientAppTypes": ["browser"]}})])
	r.status == "fail"
	contains(r.reason, "client app types browser")
}

test_fail_no_risk_policy if {
	mfa := with_change({"conditions": {"signInRiskLevels": []}, "grantControls": {"builtInControls": ["mfa"]}})
	r := eval([mfa])
	r.status == "fail"
	contains(r.reason, "No conditional access policy uses the sign-in risk condition")
	count(r.offenders) == 0
}

test_error_when_resource_missing if {
	r := check.result with input as {"resources": {"graph:/v1.0/domains": []}}
	r.status == "error"
	contains(r.reason, KEY)
}

test_error_when_resource_is_not_an_array if {
	r := check.result with input as {"resources": {KEY: "policies"}}
	r.status == "error"
	contains(r.reason, "malformed")
}
