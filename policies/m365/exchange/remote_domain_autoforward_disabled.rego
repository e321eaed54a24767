# MS.EXO.1.1v1: automatic forwarding to external domains SHALL be disabled.
#
# Reads Get-RemoteDomain; as in ScubaGear, every remote domain (the Default one, whose
# DomainName is "*", and any specific one) must have AutoForwardEnabled false. Each
# remote domain that allows automatic forwarding is an offender.
package sspm.m365.exchange.remote_domain_autoforward_disabled

import data.sspm.lib.exo
import data.sspm.lib.result as res

KEY := "exo:Get-RemoteDomain"

_domains := exo.objects(KEY)

_forwarding := [d | some d in _domains; exo.is_true(exo.prop(d, "AutoForwardEnabled"))]

# "Default (*)", "Fabrikam (fabrikam.com)"
_label(d) := sprintf("%s (%s)", [exo.name(d), dn]) if {
	dn := exo.prop(d, "DomainName")
	is_string(dn)
	dn != exo.name(d)
} else := exo.name(d)

_offenders := [{"type": "domain", "id": exo.id(d), "name": _label(d)} | some d in _forwarding]

result := r if {
	r := res.unavailable([[KEY, "array"]])
} else := r if {
	r := exo.no_object(KEY)
} else := r if {
	r := exo.bad_bool_any(KEY, "AutoForwardEnabled")
} else := object.union(
	res.fail(sprintf("Automatic forwarding to external recipients is allowed (AutoForwardEnabled is true) for %s: %s", [
		res.plural(count(_forwarding), "remote domain"),
		res.name_list([_label(d) | some d in _forwarding], 5),
	]), _offenders),
	{"compliant": count(_domains) - count(_forwarding), "total": count(_domains)},
) if {
	count(_forwarding) > 0
} else := object.union(
	res.pass(sprintf("Automatic forwarding is blocked for %s (AutoForwardEnabled is false)", [_all(count(_domains))])),
	{"compliant": count(_domains), "total": count(_domains)},
)

_all(1) := "the only remote domain"

_all(n) := sprintf("all %d remote domains", [n]) if n != 1
