package sspm.m365.apps.credential_lifetime_test

import data.sspm.m365.apps.credential_lifetime as check

KEY := "graph:/v1.0/applications"

NOW := "2026-11-27T03:00:00Z"

secret(name, start, end) := {
	"customKeyIdentifier": null,
	"displayName": name,
	"endDateTime": end,
	"hint": "abc",
	"keyId": sprintf("key-%s", [name]),
	"secretText": null,
	"startDateTime": start,
}

certificate(name, start, end) := {
	"customKeyIdentifier": "JtG-mYNzUUdAGmC6UPDAglcqs7w=",
	"displayName": name,
	"endDateTime": end,
	"key": null,
	"keyId": sprintf("cert-%s", [name]),
	"startDateTime": start,
	"type": "AsymmetricX509Cert",
	"usage": "Verify",
}

app(id, name, secrets, certs) := {
	"id": id,
	"appId": sprintf("appid-%s", [id]),
	"displayName": name,
	"signInAudience": "AzureADMyOrg",
	"publisherDomain": "contoso.com",
	"passwordCredentials": secrets,
	"keyCredentials": certs,
	"requiredResourceAccess": [],
}

eval(apps) := r if {
	r := check.result with input as {"collected_at": NOW, "resources": {KEY: apps}}
}

test_pass_short_lived_credentials if {
	r := eval([
		app("a1", "HR Portal", [secret("s1", "2026-10-01T00:00:00Z", "2027-03-30T00:00:00Z")], []),
		app("a2", "Payroll", [], [certificate("c1", "2026-06-01T00:00:00Z", "2027-06-01T00:00:00Z")]),
	])
	r.status == "pass"
	r.compliant == 2
	r.total == 2
}

test_fail_two_year_secret if {
	r := eval([
		app("a1", "HR Portal", [secret("client secret", "2026-10-03T19:18:47Z", "2028-10-02T19:18:47Z")], []),
		app("a2", "Payroll", [], [certificate("c1", "2026-06-01T00:00:00Z", "2027-06-01T00:00:00Z")]),
	])
	r.status == "fail"
	r.compliant == 1
	r.total == 2
	count(r.offenders) == 1
	o := r.offenders[0]
	o.type == "application"
	o.id == "a1"
	contains(o.name, "HR Portal")
	contains(o.name, "client secret 'client secret' valid 730 days")
	contains(o.name, "ends 2028-10-02T19:18:47Z")
	contains(r.reason, "'HR Portal'")
}

test_fail_181_day_secret if {
	r := eval([app("a1", "HR Portal", [secret("s", "2026-10-01T00:00:00Z", "2027-03-31T00:00:01Z")], [])])
	r.status == "fail"
}

test_pass_180_day_secret_exactly if {
	# 2026-10-01 + 180 days = 2027-03-30
	r := eval([app("a1", "HR Portal", [secret("s", "2026-10-01T00:00:00Z", "2027-03-30T00:00:00Z")], [])])
	r.status == "pass"
}

test_fail_two_year_certificate if {
	r := eval([app("a1", "Expense", [], [certificate("CN=expense", "2026-05-08T05:09:29Z", "2028-05-08T05:09:29Z")])])
	r.status == "fail"
	contains(r.offenders[0].name, "certificate 'CN=expense' valid 731 days")
}

test_pass_certificate_of_300_days if {
	r := eval([app("a1", "Expense", [], [certificate("c", "2026-05-08T00:00:00Z", "2027-03-04T00:00:00Z")])])
	r.status == "pass"
}

test_fail_never_expiring_secret_is_measured_exactly if {
	r := eval([app("a1", "Legacy", [secret("forever", "2020-01-01T00:00:00Z", "2299-12-31T05:00:00Z")], [])])
	r.status == "fail"
	contains(r.offenders[0].name, "valid 102267 days")
	contains(r.offenders[0].name, "ends 2299-12-31T05:00:00Z")
}

test_fail_missing_start_uses_remaining_validity if {
	r := eval([app("a1", "HR Portal", [object.remove(secret("s", "", "2028-01-01T00:00:00Z"), ["startDateTime"])], [])])
	r.status == "fail"
	contains(r.offenders[0].name, "at least 399 more days")
}

test_expired_credentials_are_ignored if {
	r := eval([app("a1", "Old", [secret("s", "2020-01-01T00:00:00Z", "2025-01-01T00:00:00Z")], [])])
	r.status == "not_applicable"
}

test_malformed_dates_do_not_raise if {
	r := eval([
		app("a1", "Bad", [secret("s", "2026-02-30T00:00:00Z", "not a date"), {"displayName": 7, "endDateTime": 5}], [null]),
		app("a2", "Good", [secret("s", "2026-10-01T00:00:00Z", "2027-01-01T00:00:00Z")], []),
	])
	r.status == "pass"
	r.total == 1
}

test_not_applicable_without_credentials if {
	r := eval([app("a1", "Public client", [], [])])
	r.status == "not_applicable"
}

test_error_when_applications_missing if {
	f := {"status": 403, "code": "Authorization_RequestDenied", "message": "Insufficient privileges to complete the operation.", "needs": "Application.Read.All"}
	r := check.result with input as {"collected_at": NOW, "resources": {}, "failures": {KEY: f}}
	r.status == "error"
	contains(r.reason, KEY)
	contains(r.reason, "Application.Read.All")
}

test_error_when_applications_is_an_object if {
	r := check.result with input as {"collected_at": NOW, "resources": {KEY: {"value": []}}}
	r.status == "error"
	contains(r.reason, "malformed")
}

test_error_when_collected_at_missing if {
	r := check.result with input as {"resources": {KEY: [app("a1", "HR Portal", [secret("s", "2026-10-01T00:00:00Z", "2028-01-01T00:00:00Z")], [])]}}
	r.status == "error"
	contains(r.reason, "collected_at")
}

# Date handling (sspm.credentials): fractions, offsets, leap days, bad values.

test_fail_fraction_and_offset_dates_are_read if {
	r := eval([app("a1", "HR Portal", [secret("s", "2026-10-01T00:00:00.1234567Z", "2027-10-01T02:00:00+02:00")], [])])
	r.status == "fail"
	# 365 days minus the 0.12 s fraction, rounded down.
	contains(r.offenders[0].name, "valid 364 days")
}

test_pass_leap_day_end_date if {
	# 2028 is a leap year: 2028-02-29 is a real date, 151 days after 2027-10-01.
	r := eval([app("a1", "HR Portal", [secret("s", "2027-10-01T00:00:00Z", "2028-02-29T00:00:00Z")], [])])
	r.status == "pass"
}

test_impossible_dates_are_not_judged if {
	# 2027-02-29, hour 24 and month 13 do not exist: those credentials are skipped, not errors.
	r := eval([app("a1", "HR Portal", [
		secret("a", "2026-10-01T00:00:00Z", "2027-02-29T00:00:00Z"),
		secret("b", "2026-10-01T00:00:00Z", "2028-01-01T24:00:00Z"),
		secret("c", "2026-10-01T00:00:00Z", "2028-13-01T00:00:00Z"),
		secret("d", "2026-10-01T00:00:00Z", "2028-01-01"),
		secret("e", "2026-10-01T00:00:00Z", 1830297600),
	], [])])
	r.status == "not_applicable"
}

test_fail_app_with_measured_and_unmeasured_credentials_is_one_offender if {
	r := eval([app("a1", "HR Portal", [
		secret("long", "2026-01-01T00:00:00Z", "2028-01-01T00:00:00Z"),
		object.remove(secret("nostart", "", "2028-06-01T00:00:00Z"), ["startDateTime"]),
	], [])])
	r.status == "fail"
	count(r.offenders) == 1
	contains(r.offenders[0].name, "HR Portal: client secret 'long' valid 730 days")
	contains(r.offenders[0].name, "; client secret 'nostart' valid at least")
}
