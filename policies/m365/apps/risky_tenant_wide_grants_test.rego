package sspm.m365.apps.risky_tenant_wide_grants_test

import data.sspm.m365.apps.risky_tenant_wide_grants as check

GRANTS := "graph:/v1.0/oauth2PermissionGrants"

SPS := "graph:/v1.0/servicePrincipals"

GRAPH_SP := "b908e37e-9759-48ef-886a-d6c7dfa6b189"

grant(id, client, consent, principal, scope) := {
	"clientId": client,
	"consentType": consent,
	"id": id,
	"principalId": principal,
	"resourceId": GRAPH_SP,
	"scope": scope,
}

sps := [
	{"id": GRAPH_SP, "appId": "00000003-0000-0000-c000-000000000000", "displayName": "Microsoft Graph", "servicePrincipalType": "Application"},
	{"id": "sp-pdf", "appId": "app-pdf", "displayName": "PDF Converter Pro", "servicePrincipalType": "Application"},
	{"id": "sp-zoom", "appId": "app-zoom", "displayName": "Zoom", "servicePrincipalType": "Application"},
]

eval(grants) := r if {
	r := check.result with input as {"resources": {GRANTS: grants, SPS: sps}}
}

test_pass_low_risk_tenant_wide_grants if {
	r := eval([
		grant("g1", "sp-zoom", "AllPrincipals", null, "openid profile email offline_access User.Read Calendars.ReadWrite"),
		grant("g2", "sp-pdf", "Principal", "user-1", "openid offline_access Mail.ReadWrite Files.ReadWrite.All"),
	])
	r.status == "pass"
	contains(r.reason, "The 1 delegated permission grant consented for all users does not include")
}

test_fail_mail_and_files_for_all_users if {
	r := eval([
		grant("g1", "sp-pdf", "AllPrincipals", null, "openid offline_access Mail.ReadWrite  Files.ReadWrite.All"),
		grant("g2", "sp-zoom", "AllPrincipals", null, "openid User.Read"),
	])
	r.status == "fail"
	r.offenders == [{
		"type": "grant",
		"id": "g1",
		"name": "PDF Converter Pro on Microsoft Graph, consented for all users: Files.ReadWrite.All, Mail.ReadWrite (with offline_access: refresh tokens keep the access)",
	}]
	contains(r.reason, "1 delegated permission grant consented for all users gives")
	contains(r.reason, "'PDF Converter Pro'")
}

test_fail_directory_write_without_offline_access if {
	r := eval([grant("g1", "sp-zoom", "AllPrincipals", null, "Directory.AccessAsUser.All User.Read")])
	r.status == "fail"
	r.offenders[0].name == "Zoom on Microsoft Graph, consented for all users: Directory.AccessAsUser.All"
}

test_fail_names_unknown_service_principals_by_id if {
	r := check.result with input as {"resources": {GRANTS: [grant("g1", "sp-gone", "AllPrincipals", null, "Mail.Send")]}}
	r.status == "fail"
	r.offenders[0].name == "sp-gone on b908e37e-9759-48ef-886a-d6c7dfa6b189, consented for all users: Mail.Send"
}

test_scope_names_are_case_sensitive_tokens if {
	# "Mail.ReadBasic" is not Mail.Read; a substring match would flag it.
	r := eval([grant("g1", "sp-zoom", "AllPrincipals", null, "Mail.ReadBasic User.Read")])
	r.status == "pass"
}

test_malformed_scope_does_not_raise if {
	r := eval([grant("g1", "sp-zoom", "AllPrincipals", null, null), grant("g2", "sp-zoom", "AllPrincipals", null, ["Mail.Read"])])
	r.status == "pass"
}

test_error_when_grants_missing if {
	f := {"status": 403, "code": "Authorization_RequestDenied", "message": "Insufficient privileges to complete the operation.", "needs": "Directory.Read.All"}
	r := check.result with input as {"resources": {SPS: sps}, "failures": {GRANTS: f}}
	r.status == "error"
	contains(r.reason, GRANTS)
}

test_error_when_grants_malformed if {
	r := eval({"value": []})
	r.status == "error"
}

test_pass_reason_counts_tenant_wide_grants if {
	r := eval([grant("g1", "sp-zoom", "AllPrincipals", null, "User.Read"), grant("g2", "sp-pdf", "AllPrincipals", null, "openid")])
	r.status == "pass"
	contains(r.reason, "None of the 2 delegated permission grants consented for all users includes")
}
