package sspm.m365.entra.guest_invites_limited_test

import data.sspm.m365.entra.guest_invites_limited as check

KEY := "graph:/v1.0/policies/authorizationPolicy"

policy(v) := {
	"id": "authorizationPolicy",
	"allowInvitesFrom": v,
	"guestUserRoleId": "10dae51f-b6af-4016-8d66-8c2a99b929b3",
	"defaultUserRolePermissions": {"allowedToCreateApps": false, "permissionGrantPoliciesAssigned": []},
}

eval(p) := r if {
	r := check.result with input as {"resources": {KEY: p}}
}

test_pass_admins_and_guest_inviters if {
	r := eval(policy("adminsAndGuestInviters"))
	r.status == "pass"
	contains(r.reason, "Guest Inviter role")
}

test_pass_none if {
	r := eval(policy("none"))
	r.status == "pass"
}

test_fail_all_members if {
	r := eval(policy("adminsGuestInvitersAndAllMembers"))
	r.status == "fail"
	contains(r.reason, "all member users")
}

test_fail_everyone if {
	r := eval(policy("everyone"))
	r.status == "fail"
	contains(r.reason, "including guest users")
}

test_fail_unknown_value if {
	r := eval(policy("unknownFutureValue"))
	r.status == "fail"
	contains(r.reason, "unrecognised")
}

test_error_when_field_missing if {
	r := eval({"id": "authorizationPolicy", "guestUserRoleId": "10dae51f-b6af-4016-8d66-8c2a99b929b3"})
	r.status == "error"
	contains(r.reason, "allowInvitesFrom is missing or null")
}

test_error_when_resource_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
	contains(r.reason, KEY)
}

test_error_when_resource_is_not_an_object if {
	r := eval("authorizationPolicy")
	r.status == "error"
	contains(r.reason, "malformed")
}
