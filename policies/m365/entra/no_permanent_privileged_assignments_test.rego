package sspm.m365.entra.no_permanent_privileged_assignments_test

import data.sspm.m365.entra.no_permanent_privileged_assignments as check

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

test_pass_time_bound_and_activated if {
	r := eval([
		instance("u-alice", GA, "Assigned", "2026-01-01T00:00:00Z", "2026-12-31T00:00:00Z"),
		instance("u-bob", EXCHANGE, "Activated", "2026-11-27T08:00:00Z", "2026-11-27T16:00:00Z"),
	])
	r.status == "pass"
	contains(r.reason, "2 active assignments")
}

test_pass_permanent_non_privileged_role if {
	r := eval([instance("u-alice", READER, "Assigned", "2026-01-01T00:00:00Z", null)])
	r.status == "pass"
}

test_fail_permanent_global_admin if {
	r := eval([
		instance("u-alice", GA, "Assigned", "2024-05-11T12:06:58Z", null),
		instance("u-alice", EXCHANGE, "Assigned", null, null),
		instance("u-bob", EXCHANGE, "Assigned", "2026-01-01T00:00:00Z", "2026-12-31T00:00:00Z"),
	])
	r.status == "fail"
	contains(r.reason, "1 principal holds a permanent active assignment")
	contains(r.reason, "'alice@contoso.com (Exchange Administrator, Global Administrator)'")
	r.offenders == [{"type": "user", "id": "u-alice", "name": "alice@contoso.com"}]
}

test_fail_group_and_unknown_principal if {
	r := eval([instance("g-admins", GA, "Assigned", null, null), instance("sp-1", EXCHANGE, "Assigned", "2025-01-01T00:00:00Z", null)])
	r.status == "fail"
	contains(r.reason, "2 principals hold")
	{o.type | some o in r.offenders} == {"group", "principal"}
	some o in r.offenders
	o.name == "Tier0 admins"
}

test_fail_missing_end_date_field if {
	r := eval([object.remove(instance("u-bob", GA, "Assigned", "2025-01-01T00:00:00Z", null), ["endDateTime"])])
	r.status == "fail"
}

test_error_when_missing if {
	f := {"status": 403, "code": "AadPremiumLicenseRequired", "message": "The tenant needs an AAD Premium 2 license.", "needs": "RoleAssignmentSchedule.Read.Directory; Entra ID P2"}
	r := check.result with input as {"resources": {USERS: users}, "failures": {KEY: f}}
	r.status == "error"
	contains(r.reason, "Entra ID P2")
}

test_error_when_object if {
	r := eval({"value": []})
	r.status == "error"
}

test_names_without_users_list if {
	r := check.result with input as {"resources": {KEY: [instance("u-alice", GA, "Assigned", null, null)]}}
	r.status == "fail"
	r.offenders == [{"type": "principal", "id": "u-alice", "name": "u-alice"}]
}

test_fail_reason_lists_ten_and_counts_the_rest if {
	r := check.result with input as {"resources": {KEY: [instance(sprintf("p%02d", [i]), GA, "Assigned", null, null) | some i in numbers.range(1, 12)]}}
	r.status == "fail"
	count(r.offenders) == 12
	contains(r.reason, "12 principals hold")
	contains(r.reason, "'p10 (Global Administrator)' and 2 more")
	not contains(r.reason, "p11")
}
