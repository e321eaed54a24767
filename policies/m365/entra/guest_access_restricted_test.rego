package sspm.m365.entra.guest_access_restricted_test

import data.sspm.m365.entra.guest_access_restricted as check

KEY := "graph:/v1.0/policies/authorizationPolicy"

policy(role) := {
	"id": "authorizationPolicy",
	"allowInvitesFrom": "everyone",
	"guestUserRoleId": role,
	"defaultUserRolePermissions": {"allowedToCreateApps": true, "permissionGrantPoliciesAssigned": []},
}

eval(p) := r if {
	r := check.result with input as {"resources": {KEY: p}}
}

test_pass_restricted if {
	r := eval(policy("2af84b1e-32c8-42b7-82bc-daa82404023b"))
	r.status == "pass"
	contains(r.reason, "most restrictive")
}

test_pass_limited if {
	r := eval(policy("10dae51f-b6af-4016-8d66-8c2a99b929b3"))
	r.status == "pass"
	contains(r.reason, "limited")
}

test_pass_is_case_insensitive if {
	r := eval(policy("10DAE51F-B6AF-4016-8D66-8C2A99B929B3"))
	r.status == "pass"
}

test_fail_same_as_members if {
	r := eval(policy("a0b1b346-4d3e-4e8b-98f8-753987be4970"))
	r.status == "fail"
	contains(r.reason, "the same access as member users")
}

test_fail_unknown_role if {
	r := eval(policy("00000000-0000-0000-0000-000000000000"))
	r.status == "fail"
	contains(r.reason, "unknown role")
}

test_error_when_field_missing if {
	r := eval({"id": "authorizationPolicy"})
	r.status == "error"
	contains(r.reason, "guestUserRoleId")
}

test_error_when_field_not_a_string if {
	r := eval(policy(42))
	r.status == "error"
}

test_error_when_resource_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
	contains(r.reason, KEY)
}

test_error_when_resource_is_an_array if {
	r := eval([policy("2af84b1e-32c8-42b7-82bc-daa82404023b")])
	r.status == "error"
}
