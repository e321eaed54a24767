# CIS 6.2.1 (the outbound spam policy part): automatic forwarding to external recipients
# is blocked by the outbound spam filter policies.
#
# Reads Get-HostedOutboundSpamFilterPolicy; every policy must have AutoForwardingMode
# "Off". "Automatic" is today the same as Off, but Microsoft documents it as the
# system-controlled value that may change, so it does not pass; "On" fails.
package sspm.m365.exchange.outbound_spam_autoforward_off

import data.sspm.lib.exo
import data.sspm.lib.result as res

KEY := "exo:Get-HostedOutboundSpamFilterPolicy"

_policies := exo.objects(KEY)

_mode(p) := lower(m) if {
	m := exo.prop(p, "AutoForwardingMode")
	is_string(m)
} else := ""

_not_off := [p | some p in _policies; _mode(p) != "off"]

_text := concat(", ", [sprintf("'%s' (%s)", [exo.name(p), exo.prop(p, "AutoForwardingMode")]) | some p in _not_off])

result := r if {
	r := res.unavailable([[KEY, "array"]])
} else := r if {
	r := exo.no_object(KEY)
} else := r if {
	r := exo.bad_string_any(KEY, "AutoForwardingMode")
} else := object.union(
	res.fail(sprintf("Automatic external forwarding is not turned off in %s: %s", [
		exo.policy_count(count(_not_off), "outbound spam filter"),
		_text,
	]), [exo.offender(p, "policy") | some p in _not_off]),
	{"compliant": count(_policies) - count(_not_off), "total": count(_policies)},
) if {
	count(_not_off) > 0
} else := object.union(
	res.pass(sprintf("Automatic forwarding to external recipients is Off in %s", [_all(count(_policies))])),
	{"compliant": count(_policies), "total": count(_policies)},
)

_all(1) := "the only outbound spam filter policy"

_all(n) := sprintf("all %d outbound spam filter policies", [n]) if n != 1
