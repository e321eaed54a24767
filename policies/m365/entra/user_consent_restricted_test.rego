package sspm.m365.entra.user_consent_restricted_test

import data.sspm.m365.entra.user_consent_restricted as check

KEY := "graph:/v1.0/policies/authorizationPolicy"

policy(assigned) := {
	"id": "authorizationPolicy",
	"guestUserRoleId": "10dae51f-b6af-4016-8d66-8c2a99b929b3",
	"allowInvitesFrom": "adminsAndGuestInviters",
	"defaultUserRolePermissions": {
		"allowedToCreateApps": false,
		"allowedToCreateSecurityGroups": false,
		"allowedToReadOtherUsers": true,
		"permissionGrantPoliciesAssigned": assigned,
	},
}

owner_consent := [
	"ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team",
	"ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-chat",
]

eval(p) := r if {
	r := check.result with input as {"resources": {KEY: p}}
}

test_pass_when_no_policy_assigned if {
	r := eval(policy([]))
	r.status == "pass"
	contains(r.reason, "only administrators can consent")
}

test_pass_ignores_owned_resource_policies if {
	r := eval(policy(owner_consent))
	r.status == "pass"
}

test_fail_legacy_allow_all if {
	r := eval(policy(array.concat(owner_consent, ["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"])))
	r.status == "fail"
	count(r.offenders) == 1
	r.offenders[0].type == "permissionGrantPolicy"
	r.offenders[0].id == "ManagePermissionGrantsForSelf.microsoft-user-default-legacy"
	contains(r.offenders[0].name, "any application")
	contains(r.reason, "1 user consent policy is assigned")
}

test_fail_verified_publishers_low_impact if {
	r := eval(policy(["ManagePermissionGrantsForSelf.microsoft-user-default-low"]))
	r.status == "fail"
	contains(r.reason, "verified publishers")
}

test_fail_microsoft_managed if {
	r := eval(policy(["ManagePermissionGrantsForSelf.microsoft-user-default-recommended"]))
	r.status == "fail"
	contains(r.reason, "Microsoft-managed")
}

test_fail_custom_policy if {
	r := eval(policy(["ManagePermissionGrantsForSelf.contoso-approved-apps"]))
	r.status == "fail"
	contains(r.offenders[0].name, "custom user consent policy")
}

test_fail_lists_every_self_consent_policy if {
	r := eval(policy([
		"ManagePermissionGrantsForSelf.microsoft-user-default-low",
		"ManagePermissionGrantsForSelf.contoso-approved-apps",
	]))
	r.status == "fail"
	{o.id | some o in r.offenders} == {
		"ManagePermissionGrantsForSelf.microsoft-user-default-low",
		"ManagePermissionGrantsForSelf.contoso-approved-apps",
	}
	contains(r.reason, "2 user consent policies are assigned")
}

test_error_when_field_missing if {
	p := {"id": "authorizationPolicy", "defaultUserRolePermissions": {"allowedToCreateApps": false}}
	r := eval(p)
	r.status == "error"
	contains(r.reason, "permissionGrantPoliciesAssigned")
}

test_error_when_resource_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
	contains(r.reason, KEY)
}

test_error_when_resource_is_an_array if {
	r := eval([policy([])])
	r.status == "error"
}

test_error_when_field_is_not_an_array if {
	r := eval(policy("ManagePermissionGrantsForSelf.microsoft-user-default-legacy"))
	r.status == "error"
	contains(r.reason, "expected a JSON array")
}
