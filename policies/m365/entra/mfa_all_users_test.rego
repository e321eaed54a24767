package sspm.m365.entra.mfa_all_users_test

import data.sspm.m365.entra.mfa_all_users as check

KEY := "graph:/v1.0/identity/conditionalAccess/policies"

good := {
	"id": "33333333-3333-3333-3333-333333333333",
	"displayName": "Require MFA for all users",
	"state": "enabled",
	"conditions": {
		"userRiskLevels": [],
		"signInRiskLevels": [],
		"clientAppTypes": ["all"],
		"platforms": null,
		"locations": null,
		"devices": null,
		"applications": {"includeApplications": ["All"], "excludeApplications": [], "applicationFilter": null},
		"users": {
			"includeUsers": ["All"],
			"excludeUsers": [],
			"includeGroups": [],
			"excludeGroups": [],
			"includeRoles": [],
			"excludeRoles": [],
			"excludeGuestsOrExternalUsers": null,
		},
	},
	"grantControls": {
		"operator": "OR",
		"builtInControls": ["mfa"],
		"customAuthenticationFactors": [],
		"termsOfUse": [],
		"authenticationStrength": null,
	},
}

# The built-in "Phishing-resistant MFA" strength as Graph returns it inline.
phishing_resistant := {
	"id": "00000000-0000-0000-0000-000000000004",
	"displayName": "Phishing-resistant MFA",
	"policyType": "builtIn",
	"requirementsSatisfied": "mfa",
	"allowedCombinations": ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"],
}

with_change(change) := object.union(good, change)

eval(policies) := r if {
	r := check.result with input as {"resources": {KEY: policies}}
}

test_pass_builtin_mfa if {
	r := eval([good])
	r.status == "pass"
	contains(r.reason, "'Require MFA for all users'")
}

test_pass_authentication_strength if {
	p := with_change({"grantControls": {"builtInControls": [], "authenticationStrength": phishing_resistant}})
	r := eval([p])
	r.status == "pass"
}

test_pass_strength_without_requirements_field if {
	s := {"id": "custom", "displayName": "Custom", "allowedCombinations": ["fido2"]}
	r := eval([with_change({"grantControls": {"builtInControls": [], "authenticationStrength": s}})])
	r.status == "pass"
}

test_pass_mfa_and_compliant_device if {
	r := eval([with_change({"grantControls": {"operator": "AND", "builtInControls": ["mfa", "compliantDevice"]}})])
	r.status == "pass"
}

test_fail_mfa_or_compliant_device if {
	r := eval([with_change({"grantControls": {"operator": "OR", "builtInControls": ["mfa", "compliantDevice"]}})])
	r.status == "fail"
	contains(r.reason, "lets users in with compliantDevice instead of MFA")
}

test_fail_report_only if {
	r := eval([with_change({"state": "enabledForReportingButNotEnforced"})])
	r.status == "fail"
	contains(r.reason, "report-only")
	some o in r.offenders
	o.id == good.id
}

test_fail_disabled if {
	r := eval([with_change({"state": "disabled"})])
	r.status == "fail"
}

test_fail_excluded_break_glass_user if {
	r := eval([with_change({"conditions": {"users": {"excludeUsers": ["breakglass-1", "breakglass-2"]}}})])
	r.status == "fail"
	contains(r.reason, "excludes 2 users")
}

test_fail_excluded_role if {
	r := eval([with_change({"conditions": {"users": {"excludeRoles": ["d29b2b05-8046-44ba-8758-1e26182fcf32"]}}})])
	r.status == "fail"
	contains(r.reason, "excludes 1 directory role")
}

test_fail_excluded_guests if {
	guests := {"guestOrExternalUserTypes": "internalGuest,b2bCollaborationGuest", "externalTenants": {"membershipKind": "all"}}
	r := eval([with_change({"conditions": {"users": {"excludeGuestsOrExternalUsers": guests}}})])
	r.status == "fail"
}

test_fail_admins_only if {
	r := eval([with_change({"conditions": {"users": {"includeUsers": [], "includeRoles": ["62e90394-69f5-4237-9190-012177145e10"]}}})])
	r.status == "fail"
	contains(r.reason, "does not include all users")
}

test_fail_strength_that_does_not_satisfy_mfa if {
	s := {"id": "weak", "displayName": "Password only", "requirementsSatisfied": "none", "allowedCombinations": ["password"]}
	r := eval([with_change({"grantControls": {"builtInControls": [], "authenticationStrength": s}})])
	r.status == "fail"
	contains(r.reason, "'Password only', which does not satisfy MFA")
}

test_fail_trusted_locations_excluded if {
	loc := {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}
	r := eval([with_change({"conditions": {"locations": loc}})])
	r.status == "fail"
	contains(r.reason, "network location")
}

test_fail_modern_clients_only if {
	r := eval([with_change({"conditions": {"clientAppTypes": ["browser", "mobileAppsAndDesktopClients"]}})])
	r.status == "fail"
	contains(r.reason, "client app types")
}

test_fail_only_risky_sign_ins if {
	r := eval([with_change({"conditions": {"signInRiskLevels": ["medium", "high"]}})])
	r.status == "fail"
	contains(r.reason, "sign-in risk levels medium, high")
}

test_fail_device_filter if {
	d := {"deviceFilter": {"mode": "exclude", "rule": "device.trustType -eq \"ServerAD\""}}
	r := eval([with_change({"conditions": {"devices": d}})])
	r.status == "fail"
	contains(r.reason, "device filter")
}

test_fail_no_mfa_policy if {
	block := with_change({"grantControls": {"builtInControls": ["block"]}, "conditions": {"clientAppTypes": ["other"]}})
	r := eval([block])
	r.status == "fail"
	contains(r.reason, "No conditional access policy requires MFA")
	count(r.offenders) == 0
}

test_pass_despite_report_only_sibling if {
	r := eval([with_change({"id": "x", "state": "enabledForReportingButNotEnforced"}), good])
	r.status == "pass"
}

test_error_when_resource_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
	contains(r.reason, KEY)
}

test_error_when_resource_is_an_object if {
	r := check.result with input as {"resources": {KEY: {"value": [good]}}}
	r.status == "error"
	contains(r.reason, "expected a JSON array")
}

weird := {
	"id": 5,
	"displayName": ["not", "a", "string"],
	"state": 3,
	"conditions": {
		"clientAppTypes": [1, "all"],
		"userRiskLevels": "high",
		"signInRiskLevels": [null],
		"locations": "everywhere",
		"users": "everyone",
		"applications": {"includeApplications": "All", "excludeApplications": 7},
	},
	"grantControls": {"operator": 5, "builtInControls": [null, "mfa", 3], "termsOfUse": "yes", "authenticationStrength": "strong"},
}

test_malformed_policy_fields_do_not_break_the_check if {
	r := eval([weird])
	r.status == "fail"
	r2 := eval([weird, good])
	r2.status == "pass"
}
