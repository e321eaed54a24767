package sspm.m365.entra.phishing_resistant_mfa_admins_test

import data.sspm.m365.entra.phishing_resistant_mfa_admins as check

KEY := "graph:/v1.0/identity/conditionalAccess/policies"

ROLES := [
	"62e90394-69f5-4237-9190-012177145e10",
	"e8611ab8-c189-46e8-94e1-60213ab1f814",
	"fe930be7-5e62-47db-91af-98c3a49a38b1",
	"f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
	"29232cdf-9323-42fd-ade2-1d097af3e4de",
	"8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2",
	"9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
	"158c047a-c907-4556-b7ef-446551a6b5f7",
]

phishing_resistant := {
	"id": "00000000-0000-0000-0000-000000000004",
	"displayName": "Phishing-resistant MFA",
	"policyType": "builtIn",
	"requirementsSatisfied": "mfa",
	"allowedCombinations": ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"],
}

good := {
	"id": "55555555-5555-5555-5555-555555555555",
	"displayName": "Admins: phishing-resistant MFA",
	"state": "enabled",
	"conditions": {
		"userRiskLevels": [],
		"signInRiskLevels": [],
		"clientAppTypes": ["all"],
		"platforms": null,
		"locations": null,
		"devices": null,
		"applications": {"includeApplications": ["All"], "excludeApplications": [], "includeUserActions": [], "applicationFilter": null},
		"users": {
			"includeUsers": [],
			"excludeUsers": [],
			"includeGroups": [],
			"excludeGroups": [],
			"includeRoles": ROLES,
			"excludeRoles": [],
			"excludeGuestsOrExternalUsers": null,
		},
	},
	"grantControls": {"operator": "OR", "builtInControls": [], "customAuthenticationFactors": [], "termsOfUse": [], "authenticationStrength": phishing_resistant},
}

with_users(change) := object.union(good, {"conditions": {"users": change}})

eval(policies) := r if {
	r := check.result with input as {"resources": {KEY: policies}}
}

test_pass_all_roles_included if {
	r := eval([good])
	r.status == "pass"
	contains(r.reason, "'Admins: phishing-resistant MFA'")
}

test_pass_all_users_policy if {
	r := eval([with_users({"includeUsers": ["All"], "includeRoles": []})])
	r.status == "pass"
}

test_pass_role_ids_in_upper_case if {
	r := eval([with_users({"includeRoles": [upper(x) | some x in ROLES]})])
	r.status == "pass"
}

test_fail_missing_role if {
	r := eval([with_users({"includeRoles": array.slice(ROLES, 0, 7)})])
	r.status == "fail"
	contains(r.reason, "does not include 1 required role: Cloud Application Administrator")
	count(r.offenders) == 1
}

test_fail_excluded_role if {
	r := eval([with_users({"excludeRoles": ["62e90394-69f5-4237-9190-012177145e10"]})])
	r.status == "fail"
	contains(r.reason, "excludes 1 directory role")
}

test_fail_plain_mfa if {
	r := eval([object.union(good, {"grantControls": {"builtInControls": ["mfa"], "authenticationStrength": null}})])
	r.status == "fail"
	contains(r.reason, "does not require an authentication strength")
}

test_fail_disabled if {
	r := eval([object.union(good, {"state": "disabled"})])
	r.status == "fail"
	contains(r.reason, "is disabled")
}

test_fail_not_all_apps if {
	r := eval([object.union(good, {"conditions": {"applications": {"includeApplications": ["797f4846-ba00-4fd7-ba43-dac1f8f63013"]}}})])
	r.status == "fail"
	contains(r.reason, "does not target all resources")
}

test_fail_unrelated_policy_only if {
	other := with_users({"includeRoles": [], "includeGroups": ["g1"]})
	r := eval([other])
	r.status == "fail"
	r.offenders == []
}

test_error_when_missing if {
	f := {"status": 403, "code": "Authorization_RequestDenied", "message": "Insufficient privileges", "needs": "Policy.Read.All"}
	r := check.result with input as {"resources": {}, "failures": {KEY: f}}
	r.status == "error"
	contains(r.reason, "Policy.Read.All")
}

test_error_when_not_an_array if {
	r := eval(good)
	r.status == "error"
}
