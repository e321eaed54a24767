package sspm.m365.entra.users_cannot_create_tenants_test

import data.sspm.m365.entra.users_cannot_create_tenants as check

KEY := "graph:/v1.0/policies/authorizationPolicy"

# An authorizationPolicy as GET /v1.0/policies/authorizationPolicy returns it.
policy(allowed) := {
	"id": "authorizationPolicy",
	"displayName": "Authorization Policy",
	"description": "Used to manage authorization related settings across the company.",
	"allowInvitesFrom": "adminsAndGuestInviters",
	"allowedToSignUpEmailBasedSubscriptions": false,
	"allowedToUseSSPR": true,
	"allowEmailVerifiedUsersToJoinOrganization": false,
	"blockMsolPowerShell": false,
	"guestUserRoleId": "2af84b1e-32c8-42b7-82bc-daa82404023b",
	"defaultUserRolePermissions": {
		"allowedToCreateApps": false,
		"allowedToCreateSecurityGroups": true,
		"allowedToCreateTenants": allowed,
		"allowedToReadOtherUsers": true,
		"allowedToReadBitlockerKeysForOwnedDevice": true,
		"permissionGrantPoliciesAssigned": [],
	},
}

eval(p) := r if {
	r := check.result with input as {"resources": {KEY: p}}
}

test_pass_when_false if {
	r := eval(policy(false))
	r.status == "pass"
	contains(r.reason, "allowedToCreateTenants is false")
}

test_fail_when_true if {
	r := eval(policy(true))
	r.status == "fail"
	contains(r.reason, "can create new Microsoft Entra tenants")
	contains(r.reason, "allowedToCreateTenants is true")
	r.offenders == [{"type": "authorizationPolicy", "id": "authorizationPolicy", "name": "Authorization policy"}]
}

test_error_when_field_missing if {
	p := policy(false)
	r := eval(object.union(object.remove(p, ["defaultUserRolePermissions"]), {"defaultUserRolePermissions": object.remove(p.defaultUserRolePermissions, ["allowedToCreateTenants"])}))
	r.status == "error"
	contains(r.reason, "defaultUserRolePermissions.allowedToCreateTenants")
}

test_error_when_field_not_boolean if {
	r := eval(policy("false"))
	r.status == "error"
	contains(r.reason, "expected a JSON boolean")
}

test_error_when_call_failed if {
	f := {"status": 403, "code": "Authorization_RequestDenied", "message": "Insufficient privileges to complete the operation.", "needs": "Policy.Read.All"}
	r := check.result with input as {"resources": {}, "failures": {KEY: f}}
	r.status == "error"
	contains(r.reason, KEY)
	contains(r.reason, "Policy.Read.All")
}

test_error_when_resource_is_an_array if {
	r := eval([policy(false)])
	r.status == "error"
}
