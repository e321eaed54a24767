package sspm.m365.entra.legacy_auth_blocked_test

import data.sspm.m365.entra.legacy_auth_blocked as check

KEY := "graph:/v1.0/identity/conditionalAccess/policies"

# A compliant policy as Graph v1.0 returns it; tests override parts with object.union.
good := {
	"id": "11111111-1111-1111-1111-111111111111",
	"displayName": "Block legacy authentication",
	"state": "enabled",
	"conditions": {
		"userRiskLevels": [],
		"signInRiskLevels": [],
		"clientAppTypes": ["exchangeActiveSync", "other"],
		"platforms": null,
		"locations": null,
		"devices": null,
		"clientApplications": null,
		"applications": {
			"includeApplications": ["All"],
			"excludeApplications": [],
			"includeUserActions": [],
			"applicationFilter": null,
		},
		"users": {
			"includeUsers": ["All"],
			"excludeUsers": [],
			"includeGroups": [],
			"excludeGroups": [],
			"includeRoles": [],
			"excludeRoles": [],
			"includeGuestsOrExternalUsers": null,
			"excludeGuestsOrExternalUsers": null,
		},
	},
	"grantControls": {
		"operator": "OR",
		"builtInControls": ["block"],
		"customAuthenticationFactors": [],
		"termsOfUse": [],
		"authenticationStrength": null,
	},
	"sessionControls": null,
}

with_change(change) := object.union(good, change)

eval(policies) := r if {
	r := check.result with input as {"resources": {KEY: policies}}
}

offender_ids(r) := {o.id | some o in r.offenders}

test_pass_blocking_policy if {
	r := eval([good])
	r.status == "pass"
	contains(r.reason, "'Block legacy authentication'")
	not r.offenders
}

test_pass_when_one_of_several_policies_complies if {
	report_only := with_change({"id": "p2", "displayName": "Old", "state": "enabledForReportingButNotEnforced"})
	r := eval([report_only, good])
	r.status == "pass"
}

test_pass_with_extra_client_app_types if {
	r := eval([with_change({"conditions": {"clientAppTypes": ["exchangeActiveSync", "other", "browser"]}})])
	r.status == "pass"
}

test_fail_report_only if {
	r := eval([with_change({"state": "enabledForReportingButNotEnforced"})])
	r.status == "fail"
	contains(r.reason, "report-only")
	offender_ids(r) == {good.id}
	r.offenders[0].type == "conditionalAccessPolicy"
	r.offenders[0].name == "Block legacy authentication"
}

test_fail_disabled if {
	r := eval([with_change({"state": "disabled"})])
	r.status == "fail"
	contains(r.reason, "is disabled")
}

test_fail_excluded_user if {
	r := eval([with_change({"conditions": {"users": {"excludeUsers": ["aaaaaaaa-0000-0000-0000-000000000001"]}}})])
	r.status == "fail"
	contains(r.reason, "excludes 1 user")
}

test_fail_excluded_groups if {
	r := eval([with_change({"conditions": {"users": {"excludeGroups": ["g1", "g2"]}}})])
	r.status == "fail"
	contains(r.reason, "excludes 2 groups")
}

test_fail_excluded_role if {
	r := eval([with_change({"conditions": {"users": {"excludeRoles": ["62e90394-69f5-4237-9190-012177145e10"]}}})])
	r.status == "fail"
	contains(r.reason, "excludes 1 directory role")
}

test_fail_excluded_guests if {
	guests := {"guestOrExternalUserTypes": "b2bCollaborationGuest", "externalTenants": {"membershipKind": "all"}}
	r := eval([with_change({"conditions": {"users": {"excludeGuestsOrExternalUsers": guests}}})])
	r.status == "fail"
	contains(r.reason, "excludes guests or external users")
}

test_fail_excluded_application if {
	r := eval([with_change({"conditions": {"applications": {"excludeApplications": ["00000002-0000-0ff1-ce00-000000000000"]}}})])
	r.status == "fail"
	contains(r.reason, "excludes 1 application")
}

test_fail_not_all_users if {
	r := eval([with_change({"conditions": {"users": {"includeUsers": [], "includeGroups": ["g1"]}}})])
	r.status == "fail"
	contains(r.reason, "does not include all users")
}

test_fail_not_all_apps if {
	r := eval([with_change({"conditions": {"applications": {"includeApplications": ["Office365"]}}})])
	r.status == "fail"
	contains(r.reason, "does not target all resources")
}

test_fail_missing_exchange_activesync if {
	r := eval([with_change({"conditions": {"clientAppTypes": ["other"]}})])
	r.status == "fail"
	contains(r.reason, "does not cover Exchange ActiveSync clients")
}

test_fail_grants_mfa_instead_of_block if {
	r := eval([with_change({"grantControls": {"builtInControls": ["mfa"]}})])
	r.status == "fail"
	contains(r.reason, "does not block access (grant controls: mfa)")
}

test_fail_location_exclusion if {
	loc := {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}
	r := eval([with_change({"conditions": {"locations": loc}})])
	r.status == "fail"
	contains(r.reason, "network location")
}

test_fail_platform_condition if {
	pl := {"includePlatforms": ["android", "iOS"], "excludePlatforms": []}
	r := eval([with_change({"conditions": {"platforms": pl}})])
	r.status == "fail"
	contains(r.reason, "device platforms")
}

test_all_platforms_and_locations_do_not_narrow if {
	pl := {"includePlatforms": ["all"], "excludePlatforms": []}
	loc := {"includeLocations": ["All"], "excludeLocations": []}
	r := eval([with_change({"conditions": {"platforms": pl, "locations": loc}})])
	r.status == "pass"
}

test_fail_no_policies if {
	r := eval([])
	r.status == "fail"
	contains(r.reason, "No conditional access policy targets the legacy client app types at all")
	count(r.offenders) == 0
}

test_fail_unrelated_policies_are_not_offenders if {
	mfa := with_change({"id": "mfa", "conditions": {"clientAppTypes": ["all"]}, "grantControls": {"builtInControls": ["mfa"]}})
	r := eval([mfa])
	r.status == "fail"
	count(r.offenders) == 0
}

test_fail_lists_every_near_miss if {
	a := with_change({"id": "a", "displayName": "A", "state": "disabled"})
	b := with_change({"id": "b", "displayName": "B", "conditions": {"users": {"excludeUsers": ["x"]}}})
	r := eval([a, b])
	r.status == "fail"
	offender_ids(r) == {"a", "b"}
	contains(r.reason, "2 related policies fall short")
}

test_non_object_items_are_ignored if {
	r := eval([null, "junk", good])
	r.status == "pass"
}

test_error_when_resource_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
	contains(r.reason, KEY)
	not r.offenders
}

test_error_when_resource_is_not_an_array if {
	r := check.result with input as {"resources": {KEY: {"value": [good]}}}
	r.status == "error"
	contains(r.reason, "malformed")
	contains(r.reason, KEY)
}

test_error_names_failed_call_and_permission if {
	f := {"status": 403, "code": "Authorization_RequestDenied", "message": "Insufficient privileges", "needs": "Policy.Read.All"}
	r := check.result with input as {"resources": {}, "failures": {KEY: f}}
	r.status == "error"
	contains(r.reason, "403")
	contains(r.reason, "Policy.Read.All")
}

test_error_when_input_has_no_resources if {
	r := check.result with input as {}
	r.status == "error"
}

test_malformed_policy_fields_do_not_break_the_check if {
	weird := {
		"id": ["x"],
		"state": null,
		"conditions": {"clientAppTypes": ["other", 7], "users": {"includeUsers": "All", "excludeUsers": "u1"}, "platforms": 3},
		"grantControls": {"operator": {}, "builtInControls": "block"},
	}
	r := eval([weird])
	r.status == "fail"
	count(r.offenders) == 1
}
