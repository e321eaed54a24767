package sspm.m365.apps.foreign_sp_credentials_test

import data.sspm.m365.apps.foreign_sp_credentials as check

SPS := "graph:/v1.0/servicePrincipals"

ORG := "graph:/v1.0/organization"

TENANT := "c18e72fc-edc4-43d8-b25d-ec7043dee85e"

MICROSOFT := "f8cdef31-a31e-4b4a-93e4-5f571e91255a"

VENDOR := "2ffac90a-9d41-486d-a738-1679ce4ce598"

NOW := "2026-11-27T03:00:00Z"

org := [{"id": TENANT, "displayName": "Contoso", "tenantType": "AAD"}]

secret(name, end) := {
	"customKeyIdentifier": null,
	"displayName": name,
	"endDateTime": end,
	"hint": "abc",
	"keyId": sprintf("key-%s", [name]),
	"secretText": null,
	"startDateTime": "2026-01-01T00:00:00Z",
}

certificate(name, end, usage) := {
	"customKeyIdentifier": "JtG-mYNzUUdAGmC6UPDAglcqs7w=",
	"displayName": name,
	"endDateTime": end,
	"key": null,
	"keyId": sprintf("cert-%s-%s", [name, usage]),
	"startDateTime": "2026-01-01T00:00:00Z",
	"type": "AsymmetricX509Cert",
	"usage": usage,
}

sp(id, name, owner, secrets, certs) := {
	"id": id,
	"accountEnabled": true,
	"appId": sprintf("app-%s", [id]),
	"appOwnerOrganizationId": owner,
	"displayName": name,
	"preferredSingleSignOnMode": null,
	"servicePrincipalType": "Application",
	"passwordCredentials": secrets,
	"keyCredentials": certs,
}

eval(sps) := r if {
	r := check.result with input as {"collected_at": NOW, "resources": {SPS: sps, ORG: org}}
}

test_pass_credentials_only_on_own_apps if {
	r := eval([
		sp("sp-hr", "Contoso HR Portal", TENANT, [secret("s", "2027-01-01T00:00:00Z")], []),
		sp("sp-exo", "Office 365 Exchange Online", MICROSOFT, [], []),
		sp("sp-zoom", "Zoom", VENDOR, [], []),
	])
	r.status == "pass"
}

test_fail_secret_on_microsoft_first_party if {
	r := eval([
		sp("sp-exo", "Office 365 Exchange Online", MICROSOFT, [secret("backdoor", "2027-01-01T00:00:00Z")], []),
		sp("sp-hr", "Contoso HR Portal", TENANT, [secret("s", "2027-01-01T00:00:00Z")], []),
	])
	r.status == "fail"
	r.offenders == [{"type": "servicePrincipal", "id": "sp-exo", "name": "Office 365 Exchange Online (Microsoft first-party): client secret 'backdoor' ends 2027-01-01T00:00:00Z"}]
	contains(r.reason, "1 service principal of an application registered in another tenant has")
	contains(r.reason, "1 of them Microsoft first-party")
}

test_fail_expired_certificate_on_vendor_app_still_counts if {
	r := eval([sp("sp-zoom", "Zoom", VENDOR, [], [certificate("CN=x", "2026-02-01T00:00:00Z", "Verify")])])
	r.status == "fail"
	r.offenders[0].name == sprintf("Zoom (owner tenant %s): certificate 'CN=x' ended 2026-02-01T00:00:00Z", [VENDOR])
	contains(r.reason, "0 of them Microsoft first-party")
}

test_saml_service_principals_are_left_out if {
	saml := object.union(
		sp("sp-sf", "Salesforce", VENDOR, [secret("signing", "2029-01-01T00:00:00Z")], [certificate("CN=sf", "2029-01-01T00:00:00Z", "Sign"), certificate("CN=sf", "2029-01-01T00:00:00Z", "Verify")]),
		{"preferredSingleSignOnMode": "saml"},
	)
	r := eval([saml])
	r.status == "pass"
}

test_managed_identities_are_left_out if {
	mi := object.union(sp("sp-mi", "vm-001", null, [], [certificate("mi", "2027-01-01T00:00:00Z", "Verify")]), {"servicePrincipalType": "ManagedIdentity"})
	r := eval([mi])
	r.status == "pass"
}

test_tenant_id_compared_case_insensitively if {
	r := eval([sp("sp-hr", "Contoso HR Portal", upper(TENANT), [secret("s", "2027-01-01T00:00:00Z")], [])])
	r.status == "pass"
}

test_error_when_organization_missing if {
	f := {"status": 403, "code": "Authorization_RequestDenied", "message": "Insufficient privileges to complete the operation.", "needs": "Organization.Read.All"}
	r := check.result with input as {"collected_at": NOW, "resources": {SPS: []}, "failures": {ORG: f}}
	r.status == "error"
	contains(r.reason, ORG)
}

test_error_when_organization_has_no_single_item if {
	r := check.result with input as {"collected_at": NOW, "resources": {SPS: [], ORG: []}}
	r.status == "error"
	contains(r.reason, "exactly one organization")
}

test_error_when_service_principals_malformed if {
	r := check.result with input as {"collected_at": NOW, "resources": {SPS: {"value": []}, ORG: org}}
	r.status == "error"
	contains(r.reason, SPS)
}
