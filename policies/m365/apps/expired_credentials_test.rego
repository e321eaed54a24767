package sspm.m365.apps.expired_credentials_test

import data.sspm.m365.apps.expired_credentials as check

APPS := "graph:/v1.0/applications"

SPS := "graph:/v1.0/servicePrincipals"

NOW := "2026-11-27T03:00:00Z"

secret(name, end) := {
	"customKeyIdentifier": null,
	"displayName": name,
	"endDateTime": end,
	"hint": "abc",
	"keyId": sprintf("key-%s", [name]),
	"secretText": null,
	"startDateTime": "2024-01-01T00:00:00Z",
}

certificate(name, end) := {
	"customKeyIdentifier": "JtG-mYNzUUdAGmC6UPDAglcqs7w=",
	"displayName": name,
	"endDateTime": end,
	"key": null,
	"keyId": sprintf("cert-%s", [name]),
	"startDateTime": "2024-01-01T00:00:00Z",
	"type": "AsymmetricX509Cert",
	"usage": "Verify",
}

app(id, name, secrets, certs) := {
	"id": id,
	"appId": sprintf("appid-%s", [id]),
	"displayName": name,
	"signInAudience": "AzureADMyOrg",
	"passwordCredentials": secrets,
	"keyCredentials": certs,
}

sp(id, name, secrets, certs) := {
	"id": id,
	"appId": sprintf("appid-%s", [id]),
	"displayName": name,
	"accountEnabled": true,
	"appOwnerOrganizationId": "c18e72fc-edc4-43d8-b25d-ec7043dee85e",
	"servicePrincipalType": "Application",
	"preferredSingleSignOnMode": null,
	"passwordCredentials": secrets,
	"keyCredentials": certs,
}

eval(apps, sps) := r if {
	r := check.result with input as {"collected_at": NOW, "resources": {APPS: apps, SPS: sps}}
}

test_pass_all_credentials_valid if {
	r := eval(
		[app("a1", "HR Portal", [secret("s1", "2027-01-01T00:00:00Z")], [certificate("c1", "2027-06-01T00:00:00Z")])],
		[sp("s1", "HR Portal", [], []), sp("s2", "SAML app", [], [certificate("signing", "2028-01-01T00:00:00Z")])],
	)
	r.status == "pass"
	contains(r.reason, "1 app registration and 2 service principals")
}

test_fail_expired_secret_on_application if {
	r := eval([
		app("a1", "HR Portal", [secret("old", "2025-03-01T00:00:00Z"), secret("new", "2027-03-01T00:00:00Z")], []),
		app("a2", "Payroll", [secret("s", "2027-03-01T00:00:00Z")], []),
	], [])
	r.status == "fail"
	count(r.offenders) == 1
	o := r.offenders[0]
	o.type == "application"
	o.id == "a1"
	o.name == "HR Portal: client secret 'old' ended 2025-03-01T00:00:00Z"
	contains(r.reason, "1 app registration and 0 service principals")
	contains(r.reason, "'HR Portal'")
}

test_fail_expired_certificate_on_service_principal if {
	r := eval([], [sp("s1", "Salesforce", [], [certificate("CN=signing", "2026-11-27T02:59:59Z")]), sp("s2", "Other", [], [])])
	r.status == "fail"
	r.offenders == [{"type": "servicePrincipal", "id": "s1", "name": "Salesforce: certificate 'CN=signing' ended 2026-11-27T02:59:59Z"}]
}

test_credential_ending_at_collection_time_is_expired if {
	r := eval([app("a1", "HR Portal", [secret("s", NOW)], [])], [])
	r.status == "fail"
}

test_pass_credentials_with_unreadable_dates_are_not_judged if {
	r := eval([app("a1", "HR Portal", [secret("s", "2025-13-01T00:00:00Z"), object.remove(secret("t", ""), ["endDateTime"])], [])], [])
	r.status == "pass"
}

test_error_when_service_principals_missing if {
	f := {"status": 403, "code": "Authorization_RequestDenied", "message": "Insufficient privileges to complete the operation.", "needs": "Application.Read.All"}
	r := check.result with input as {"collected_at": NOW, "resources": {APPS: []}, "failures": {SPS: f}}
	r.status == "error"
	contains(r.reason, SPS)
}

test_error_when_applications_malformed if {
	r := check.result with input as {"collected_at": NOW, "resources": {APPS: {"value": []}, SPS: []}}
	r.status == "error"
	contains(r.reason, APPS)
}

test_error_when_collected_at_malformed if {
	r := check.result with input as {"collected_at": "yesterday", "resources": {APPS: [], SPS: []}}
	r.status == "error"
	contains(r.reason, "collected_at")
}
