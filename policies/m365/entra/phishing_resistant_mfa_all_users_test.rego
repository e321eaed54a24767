package sspm.m365.entra.phishing_resistant_mfa_all_users_test

import data.sspm.m365.entra.phishing_resistant_mfa_all_users as check

KEY := "graph:/v1.0/identity/conditionalAccess/policies"

# The built-in "Phishing-resistant MFA" strength as Graph returns it inline.
phishing_resistant := {
	"id": "00000000-0000-0000-0000-000000000004",
	"displayName": "Phishing-resistant MFA",
	"policyType": "builtIn",
	"requirementsSatisfied": "mfa",
	"allowedCombinations": ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"],
}

multifactor := {
	"id": "00000000-0000-0000-0000-000000000002",
	"displayName": "Multifactor authentication",
	"policyType": "builtIn",
	"requirementsSatisfied": "mfa",
	"allowedCombinations": ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor", "password,microsoftAuthenticatorPush", "password,sms"],
}

good := {
	"id": "44444444-4444-4444-4444-444444444444",
	"displayName": "Require phishing-resistant MFA",
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
		"builtInControls": [],
		"customAuthenticationFactors": [],
		"termsOfUse": [],
		"authenticationStrength": phishing_resistant,
	},
}

with_change(change) := object.union(good, change)

eval(policies) := r if {
	r := check.result with input as {"resources": {KEY: policies}}
}

test_pass_phishing_resistant_strength if {
	r := eval([good])
	r.status == "pass"
	contains(r.reason, "'Require phishing-resistant MFA'")
}

test_pass_custom_strength_with_fido2_only if {
	s := {"id": "custom-1", "displayName": "FIDO2 only", "policyType": "custom", "requirementsSatisfied": "mfa", "allowedCombinations": ["fido2"]}
	r := eval([with_change({"grantControls": {"authenticationStrength": s}})])
	r.status == "pass"
}

test_fail_plain_mfa if {
	r := eval([with_change({"grantControls": {"builtInControls": ["mfa"], "authenticationStrength": null}})])
	r.status == "fail"
	contains(r.reason, "does not require an authentication strength")
	r.offenders == [{"type": "conditionalAccessPolicy", "id": good.id, "name": good.displayName}]
}

test_fail_strength_allows_weak_methods if {
	r := eval([with_change({"grantControls": {"authenticationStrength": multifactor}})])
	r.status == "fail"
	contains(r.reason, "password,sms")
	contains(r.reason, "not phishing-resistant")
}

test_fail_strength_or_compliant_device if {
	r := eval([with_change({"grantControls": {"operator": "OR", "builtInControls": ["compliantDevice"]}})])
	r.status == "fail"
	contains(r.reason, "lets users in with compliantDevice")
}

test_pass_strength_and_compliant_device if {
	r := eval([with_change({"grantControls": {"operator": "AND", "builtInControls": ["compliantDevice"]}})])
	r.status == "pass"
}

test_fail_report_only if {
	r := eval([with_change({"state": "enabledForReportingButNotEnforced"})])
	r.status == "fail"
	contains(r.reason, "report-only")
}

test_fail_excluded_group if {
	r := eval([with_change({"conditions": {"users": {"excludeGroups": ["g1"]}}})])
	r.status == "fail"
	contains(r.reason, "excludes 1 group")
}

test_fail_strength_without_combinations if {
	r := eval([with_change({"grantControls": {"authenticationStrength": {"id": "x", "displayName": "Opaque", "allowedCombinations": null}}})])
	r.status == "fail"
	contains(r.reason, "not in the snapshot")
}

test_fail_no_related_policy if {
	block := with_change({"grantControls": {"builtInControls": ["block"], "authenticationStrength": null}})
	r := eval([block])
	r.status == "fail"
	r.offenders == []
}

test_pass_one_good_among_others if {
	other := object.union(with_change({"grantControls": {"builtInControls": ["mfa"], "authenticationStrength": null}}), {"id": "o", "displayName": "MFA"})
	r := eval([other, good])
	r.status == "pass"
}

test_error_when_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
	contains(r.reason, KEY)
}

test_error_when_not_an_array if {
	r := eval({"value": [good]})
	r.status == "error"
	contains(r.reason, "malformed")
}
