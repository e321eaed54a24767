# MS.AAD.3.4v1: the Authentication Methods Manage Migration feature SHALL be set to
# Migration Complete.
#
# Reads authenticationMethodsPolicy.policyMigrationState: "migrationComplete" passes;
# "preMigration" and "migrationInProgress" fail. As in ScubaGear, a null (or absent) state
# passes: tenants that never had the legacy MFA and SSPR policies report no migration state.
package sspm.m365.entra.auth_methods_migration_complete

import data.sspm.lib.result as res

KEY := "graph:/v1.0/policies/authenticationMethodsPolicy"

_state := res.get(res.object_at(KEY), ["policyMigrationState"], null)

_meaning := {
	"preMigration": "the legacy MFA and SSPR policies are still in force and the authentication methods policy is used alongside them",
	"migrationInProgress": "the legacy MFA and SSPR policies are still honoured while the migration is in progress",
}

result := r if {
	r := res.unavailable([[KEY, "object"]])
} else := res.error(sprintf("snapshot key %s is malformed: policyMigrationState is %s, expected a JSON string or null", [KEY, type_name(_state)])) if {
	not is_string(_state)
	_state != null
} else := res.pass("The authentication methods migration is complete (policyMigrationState is migrationComplete): authentication methods are managed only in the authentication methods policy") if {
	_state == "migrationComplete"
} else := res.pass("The authentication methods policy reports no migration state (policyMigrationState is null), so no legacy MFA or SSPR method settings apply") if {
	_state == null
} else := res.fail(sprintf("The authentication methods migration is not complete (policyMigrationState is '%s'): %s", [
	_state,
	object.get(_meaning, _state, "the legacy MFA and SSPR method settings may still apply"),
]), [{"type": "authenticationMethodsPolicy", "id": res.get(res.object_at(KEY), ["id"], "authenticationMethodsPolicy"), "name": "Authentication methods policy"}])
