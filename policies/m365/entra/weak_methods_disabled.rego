# MS.AAD.3.5v2: the authentication methods SMS, Voice Call, and Email One-Time Passcode
# (OTP) SHALL be disabled.
#
# Reads the tenant's authenticationMethodsPolicy (GET /policies/authenticationMethodsPolicy,
# which returns authenticationMethodConfigurations inline). Each weak method passes when
# its configuration has state "disabled" or when the policy has no configuration for it
# (a method without a configuration cannot be enabled through the policy). While the
# migration from the legacy MFA and SSPR policies is not complete, those legacy policies
# can still offer SMS and voice, which Graph cannot show: the result is then "manual".
package sspm.m365.entra.weak_methods_disabled

import data.sspm.lib.result as res

KEY := "graph:/v1.0/policies/authenticationMethodsPolicy"

# Graph configuration id (lower-cased) -> [id as Graph spells it, name for humans].
_weak := {
	"sms": ["Sms", "SMS"],
	"voice": ["Voice", "Voice call"],
	"email": ["Email", "Email OTP"],
}

_policy := res.object_at(KEY)

_configs := [c | some c in res.list(_policy, ["authenticationMethodConfigurations"]); is_object(c)]

# Weak methods whose configuration is in any state other than "disabled".
_enabled := {o |
	some c in _configs
	is_string(c.id)
	w := _weak[lower(c.id)]
	res.get(c, ["state"], "") != "disabled"
	o := {"type": "authenticationMethod", "id": w[0], "name": w[1]}
}

_configured := {lower(c.id) | some c in _configs; is_string(c.id)}

_unconfigured := [w[1] | some k, w in _weak; not k in _configured]

_migration := res.get(_policy, ["policyMigrationState"], "migrationComplete")

_not_configured_note := "" if {
	count(_unconfigured) == 0
} else := sprintf(" (%s not configured in the policy, which leaves it unavailable)", [concat(", ", _unconfigured)])

_count_text(1) := "1 weak authentication method is"

_count_text(n) := sprintf("%d weak authentication methods are", [n]) if n != 1

result := r if {
	r := res.unavailable([[KEY, "object"]])
} else := res.error(sprintf("snapshot key %s is malformed: authenticationMethodConfigurations is not an array", [KEY])) if {
	not is_array(res.get(_policy, ["authenticationMethodConfigurations"], null))
} else := res.fail(
	sprintf("%s enabled in the Authentication methods policy: %s", [
		_count_text(count(_enabled)),
		concat(", ", [o.name | some o in _enabled]),
	]),
	_enabled,
) if {
	count(_enabled) > 0
} else := res.manual(sprintf(
	"SMS, Voice call and Email OTP are disabled in the Authentication methods policy%s, but policyMigrationState is '%v': the legacy MFA and SSPR policies may still offer SMS or voice; check them or set the migration to Migration Complete",
	[_not_configured_note, _migration],
)) if {
	_migration != "migrationComplete"
} else := res.pass(sprintf("SMS, Voice call and Email OTP are disabled in the Authentication methods policy%s", [_not_configured_note]))
