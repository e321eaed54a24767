package sspm.m365.entra.privileged_users_cloud_only_test

import data.sspm.m365.entra.privileged_users_cloud_only as check

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

users := [user("alice", null), user("bob", true), user("carol", false), user("dave", true), user("erin", true)]

eval(active, eligible, extra) := r if {
	r := check.result with input as {"resources": object.union({DEFS: definitions, ASSIGN: active, ELIG: eligible, USERS: users, GROUPS: [group]}, extra)}
}

test_pass_cloud_only_admins if {
	r := eval([assignment("alice", GA), assignment("carol", EXCHANGE)], [eligibility("alice", USER_ADMIN)], {})
	r.status == "pass"
	contains(r.reason, "All 2 users")
}

test_synced_holder_of_other_role_is_ignored if {
	r := eval([assignment("alice", GA), assignment("bob", READER)], [], {})
	r.status == "pass"
}

test_fail_synced_global_admin if {
	r := eval([assignment("alice", GA), assignment("bob", GA)], [], {})
	r.status == "fail"
	contains(r.reason, "1 of 2 users")
	r.offenders == [{"type": "user", "id": "bob", "name": "bob@contoso.com"}]
}

test_fail_synced_eligible_exchange_admin if {
	r := eval([assignment("alice", GA)], [eligibility("dave", EXCHANGE)], {})
	r.status == "fail"
	[o.id | some o in r.offenders] == ["dave"]
}

test_fail_synced_member_of_role_group if {
	r := eval([assignment("alice", GA), assignment("g-tier0", USER_ADMIN)], [], {MEMBERS: [member("erin"), member("carol")]})
	r.status == "fail"
	[o.id | some o in r.offenders] == ["erin"]
	not contains(r.reason, "not in the snapshot")
}

test_pass_notes_uncollected_group if {
	r := eval([assignment("alice", GA), assignment("g-tier0", USER_ADMIN)], [], {})
	r.status == "pass"
	contains(r.reason, "the members of 1 group holding these roles are not in the snapshot")
}

test_not_applicable_without_holders if {
	r := eval([assignment("bob", READER)], [], {})
	r.status == "not_applicable"
}

test_error_when_users_missing if {
	r := check.result with input as {"resources": {DEFS: definitions, ASSIGN: [], ELIG: []}}
	r.status == "error"
	contains(r.reason, USERS)
}

test_error_when_eligibility_failed if {
	f := {"status": 403, "code": "AadPremiumLicenseRequired", "message": "The tenant needs an AAD Premium 2 license.", "needs": "RoleEligibilitySchedule.Read.Directory; Entra ID P2"}
	r := check.result with input as {"resources": {ASSIGN: [], USERS: users}, "failures": {ELIG: f}}
	r.status == "error"
	contains(r.reason, "Entra ID P2")
}

test_error_when_assignments_malformed if {
	r := eval({"value": []}, [], {})
	r.status == "error"
}

test_fail_role_matched_by_template_id if {
	custom_id := "aaaaaaaa-1111-1111-1111-111111111111"
	defs := array.concat(definitions, [{"id": custom_id, "templateId": EXCHANGE, "displayName": "Exchange Administrator", "isBuiltIn": true, "isEnabled": true}])
	r := check.result with input as {"resources": {DEFS: defs, ASSIGN: [assignment("alice", GA), assignment("bob", custom_id)], ELIG: [], USERS: users, GROUPS: [group]}}
	r.status == "fail"
	[o.id | some o in r.offenders] == ["bob"]
}

test_pass_without_definitions_list if {
	r := check.result with input as {"resources": {ASSIGN: [assignment("alice", GA)], ELIG: [], USERS: users}}
	r.status == "pass"
	contains(r.reason, "The 1 user holding a highly privileged role is cloud-only")
}
