package sspm.m365.apps.client_secrets_test

import data.sspm.m365.apps.client_secrets as check

KEY := "graph:/v1.0/applications"

NOW := "2026-11-27T03:00:00Z"

secret(name, end) := {
	"customKeyIdentifier": null,
	"displayName": name,
	"endDateTime": end,
	"hint": "abc",
	"keyId": sprintf("key-%s", [name]),
	"secretText": null,
	"startDateTime": "2026-06-01T00:00:00Z",
}

certificate(name, end) := {
	"customKeyIdentifier": "JtG-mYNzUUdAGmC6UPDAglcqs7w=",
	"displayName": name,
	"endDateTime": end,
	"key": null,
	"keyId": sprintf("cert-%s", [name]),
	"startDateTime": "2026-06-01T00:00:00Z",
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

eval(apps) := r if {
	r := check.result with input as {"collected_at": NOW, "resources": {KEY: apps}}
}

test_pass_certificates_only if {
	r := eval([
		app("a1", "HR Portal", [], [certificate("c1", "2027-06-01T00:00:00Z")]),
		app("a2", "Public client", [], []),
	])
	r.status == "pass"
	r.compliant == 1
	r.total == 1
}

test_pass_expired_secret_does_not_count if {
	r := eval([app("a1", "HR Portal", [secret("old", "2026-01-01T00:00:00Z")], [certificate("c1", "2027-06-01T00:00:00Z")])])
	r.status == "pass"
}

test_fail_secret_only if {
	r := eval([
		app("a1", "HR Portal", [secret("client secret", "2027-05-01T00:00:00Z")], []),
		app("a2", "Payroll", [], [certificate("c1", "2027-06-01T00:00:00Z")]),
	])
	r.status == "fail"
	r.compliant == 1
	r.total == 2
	r.offenders == [{"type": "application", "id": "a1", "name": "HR Portal: client secret 'client secret' ends 2027-05-01T00:00:00Z"}]
	contains(r.reason, "1 of 2 app registrations")
}

test_fail_secret_beside_certificate_is_noted if {
	r := eval([app("a1", "Expense", [secret("s", "2027-05-01T00:00:00Z")], [certificate("c1", "2027-06-01T00:00:00Z")])])
	r.status == "fail"
	contains(r.offenders[0].name, "also has a certificate")
}

test_not_applicable_without_unexpired_credentials if {
	r := eval([app("a1", "Old", [secret("s", "2025-01-01T00:00:00Z")], [])])
	r.status == "not_applicable"
}

test_error_when_missing if {
	r := check.result with input as {"collected_at": NOW, "resources": {}}
	r.status == "error"
	contains(r.reason, KEY)
}

test_error_when_not_an_array if {
	r := eval("applications")
	r.status == "error"
}
