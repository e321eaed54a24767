package sspm.m365.entra.privileged_assignments_through_pim_test

import data.sspm.m365.entra.privileged_assignments_through_pim as check

KEY := "graph:/v1.0/roleManagement/directory/roleAssignmentScheduleInstances"

USERS := "graph:/v1.0/users"

GROUPS := "graph:/v1.0/groups"

GA := "62e90394-69f5-4237-9190-012177145e10"

EXCHANGE := "29232cdf-9323-42fd-ade2-1d097af3e4de"

READER := "f2ef992c-3afb-46b9-b7cf-a126ee74c451"

# A unifiedRoleAssignmentScheduleInstance as Graph v1.0 returns it.
instance(principal, role, type, start, end) := {
	"id": sprintf("inst-%s-%s", [principal, role]),
	"principalId": principal,
	"roleDefinitionId": role,
	"directoryScopeId": "/",
	"appScopeId": null,
	"startDateTime": start,
	"endDateTime": end,
	"assignmentType": type,
	"memberType": "Direct",
	"roleAssignmentOriginId": sprintf("origin-%s-%s", [principal, role]),
	"roleAssignmentScheduleId": sprintf("sched-%s-%s", [principal, role]),
}

user(id, upn) := {
	"id": id,
	"displayName": id,
	"userPrincipalName": upn,
	"userType": "Member",
	"accountEnabled": true,
	"onPremisesSyncEnabled": null,
	"assignedLicenses": [],
}

users := [user("u-alice", "alice@contoso.com"), user("u-bob", "bob@contoso.com")]

groups := [{"id": "g-admins", "displayName": "Tier0 admins", "isAssignableToRole": true, "securityEnabled": true, "mailEnabled": false}]

eval(instances) := r if {
	r := check.result with input as {"resources": {KEY: instances, USERS: users, GROUPS: groups}}
}

test_pass_all_through_pim if {
	r := eval([
		instance("u-alice", GA, "Assigned", "2026-01-01T00:00:00Z", null),
		instance("u-bob", EXCHANGE, "Activated", "2026-11-27T08:00:00Z", "2026-11-27T16:00:00Z"),
	])
	r.status == "pass"
	contains(r.reason, "2 active assignments")
}

test_pass_direct_non_privileged_role if {
	r := eval([instance("u-alice", READER, "Assigned", null, null)])
	r.status == "pass"
}

test_fail_direct_assignment if {
	r := eval([
		instance("u-alice", GA, "Assigned", "2026-01-01T00:00:00Z", null),
		instance("u-bob", EXCHANGE, "Assigned", null, null),
	])
	r.status == "fail"
	contains(r.reason, "1 principal holds an assignment of a highly privileged role made outside Privileged Identity Management")
	contains(r.reason, "'bob@contoso.com (Exchange Administrator)'")
	r.offenders == [{"type": "user", "id": "u-bob", "name": "bob@contoso.com"}]
}

test_fail_missing_start_field if {
	r := eval([object.remove(instance("g-admins", GA, "Assigned", null, null), ["startDateTime"])])
	r.status == "fail"
	r.offenders == [{"type": "group", "id": "g-admins", "name": "Tier0 admins"}]
}

test_error_when_missing if {
	r := check.result with input as {"resources": {USERS: users}}
	r.status == "error"
	contains(r.reason, KEY)
}

test_error_when_object if {
	r := eval({"value": []})
	r.status == "error"
}

test_malformed_rows_ignored if {
	r := eval([null, 1, {"roleDefinitionId": GA}, instance("u-alice", GA, "Assigned", "2026-01-01T00:00:00Z", null)])
	r.status == "pass"
}
