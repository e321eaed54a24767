package sspm.m365.entra.weak_methods_disabled_test

import data.sspm.m365.entra.weak_methods_disabled as check

KEY := "graph:/v1.0/policies/authenticationMethodsPolicy"

config(id, state) := {
	"@odata.type": sprintf("#microsoft.graph.%sAuthenticationMethodConfiguration", [lower(id)]),
	"id": id,
	"state": state,
	"excludeTargets": [],
}

policy(configs) := {
	"id": "authenticationMethodsPolicy",
	"displayName": "Authentication Methods Policy",
	"policyVersion": "1.5",
	"policyMigrationState": "migrationComplete",
	"registrationEnforcement": {},
	"authenticationMethodConfigurations": configs,
}

strong := [config("Fido2", "enabled"), config("MicrosoftAuthenticator", "enabled"), config("TemporaryAccessPass", "enabled")]

all_disabled := array.concat(strong, [config("Sms", "disabled"), config("Voice", "disabled"), config("Email", "disabled")])

eval(p) := r if {
	r := check.result with input as {"resources": {KEY: p}}
}

test_pass_all_disabled if {
	r := eval(policy(all_disabled))
	r.status == "pass"
	not contains(r.reason, "not configured")
}

test_pass_absent_method_counts_as_disabled if {
	r := eval(policy(array.concat(strong, [config("Sms", "disabled"), config("Email", "disabled")])))
	r.status == "pass"
	contains(r.reason, "Voice call not configured")
}

test_fail_sms_enabled if {
	r := eval(policy(array.concat(strong, [config("Sms", "enabled"), config("Voice", "disabled"), config("Email", "disabled")])))
	r.status == "fail"
	r.offenders == [{"type": "authenticationMethod", "id": "Sms", "name": "SMS"}]
	contains(r.reason, "1 weak authentication method is enabled")
}

test_fail_lists_every_enabled_method if {
	r := eval(policy(array.concat(strong, [config("Sms", "enabled"), config("Voice", "enabled"), config("Email", "enabled")])))
	r.status == "fail"
	{o.id | some o in r.offenders} == {"Sms", "Voice", "Email"}
	contains(r.reason, "3 weak authentication methods are enabled")
}

test_fail_unknown_state_is_not_disabled if {
	r := eval(policy(array.concat(strong, [config("Sms", "disabled"), config("Voice", "disabled"), {"id": "Email"}])))
	r.status == "fail"
	r.offenders[0].id == "Email"
}

test_strong_methods_are_not_offenders if {
	r := eval(policy(array.concat(strong, [config("Sms", "enabled")])))
	count(r.offenders) == 1
}

test_fail_even_when_migration_incomplete if {
	p := object.union(policy(array.concat(strong, [config("Voice", "enabled")])), {"policyMigrationState": "migrationInProgress"})
	r := eval(p)
	r.status == "fail"
}

test_manual_when_disabled_but_migration_incomplete if {
	p := object.union(policy(all_disabled), {"policyMigrationState": "preMigration"})
	r := eval(p)
	r.status == "manual"
	contains(r.reason, "preMigration")
}

test_migration_state_absent_is_complete if {
	p := object.remove(policy(all_disabled), ["policyMigrationState"])
	r := eval(p)
	r.status == "pass"
}

test_error_when_resource_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
	contains(r.reason, KEY)
}

test_error_when_resource_is_an_array if {
	r := eval([policy(all_disabled)])
	r.status == "error"
	contains(r.reason, "expected a JSON object")
}

test_error_when_configurations_missing if {
	r := eval(object.remove(policy(all_disabled), ["authenticationMethodConfigurations"]))
	r.status == "error"
	contains(r.reason, "authenticationMethodConfigurations")
}
