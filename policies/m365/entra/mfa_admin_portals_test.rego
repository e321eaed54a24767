package sspm.m365.entra.mfa_admin_portals_test

import data.sspm.m365.entra.mfa_admin_portals as check

KEY := "graph:/v1.0/identity/conditionalAccess/policies"

AZURE := "797f4846-ba00-4fd7-ba43-dac1f8f63013"

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

policy(id, apps, users) := {
	"id": id,
	"displayName": id,
	"state": "enabled",
	"conditions": {
		"userRiskLevels": [],
		"signInRiskLevels": [],
		"clientAppTypes": ["all"],
		"platforms": null,
		"locations": null,
		"devices": null,
		"applications": {"includeApplications": apps, "excludeApplications": [], "includeUserActions": [], "applicationFilter": null},
		"users": object.union({"includeUsers": [], "excludeUsers": [], "includeGroups": [], "excludeGroups": [], "includeRoles": [], "excludeRoles": [], "excludeGuestsOrExternalUsers": null}, users),
	},
	"grantControls": {"operator": "OR", "builtInControls": ["mfa"], "customAuthenticationFactors": [], "termsOfUse": [], "authenticationStrength": null},
}

all_users := {"includeUsers": ["All"]}

admins := {"includeRoles": CIS_ROLES}

eval(policies) := r if {
	r := check.result with input as {"resources": {KEY: policies}}
}

test_pass_all_resources_all_users if {
	r := eval([policy("MFA everyone", ["All"], all_users)])
	r.status == "pass"
	contains(r.reason, "Azure management (by 'MFA everyone')")
}

test_pass_two_targeted_policies if {
	r := eval([policy("Azure MFA", [AZURE], all_users), policy("Portals MFA", ["MicrosoftAdminPortals"], admins)])
	r.status == "pass"
	contains(r.reason, "Microsoft admin portals (by 'Portals MFA')")
}

test_fail_azure_policy_only_for_admin_roles if {
	r := eval([policy("Admin MFA", [AZURE, "MicrosoftAdminPortals"], admins)])
	r.status == "fail"
	contains(r.reason, "MFA is not required for Azure management without exclusions")
	contains(r.reason, "'Admin MFA' does not include all users")
	not contains(r.reason, "Microsoft admin portals:")
	r.offenders == [{"type": "conditionalAccessPolicy", "id": "Admin MFA", "name": "Admin MFA"}]
}

test_fail_all_resources_excluding_azure if {
	p := object.union(policy("MFA everyone", ["All"], all_users), {"conditions": {"applications": {"excludeApplications": [AZURE]}}})
	r := eval([p])
	r.status == "fail"
	contains(r.reason, "Azure management: no enabled policy requires MFA for it")
}

test_fail_excluded_group if {
	r := eval([policy("MFA everyone", ["All"], object.union(all_users, {"excludeGroups": ["g1"]}))])
	r.status == "fail"
	contains(r.reason, "Azure management and Microsoft admin portals")
	contains(r.reason, "excludes 1 group")
}

test_fail_no_mfa_grant if {
	p := object.union(policy("Compliant", ["All"], all_users), {"grantControls": {"builtInControls": ["compliantDevice"]}})
	r := eval([p])
	r.status == "fail"
	r.offenders == []
}

test_fail_report_only if {
	r := eval([object.union(policy("MFA everyone", ["All"], all_users), {"state": "enabledForReportingButNotEnforced"})])
	r.status == "fail"
	contains(r.reason, "report-only")
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
