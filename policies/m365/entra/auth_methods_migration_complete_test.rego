package sspm.m365.entra.auth_methods_migration_complete_test

import data.sspm.m365.entra.auth_methods_migration_complete as check

KEY := "graph:/v1.0/policies/authenticationMethodsPolicy"

policy(state) := {
	"id": "authenticationMethodsPolicy",
	"displayName": "Authentication Methods Policy",
	"description": "The tenant-wide policy that controls which authentication methods are allowed in the tenant",
	"lastModifiedDateTime": "2026-10-17T03:00:00Z",
	"policyVersion": "1.5",
	"policyMigrationState": state,
	"authenticationMethodConfigurations": [],
}

eval(p) := r if {
	r := check.result with input as {"resources": {KEY: p}}
}

test_pass_migration_complete if {
	r := eval(policy("migrationComplete"))
	r.status == "pass"
	contains(r.reason, "migrationComplete")
}

test_pass_null_state if {
	r := eval(policy(null))
	r.status == "pass"
	contains(r.reason, "null")
}

test_fail_pre_migration if {
	r := eval(policy("preMigration"))
	r.status == "fail"
	contains(r.reason, "'preMigration'")
	r.offenders[0].id == "authenticationMethodsPolicy"
}

test_fail_in_progress if {
	r := eval(policy("migrationInProgress"))
	r.status == "fail"
	contains(r.reason, "in progress")
}

test_fail_unknown_value if {
	r := eval(policy("unknownFutureValue"))
	r.status == "fail"
}

test_error_when_state_not_a_string if {
	r := eval(policy(3))
	r.status == "error"
	contains(r.reason, "policyMigrationState")
}

test_error_when_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
	contains(r.reason, KEY)
}

test_error_when_array if {
	r := eval([policy("migrationComplete")])
	r.status == "error"
}
