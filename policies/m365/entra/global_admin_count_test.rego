package sspm.m365.entra.global_admin_count_test

import data.sspm.m365.entra.global_admin_count as check

DEFS := "graph:/v1.0/roleManagement/directory/roleDefinitions"

ASSIGN := "graph:/v1.0/roleManagement/directory/roleAssignments"

ELIG := "graph:/v1.0/roleManagement/directory/roleEligibilityScheduleInstances"

GA := "62e90394-69f5-4237-9190-012177145e10"

USER_ADMIN := "fe930be7-5e62-47db-91af-98c3a49a38b1"

definitions := [
	{"id": GA, "templateId": GA, "displayName": "Global Administrator", "isBuiltIn": true, "isEnabled": true},
	{"id": USER_ADMIN, "templateId": USER_ADMIN, "displayName": "User Administrator", "isBuiltIn": true, "isEnabled": true},
	{"id": "c0ffee00-0000-0000-0000-000000000001", "templateId": "c0ffee00-0000-0000-0000-000000000001", "displayName": "Custom helpdesk", "isBuiltIn": false},
]

assignment(principal, role) := {
	"id": sprintf("assign-%s-%s", [principal, role]),
	"principalId": principal,
	"roleDefinitionId": role,
	"directoryScopeId": "/",
}

eligibility(principal, role) := {
	"id": sprintf("elig-%s-%s", [principal, role]),
	"principalId": principal,
	"roleDefinitionId": role,
	"directoryScopeId": "/",
	"memberType": "Direct",
	"startDateTime": "2026-01-01T00:00:00Z",
	"endDateTime": null,
}

users(n) := [sprintf("user-%02d", [i]) | some i in numbers.range(1, n)]

eval(active, eligible) := r if {
	r := check.result with input as {"resources": {DEFS: definitions, ASSIGN: active, ELIG: eligible}}
}

test_pass_three_global_admins if {
	r := eval([assignment("user-01", GA), assignment("user-02", GA)], [eligibility("user-03", GA)])
	r.status == "pass"
	contains(r.reason, "3 principals hold")
	contains(r.reason, "2 active, 1 eligible")
}

test_pass_counts_principal_once_when_active_and_eligible if {
	r := eval([assignment("user-01", GA)], [eligibility("user-01", GA), eligibility("user-02", GA)])
	r.status == "pass"
	contains(r.reason, "2 principals hold")
}

test_pass_eight if {
	r := eval([assignment(u, GA) | some u in users(8)], [])
	r.status == "pass"
}

test_other_roles_are_not_counted if {
	others := [assignment(u, USER_ADMIN) | some u in users(20)]
	r := eval(array.concat(others, [assignment("admin-a", GA), assignment("admin-b", GA)]), [])
	r.status == "pass"
	contains(r.reason, "2 principals hold")
}

test_fail_nine if {
	r := eval([assignment(u, GA) | some u in users(9)], [])
	r.status == "fail"
	contains(r.reason, "9 principals hold")
	count(r.offenders) == 9
	{o.type | some o in r.offenders} == {"principal"}
	some o in r.offenders
	o.id == "user-09"
}

test_fail_too_many_counts_eligible if {
	r := eval([assignment(u, GA) | some u in users(5)], [eligibility(u, GA) | some u in ["e1", "e2", "e3", "e4"]])
	r.status == "fail"
	contains(r.reason, "5 active, 4 eligible")
}

test_fail_offenders_use_expanded_display_name if {
	named := object.union(assignment("user-01", GA), {"principal": {"@odata.type": "#microsoft.graph.user", "id": "user-01", "displayName": "Adele Vance"}})
	r := eval(array.concat([named], [assignment(u, GA) | some u in users(9)]), [])
	r.status == "fail"
	count(r.offenders) == 9
	some o in r.offenders
	o.id == "user-01"
	o.name == "Adele Vance"
	not user_01_by_id(r)
}

user_01_by_id(r) if {
	some o in r.offenders
	o.id == "user-01"
	o.name == "user-01"
}

test_fail_single_global_admin if {
	r := eval([assignment("user-01", GA)], [])
	r.status == "fail"
	contains(r.reason, "Only 1 principal holds")
	contains(r.reason, "at least 2")
}

test_fail_no_global_admin if {
	r := eval([], [])
	r.status == "fail"
	contains(r.reason, "Only 0 principals hold")
}

test_matches_role_definition_by_template_id if {
	defs := [{"id": "aaaaaaaa-1111-1111-1111-111111111111", "templateId": GA, "displayName": "Global Administrator"}]
	active := [assignment("user-01", "aaaaaaaa-1111-1111-1111-111111111111"), assignment("user-02", GA)]
	r := check.result with input as {"resources": {DEFS: defs, ASSIGN: active, ELIG: []}}
	r.status == "pass"
	contains(r.reason, "2 principals hold")
}

test_reports_group_principals if {
	grp := object.union(assignment("group-1", GA), {"principal": {"@odata.type": "#microsoft.graph.group", "id": "group-1", "displayName": "PIM GA group"}})
	r := eval([grp, assignment("user-01", GA)], [])
	r.status == "pass"
	contains(r.reason, "1 group whose members are not counted individually")
}

test_error_when_any_key_missing if {
	r := check.result with input as {"resources": {DEFS: definitions, ASSIGN: []}}
	r.status == "error"
	contains(r.reason, ELIG)
	not contains(r.reason, ASSIGN)
}

test_error_names_every_missing_key if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
	contains(r.reason, DEFS)
	contains(r.reason, ASSIGN)
	contains(r.reason, ELIG)
}

test_error_when_eligibility_call_failed if {
	f := {"status": 403, "code": "AadPremiumLicenseRequired", "message": "The tenant needs an AAD Premium 2 license.", "needs": "RoleEligibilitySchedule.Read.Directory; Entra ID P2"}
	r := check.result with input as {"resources": {DEFS: definitions, ASSIGN: []}, "failures": {ELIG: f}}
	r.status == "error"
	contains(r.reason, "Entra ID P2")
}

test_error_when_assignments_malformed if {
	r := check.result with input as {"resources": {DEFS: definitions, ASSIGN: {"value": []}, ELIG: []}}
	r.status == "error"
	contains(r.reason, "malformed")
}

test_malformed_items_are_ignored if {
	r := eval([null, {"principalId": 5, "roleDefinitionId": GA}, assignment("a", GA), assignment("b", GA)], ["x"])
	r.status == "pass"
}
