package sspm.m365.apps.high_privilege_app_permissions_test

import data.sspm.m365.apps.high_privilege_app_permissions as check

SPS := "graph:/v1.0/servicePrincipals"

GRAPH_SP := "b908e37e-9759-48ef-886a-d6c7dfa6b189"

ASSIGNED := "graph:/v1.0/servicePrincipals/b908e37e-9759-48ef-886a-d6c7dfa6b189/appRoleAssignedTo"

TENANT := "c18e72fc-edc4-43d8-b25d-ec7043dee85e"

MICROSOFT := "f8cdef31-a31e-4b4a-93e4-5f571e91255a"

# Microsoft Graph application permission (appRole) ids.
ROLE_MGMT := "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8"

MAIL_SEND := "b633e1c5-b582-4048-a93e-9f11b44c7e96"

MAIL_READWRITE := "e2a3a72e-5f79-4c64-b1b1-878b674786c9"

USER_READ_ALL := "df021288-bdef-4463-88db-98f22de89214"

sp(id, app_id, name, owner) := {
	"id": id,
	"accountEnabled": true,
	"appDisplayName": name,
	"appId": app_id,
	"appOwnerOrganizationId": owner,
	"displayName": name,
	"servicePrincipalType": "Application",
	"verifiedPublisher": {"displayName": null, "verifiedPublisherId": null, "addedDateTime": null},
	"passwordCredentials": [],
	"keyCredentials": [],
}

graph := sp(GRAPH_SP, "00000003-0000-0000-c000-000000000000", "Microsoft Graph", MICROSOFT)

sps := [
	graph,
	sp("sp-hr", "app-hr", "Contoso HR Portal", TENANT),
	sp("sp-pdf", "app-pdf", "PDF Converter Pro", "c9592594-1d73-46b9-90b9-610958f8346d"),
	sp("sp-ms", "app-ms", "Microsoft Partner Tool", MICROSOFT),
]

assignment(n, principal, name, role) := {
	"id": sprintf("asg-%d", [n]),
	"deletedDateTime": null,
	"appRoleId": role,
	"createdDateTime": "2025-01-01T00:00:00Z",
	"principalDisplayName": name,
	"principalId": principal,
	"principalType": "ServicePrincipal",
	"resourceDisplayName": "Microsoft Graph",
	"resourceId": GRAPH_SP,
}

eval(service_principals, assignments) := r if {
	r := check.result with input as {"collected_at": "2026-11-27T03:00:00Z", "resources": {SPS: service_principals, ASSIGNED: assignments}}
}

test_pass_only_low_privilege_permissions if {
	r := eval(sps, [assignment(1, "sp-hr", "Contoso HR Portal", USER_READ_ALL)])
	r.status == "pass"
	contains(r.reason, "1 application permission grant checked")
}

test_pass_no_assignments if {
	r := eval(sps, [])
	r.status == "pass"
}

test_fail_groups_permissions_per_client if {
	r := eval(sps, [
		assignment(1, "sp-hr", "Contoso HR Portal", MAIL_SEND),
		assignment(2, "sp-hr", "Contoso HR Portal", ROLE_MGMT),
		assignment(3, "sp-hr", "Contoso HR Portal", USER_READ_ALL),
		assignment(4, "sp-pdf", "PDF Converter Pro", MAIL_READWRITE),
	])
	r.status == "fail"
	count(r.offenders) == 2
	{"type": "servicePrincipal", "id": "sp-hr", "name": "Contoso HR Portal: Mail.Send, RoleManagement.ReadWrite.Directory"} in r.offenders
	{"type": "servicePrincipal", "id": "sp-pdf", "name": "PDF Converter Pro: Mail.ReadWrite"} in r.offenders
	contains(r.reason, "2 service principals hold")
	contains(r.reason, "1 of them can change roles")
	contains(r.reason, ": 'Contoso HR Portal', 'PDF Converter Pro'")
}

test_fail_marks_microsoft_first_party if {
	r := eval(sps, [assignment(1, "sp-ms", "Microsoft Partner Tool", MAIL_SEND)])
	r.status == "fail"
	r.offenders[0].name == "Microsoft Partner Tool: Mail.Send [Microsoft first-party]"
}

test_fail_unknown_client_named_from_assignment if {
	r := eval(sps, [assignment(1, "sp-gone", "Deleted App", MAIL_SEND)])
	r.status == "fail"
	r.offenders[0].name == "Deleted App: Mail.Send"
}

test_disabled_client_is_not_counted if {
	disabled := object.union(sp("sp-off", "app-off", "Old Sync", TENANT), {"accountEnabled": false})
	r := eval(array.concat(sps, [disabled]), [assignment(1, "sp-off", "Old Sync", ROLE_MGMT)])
	r.status == "pass"
}

test_user_and_group_assignments_are_ignored if {
	a := object.union(assignment(1, "user-1", "Adele Vance", MAIL_SEND), {"principalType": "User"})
	r := eval(sps, [a])
	r.status == "pass"
}

test_error_when_graph_assignments_missing if {
	f := {"status": 403, "code": "Authorization_RequestDenied", "message": "Insufficient privileges to complete the operation.", "needs": "Application.Read.All"}
	r := check.result with input as {"resources": {SPS: sps}, "failures": {ASSIGNED: f}}
	r.status == "error"
	contains(r.reason, ASSIGNED)
	contains(r.reason, "Application.Read.All")
}

test_error_when_graph_assignments_malformed if {
	r := eval(sps, {"value": []})
	r.status == "error"
	contains(r.reason, ASSIGNED)
}

test_error_when_graph_service_principal_absent if {
	r := eval([sp("sp-hr", "app-hr", "Contoso HR Portal", TENANT)], [])
	r.status == "error"
	contains(r.reason, "00000003-0000-0000-c000-000000000000")
}

test_error_when_service_principals_missing if {
	r := check.result with input as {"resources": {ASSIGNED: []}}
	r.status == "error"
	contains(r.reason, SPS)
}

test_fail_reason_for_a_single_holder if {
	r := eval(sps, [assignment(1, "sp-pdf", "PDF Converter Pro", MAIL_READWRITE)])
	r.status == "fail"
	contains(r.reason, "1 service principal holds high-privilege")
	contains(r.reason, "0 of them can change roles")
}
