package sspm.m365.entra.global_admin_least_privilege_test

import data.sspm.m365.entra.global_admin_least_privilege as check

DEFS := "graph:/v1.0/roleManagement/directory/roleDefinitions"

ASSIGN := "graph:/v1.0/roleManagement/directory/roleAssignments"

ELIG := "graph:/v1.0/roleManagement/directory/roleEligibilityScheduleInstances"

USERS := "graph:/v1.0/users"

GROUPS := "graph:/v1.0/groups"

GA := "62e90394-69f5-4237-9190-012177145e10"

EXCHANGE := "29232cdf-9323-42fd-ade2-1d097af3e4de"

USER_ADMIN := "fe930be7-5e62-47db-91af-98c3a49a38b1"

READER := "f2ef992c-3afb-46b9-b7cf-a126ee74c451"

definitions := [
	{"id": GA, "templateId": GA, "displayName": "Global Administrator", "isBuiltIn": true, "isEnabled": true},
	{"id": EXCHANGE, "templateId": EXCHANGE, "displayName": "Exchange Administrator", "isBuiltIn": true, "isEnabled": true},
	{"id": USER_ADMIN, "templateId": USER_ADMIN, "displayName": "User Administrator", "isBuiltIn": true, "isEnabled": true},
	{"id": READER, "templateId": READER, "displayName": "Global Reader", "isBuiltIn": true, "isEnabled": true},
]

assignment(principal, role) := {"id": sprintf("a-%s-%s", [principal, role]), "principalId": principal, "roleDefinitionId": role, "directoryScopeId": "/"}

eligibility(principal, role) := {
	"id": sprintf("e-%s-%s", [principal, role]),
	"principalId": principal,
	"roleDefinitionId": role,
	"directoryScopeId": "/",
	"appScopeId": null,
	"startDateTime": "2026-01-01T00:00:00Z",
	"endDateTime": null,
	"memberType": "Direct",
	"roleEligibilityScheduleId": sprintf("s-%s-%s", [principal, role]),
}

user(id, synced) := {
	"id": id,
	"displayName": id,
	"userPrincipalName": sprintf("%s@contoso.com", [id]),
	"userType": "Member",
	"accountEnabled": true,
	"createdDateTime": "2024-01-01T00:00:00Z",
	"onPremisesSyncEnabled": synced,
	"assignedLicenses": [],
}

group := {"id": "g-tier0", "displayName": "Tier0 admins", "isAssignableToRole": true, "securityEnabled": true, "mailEnabled": false, "groupTypes": []}

member(id) := {"@odata.type": "#microsoft.graph.user", "id": id, "displayName": id, "userPrincipalName": sprintf("%s@contoso.com", [id])}

MEMBERS := "graph:/v1.0/groups/g-tier0/members"

eval(active, eligible, users, extra) := r if {
	r := check.result with input as {"resources": object.union({DEFS: definitions, ASSIGN: active, ELIG: eligible, USERS: users, GROUPS: [group]}, extra)}
}

people(prefix, n) := [sprintf("%s%d", [prefix, i]) | some i in numbers.range(1, n)]

all_users(ids) := [user(id, null) | some id in ids]

test_pass_ratio_at_most_one if {
	ga := people("ga", 2)
	ex := people("ex", 3)
	r := eval([assignment(u, GA) | some u in ga], [eligibility(u, EXCHANGE) | some u in ex], all_users(array.concat(ga, ex)), {})
	r.status == "pass"
	contains(r.reason, "2 users hold Global Administrator and 3 users hold only other highly privileged roles (ratio 2:3, at most 1)")
}

test_pass_equal_counts if {
	r := eval([assignment("ga1", GA), assignment("ga2", GA), assignment("ua1", USER_ADMIN), assignment("ua2", USER_ADMIN)], [], all_users(["ga1", "ga2", "ua1", "ua2"]), {})
	r.status == "pass"
}

test_fail_more_global_admins if {
	ga := people("ga", 3)
	r := eval(array.concat([assignment(u, GA) | some u in ga], [assignment("ex1", EXCHANGE)]), [], all_users(array.concat(ga, ["ex1"])), {})
	r.status == "fail"
	contains(r.reason, "ratio 3:1, more than 1")
	{o.id | some o in r.offenders} == {"ga1", "ga2", "ga3"}
	some o in r.offenders
	o.name == "ga1@contoso.com"
}

test_user_with_both_counts_as_global_admin if {
	r := eval([assignment("ga1", GA), assignment("ga2", GA), assignment("ga1", EXCHANGE), assignment("ex1", EXCHANGE)], [], all_users(["ga1", "ga2", "ex1"]), {})
	r.status == "fail"
	contains(r.reason, "2 users hold Global Administrator and 1 user holds only")
}

test_non_privileged_roles_do_not_count if {
	r := eval([assignment("ga1", GA), assignment("ga2", GA), assignment("r1", READER), assignment("r2", READER)], [], all_users(["ga1", "ga2", "r1", "r2"]), {})
	r.status == "fail"
}

test_group_members_count if {
	r := eval([assignment("ga1", GA), assignment("ga2", GA), assignment("g-tier0", USER_ADMIN)], [], all_users(["ga1", "ga2", "m1", "m2"]), {MEMBERS: [member("m1"), member("m2")]})
	r.status == "pass"
	contains(r.reason, "2 users hold only other")
}

test_fail_single_global_admin if {
	r := eval([assignment("ga1", GA), assignment("ua1", USER_ADMIN)], [], all_users(["ga1", "ua1"]), {})
	r.status == "fail"
	contains(r.reason, "outside 2 to 8")
}

test_fail_too_many_global_admins if {
	ga := people("ga", 9)
	ex := people("ex", 12)
	r := eval([assignment(u, GA) | some u in ga], [eligibility(u, EXCHANGE) | some u in ex], all_users(array.concat(ga, ex)), {})
	r.status == "fail"
	contains(r.reason, "outside 2 to 8")
	count(r.offenders) == 9
}

test_error_when_eligibility_missing if {
	r := check.result with input as {"resources": {DEFS: definitions, ASSIGN: [], USERS: []}}
	r.status == "error"
	contains(r.reason, ELIG)
}

test_error_when_users_malformed if {
	r := eval([], [], {"value": []}, {})
	r.status == "error"
	contains(r.reason, USERS)
}
