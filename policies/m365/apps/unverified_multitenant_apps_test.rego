package sspm.m365.apps.unverified_multitenant_apps_test

import data.sspm.m365.apps.unverified_multitenant_apps as check

SPS := "graph:/v1.0/servicePrincipals"

ORG := "graph:/v1.0/organization"

GRANTS := "graph:/v1.0/oauth2PermissionGrants"

GRAPH_SP := "b908e37e-9759-48ef-886a-d6c7dfa6b189"

EXO_SP := "88b9142c-ae8e-44f5-8e44-f793e76ce4de"

GRAPH_ASSIGNED := "graph:/v1.0/servicePrincipals/b908e37e-9759-48ef-886a-d6c7dfa6b189/appRoleAssignedTo"

EXO_ASSIGNED := "graph:/v1.0/servicePrincipals/88b9142c-ae8e-44f5-8e44-f793e76ce4de/appRoleAssignedTo"

TENANT := "c18e72fc-edc4-43d8-b25d-ec7043dee85e"

MICROSOFT := "f8cdef31-a31e-4b4a-93e4-5f571e91255a"

PDF_TENANT := "c9592594-1d73-46b9-90b9-610958f8346d"

org := [{"id": TENANT, "displayName": "Contoso", "tenantType": "AAD"}]

unverified := {"displayName": null, "verifiedPublisherId": null, "addedDateTime": null}

sp(id, app_id, name, owner, publisher) := {
	"id": id,
	"accountEnabled": true,
	"appId": app_id,
	"appOwnerOrganizationId": owner,
	"displayName": name,
	"publisherName": name,
	"servicePrincipalType": "Application",
	"verifiedPublisher": publisher,
	"passwordCredentials": [],
	"keyCredentials": [],
}

sps := [
	sp(GRAPH_SP, "00000003-0000-0000-c000-000000000000", "Microsoft Graph", MICROSOFT, unverified),
	sp(EXO_SP, "00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online", MICROSOFT, unverified),
	sp("sp-hr", "app-hr", "Contoso HR Portal", TENANT, unverified),
	object.union(sp("sp-pdf", "app-pdf", "PDF Converter Pro", PDF_TENANT, unverified), {"publisherName": "PDFTools Online"}),
	sp("sp-zoom", "app-zoom", "Zoom", "2ffac90a-9d41-486d-a738-1679ce4ce598", {"displayName": "Zoom Video Communications, Inc.", "verifiedPublisherId": "1000000", "addedDateTime": "2020-01-01T00:00:00Z"}),
	sp("sp-idle", "app-idle", "Idle Unverified App", "0d0d0d0d-1111-2222-3333-444444444444", unverified),
]

grant(id, client, consent, scope) := {"clientId": client, "consentType": consent, "id": id, "principalId": null, "resourceId": GRAPH_SP, "scope": scope}

assignment(n, principal, resource, role) := {
	"id": sprintf("asg-%d", [n]),
	"appRoleId": role,
	"principalId": principal,
	"principalType": "ServicePrincipal",
	"resourceId": resource,
}

eval(grants, graph_assignments) := r if {
	r := check.result with input as {"resources": {SPS: sps, ORG: org, GRANTS: grants, GRAPH_ASSIGNED: graph_assignments}}
}

test_pass_only_verified_own_and_microsoft_apps_hold_permissions if {
	r := eval(
		[
			grant("g1", "sp-hr", "AllPrincipals", "openid User.Read"),
			grant("g2", "sp-zoom", "Principal", "openid User.Read"),
		],
		[assignment(1, "sp-hr", GRAPH_SP, "df021288-bdef-4463-88db-98f22de89214")],
	)
	r.status == "pass"
}

test_pass_unverified_app_without_permissions if {
	# sp-idle is unverified and foreign but holds nothing.
	r := eval([], [])
	r.status == "pass"
}

test_fail_unverified_app_with_delegated_grant if {
	r := eval([grant("g1", "sp-pdf", "Principal", "openid Mail.ReadWrite")], [])
	r.status == "fail"
	r.offenders == [{
		"type": "servicePrincipal",
		"id": "sp-pdf",
		"name": sprintf("PDF Converter Pro (publisher 'PDFTools Online', owner tenant %s, unverified): holds delegated permission grants", [PDF_TENANT]),
	}]
	contains(r.reason, "1 multi-tenant application from an unverified publisher in another tenant holds")
}

test_fail_unverified_app_with_graph_application_permission if {
	r := eval([], [assignment(1, "sp-idle", GRAPH_SP, "b633e1c5-b582-4048-a93e-9f11b44c7e96")])
	r.status == "fail"
	r.offenders[0].id == "sp-idle"
	endswith(r.offenders[0].name, "holds application permissions")
}

test_fail_reads_other_collected_resources if {
	r := check.result with input as {"resources": {
		SPS: sps, ORG: org, GRANTS: [], GRAPH_ASSIGNED: [],
		EXO_ASSIGNED: [assignment(1, "sp-idle", EXO_SP, "dc890d15-9560-4a4c-9b7f-a736ec74ec40")],
	}}
	r.status == "fail"
	r.offenders[0].id == "sp-idle"
}

test_disabled_unverified_app_is_not_counted if {
	disabled := object.union(sp("sp-off", "app-off", "Disabled Vendor App", PDF_TENANT, unverified), {"accountEnabled": false})
	r := check.result with input as {"resources": {
		SPS: array.concat(sps, [disabled]), ORG: org,
		GRANTS: [grant("g1", "sp-off", "AllPrincipals", "Mail.Read")], GRAPH_ASSIGNED: [],
	}}
	r.status == "pass"
}

test_error_when_graph_assignments_missing if {
	r := check.result with input as {"resources": {SPS: sps, ORG: org, GRANTS: []}}
	r.status == "error"
	contains(r.reason, GRAPH_ASSIGNED)
}

test_error_when_grants_failed if {
	f := {"status": 403, "code": "Authorization_RequestDenied", "message": "Insufficient privileges to complete the operation.", "needs": "Directory.Read.All"}
	r := check.result with input as {"resources": {SPS: sps, ORG: org, GRAPH_ASSIGNED: []}, "failures": {GRANTS: f}}
	r.status == "error"
	contains(r.reason, GRANTS)
	contains(r.reason, "Directory.Read.All")
}

test_error_when_organization_malformed if {
	r := check.result with input as {"resources": {SPS: sps, ORG: {"id": TENANT}, GRANTS: [], GRAPH_ASSIGNED: []}}
	r.status == "error"
	contains(r.reason, ORG)
}
