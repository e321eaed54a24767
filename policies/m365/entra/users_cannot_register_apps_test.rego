package sspm.m365.entra.users_cannot_register_apps_test

import data.sspm.m365.entra.users_cannot_register_apps as check

KEY := "graph:/v1.0/policies/authorizationPolicy"

# An authorizationPolicy as GET /v1.0/policies/authorizationPolicy returns it.
policy(allowed) := {
	"id": "authorizationPolicy",
	"displayName": "Authorization Policy",
	"allowInvitesFrom": "everyone",
	"allowedToSignUpEmailBasedSubscriptions": true,
	"allowEmailVerifiedUsersToJoinOrganization": false,
	"blockMsolPowerShell": false,
	"guestUserRoleId": "10dae51f-b6af-4016-8d66-8c2a99b929b3",
	"defaultUserRolePermissions": {
		"allowedToCreateApps": allowed,
		"allowedToCreateSecurityGroups": true,
		"allowedToCreateTenants": true,
		"allowedToReadOtherUsers": true,
		"allowedToReadBitlockerKeysForOwnedDevice": true,
		"permissionGrantPoliciesAssigned": ["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"],
	},
}

eval(p) := r if {
	r := check.result with input as {"resources": {KEY: p}}
}

test_pass_when_users_cannot_create_apps if {
	r := eval(policy(false))
	r.status == "pass"
	contains(r.reason, "allowedToCreateApps is false")
}

test_fail_when_users_can_create_apps if {
	r := eval(policy(true))
	r.status == "fail"
	contains(r.reason, "Every user can register applications")
}

test_error_when_field_missing if {
	p := object.remove(policy(true), ["defaultUserRolePermissions"])
	r := eval(p)
	r.status == "error"
	contains(r.reason, "defaultUserRolePermissions.allowedToCreateApps is missing or null")
}

test_error_when_field_not_boolean if {
	r := eval(policy("false"))
	r.status == "error"
	contains(r.reason, "expected a JSON boolean")
}

test_error_when_resource_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
	contains(r.reason, KEY)
}

test_error_when_resource_is_an_array if {
	r := eval([policy(false)])
	r.status == "error"
	contains(r.reason, "expected a JSON object")
}
