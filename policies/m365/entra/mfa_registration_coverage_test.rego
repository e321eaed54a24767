package sspm.m365.entra.mfa_registration_coverage_test

import data.sspm.m365.entra.mfa_registration_coverage as check

KEY := "graph:/v1.0/reports/authenticationMethods/userRegistrationDetails"

USERS := "graph:/v1.0/users"

# A userRegistrationDetails row as Graph v1.0 returns it.
row(id, type, registered) := {
	"id": id,
	"userPrincipalName": sprintf("%s@contoso.com", [id]),
	"userDisplayName": id,
	"userType": type,
	"isAdmin": false,
	"isSsprRegistered": registered,
	"isSsprEnabled": true,
	"isSsprCapable": registered,
	"isMfaRegistered": registered,
	"isMfaCapable": registered,
	"isPasswordlessCapable": false,
	"methodsRegistered": registered_methods(registered),
	"defaultMfaMethod": "none",
	"isSystemPreferredAuthenticationMethodEnabled": true,
	"lastUpdatedDateTime": "2026-11-26T10:00:00Z",
}

registered_methods(true) := ["microsoftAuthenticatorPush", "softwareOneTimePasscode"]

registered_methods(false) := []

eval(rows) := r if {
	r := check.result with input as {"resources": {KEY: rows}}
}

eval_with_users(rows, users) := r if {
	r := check.result with input as {"resources": {KEY: rows, USERS: users}}
}

test_pass_all_members_registered if {
	r := eval([row("alice", "member", true), row("bob", "member", true), row("guest1", "guest", false)])
	r.status == "pass"
	r.compliant == 2
	r.total == 2
	contains(r.reason, "All 2 enabled member users")
	contains(r.reason, "not in the snapshot")
}

test_fail_partial_coverage if {
	r := eval([row("alice", "member", true), row("bob", "member", false), row("carol", "member", false), row("dave", "member", true)])
	r.status == "fail"
	r.compliant == 2
	r.total == 4
	contains(r.reason, "2 of 4 enabled member users (50.0%) are registered for MFA; 2 are not")
	{o.id | some o in r.offenders} == {"bob", "carol"}
	some o in r.offenders
	o.type == "user"
	o.name == "bob@contoso.com"
}

test_guests_are_not_counted if {
	r := eval([row("alice", "member", true), row("g1", "guest", false), row("g2", "Guest", false)])
	r.status == "pass"
	r.total == 1
}

test_missing_is_mfa_registered_counts_as_not_registered if {
	r := eval([row("alice", "member", true), object.remove(row("bob", "member", true), ["isMfaRegistered"])])
	r.status == "fail"
	r.compliant == 1
	r.offenders[0].id == "bob"
}

test_percent_never_rounds_up_to_100 if {
	rows := array.concat([row(sprintf("u%d", [i]), "member", true) | some i in numbers.range(1, 1999)], [row("last", "member", false)])
	r := eval(rows)
	r.status == "fail"
	contains(r.reason, "(99.9%)")
}

test_disabled_users_are_excluded_when_users_present if {
	rows := [row("alice", "member", true), row("bob", "member", false), row("carol", "member", false)]
	users := [
		{"id": "alice", "accountEnabled": true},
		{"id": "bob", "accountEnabled": false},
		{"id": "carol", "accountEnabled": true},
	]
	r := eval_with_users(rows, users)
	r.status == "fail"
	r.total == 2
	r.compliant == 1
	[o.id | some o in r.offenders] == ["carol"]
	contains(r.reason, "1 disabled account excluded")
}

test_users_without_account_enabled_are_kept if {
	rows := [row("alice", "member", true), row("bob", "member", false)]
	r := eval_with_users(rows, [{"id": "alice"}, {"id": "bob", "displayName": "Bob"}])
	r.total == 2
	contains(r.reason, "0 disabled accounts excluded")
}

test_malformed_users_key_is_ignored_and_reported if {
	rows := [row("alice", "member", true)]
	r := eval_with_users(rows, {"value": []})
	r.status == "pass"
	contains(r.reason, "is malformed, so disabled accounts are counted")
}

test_not_applicable_without_members if {
	r := eval([row("g1", "guest", false)])
	r.status == "not_applicable"
}

test_not_applicable_when_all_members_disabled if {
	r := eval_with_users([row("bob", "member", false)], [{"id": "bob", "accountEnabled": false}])
	r.status == "not_applicable"
}

test_error_when_resource_missing if {
	f := {"status": 403, "code": "Authentication_RequestFromNonPremiumTenantOrB2CTenant", "message": "Neither tenant is B2C or tenant doesn't have premium license", "needs": "AuditLog.Read.All; Entra ID P1"}
	r := check.result with input as {"resources": {}, "failures": {KEY: f}}
	r.status == "error"
	contains(r.reason, KEY)
	contains(r.reason, "Entra ID P1")
	not r.compliant
}

test_error_when_resource_is_an_object if {
	r := eval({"value": []})
	r.status == "error"
	contains(r.reason, "expected a JSON array")
}

test_malformed_rows_are_ignored if {
	r := eval([null, 5, {"userType": "member"}, row("alice", "member", true)])
	r.status == "pass"
	r.total == 1
}
