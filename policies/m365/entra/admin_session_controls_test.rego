package sspm.m365.entra.admin_session_controls_test

import data.sspm.m365.entra.admin_session_controls as check

KEY := "graph:/v1.0/identity/conditionalAccess/policies"

CIS_ROLES := [
	"9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
	"c4e39bd9-1100-46d3-8c65-fb160da0071f",
	"b0f54661-2d74-4c50-afa3-1ec803f12efe",
	"158c047a-c907-4556-b7ef-446551a6b5f7",
	"b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
	"29232cdf-9323-42fd-ade2-1d097af3e4de",
	"62e90394-69f5-4237-9190-012177145e10",
	"f2ef992c-3afb-46b9-b7cf-a126ee74c451",
	"729827e3-9c14-49f7-bb1b-9608f156bbb8",
	"966707d0-3269-4727-9be2-8c3a10f19b9d",
	"7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
	"e8611ab8-c189-46e8-94e1-60213ab1f814",
	"194ae4cb-b126-40b2-bd5b-6091b380977d",
	"f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
	"fe930be7-5e62-47db-91af-98c3a49a38b1",
]

# CIS_ROLES without Global Reader.
without_reader := [r | some r in CIS_ROLES; r != "f2ef992c-3afb-46b9-b7cf-a126ee74c451"]

good := {
	"id": "99999999-9999-9999-9999-999999999999",
	"displayName": "Admins policy",
	"state": "enabled",
	"conditions": {
		"userRiskLevels": [],
		"signInRiskLevels": [],
		"clientAppTypes": ["all"],
		"platforms": null,
		"locations": null,
		"devices": null,
		"applications": {"includeApplications": ["All"], "excludeApplications": [], "includeUserActions": [], "applicationFilter": null},
		"users": {"includeUsers": [], "excludeUsers": [], "includeGroups": [], "excludeGroups": [], "includeRoles": CIS_ROLES, "excludeRoles": [], "excludeGuestsOrExternalUsers": null},
	},
	"grantControls": {"operator": "OR", "builtInControls": ["mfa"], "customAuthenticationFactors": [], "termsOfUse": [], "authenticationStrength": null},
	"sessionControls": {"applicationEnforcedRestrictions": null, "cloudAppSecurity": null, "continuousAccessEvaluation": null, "disableResilienceDefaults": null, "signInFrequency": {"value": 4, "type": "hours", "authenticationType": "primaryAndSecondaryAuthentication", "frequencyInterval": "timeBased", "isEnabled": true}, "persistentBrowser": {"mode": "never", "isEnabled": true}},
}

with_users(change) := object.union(good, {"conditions": {"users": change}})

eval(policies) := r if {
	r := check.result with input as {"resources": {KEY: policies}}
}

frequency(change) := object.union(good, {"sessionControls": {"signInFrequency": change}})

test_pass_four_hours_never_persistent if {
	r := eval([good])
	r.status == "pass"
	contains(r.reason, "'Admins policy'")
}

test_pass_every_time if {
	r := eval([frequency({"value": null, "type": null, "frequencyInterval": "everyTime"})])
	r.status == "pass"
}

test_fail_eight_hours if {
	r := eval([frequency({"value": 8})])
	r.status == "fail"
	contains(r.reason, "asks for sign-in only every 8 hours (more than 4 hours)")
}

test_fail_one_day if {
	r := eval([frequency({"value": 1, "type": "days"})])
	r.status == "fail"
	contains(r.reason, "every 1 days")
}

test_fail_frequency_disabled if {
	r := eval([frequency({"isEnabled": false})])
	r.status == "fail"
	contains(r.reason, "does not set a sign-in frequency")
}

test_fail_persistent_browser_always if {
	r := eval([object.union(good, {"sessionControls": {"persistentBrowser": {"mode": "always"}}})])
	r.status == "fail"
	contains(r.reason, "never persistent")
}

test_fail_missing_role if {
	r := eval([with_users({"includeRoles": without_reader})])
	r.status == "fail"
	contains(r.reason, "Global Reader")
}

test_fail_report_only if {
	r := eval([object.union(good, {"state": "enabledForReportingButNotEnforced"})])
	r.status == "fail"
}

test_fail_without_session_controls if {
	r := eval([object.union(good, {"sessionControls": null})])
	r.status == "fail"
	r.offenders == []
}

test_error_when_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
	contains(r.reason, KEY)
}

test_error_when_object if {
	r := eval(good)
	r.status == "error"
}
