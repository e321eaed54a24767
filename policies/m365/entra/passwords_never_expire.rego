# MS.AAD.6.1v1: user passwords SHALL NOT expire.
#
# Every verified, managed (non-federated) domain must have passwordValidityPeriodInDays
# 2147483647 ("never expire"). A subdomain (isRoot false) uses its root domain's password
# policy, as in Entra ID. A missing value means Graph's documented default of 90 days.
# Federated domains are not evaluated: their password expiry is set by the federated
# identity provider. No verified managed domain at all is not_applicable.
package sspm.m365.entra.passwords_never_expire

import data.sspm.lib.result as res

KEY := "graph:/v1.0/domains"

NEVER := 2147483647

_domains := [d | some d in res.array_at(KEY); is_object(d); is_string(d.id)]

_verified := [d | some d in _domains; d.isVerified == true]

_federated := {d.id | some d in _verified; res.lower_str(res.get(d, ["authenticationType"], "")) == "federated"}

_managed := [d | some d in _verified; not d.id in _federated]

_validity(d) := res.get(d, ["passwordValidityPeriodInDays"], null)

_root_ids := {lower(d.id) | some d in _managed; res.get(d, ["isRoot"], true) != false}

_never_roots := {lower(d.id) | some d in _managed; res.get(d, ["isRoot"], true) != false; _validity(d) == NEVER}

# The nearest managed root domain of a subdomain, found by its dot-suffixes (linear in
# the number of labels, not in the number of domains).
_root_of(d) := r if {
	d.isRoot == false
	labels := split(lower(d.id), ".")
	count(labels) > 2
	candidates := [s |
		some i in numbers.range(1, count(labels) - 2)
		s := concat(".", array.slice(labels, i, count(labels)))
		s in _root_ids
	]
	count(candidates) > 0
	r := candidates[0]
}

_never_expires(d) if {
	r := _root_of(d)
	r in _never_roots
}

_never_expires(d) if {
	not _root_of(d)
	_validity(d) == NEVER
}

# What the domain's effective setting is, for the reason.
_setting(d) := sprintf("inherits %s", [_root_of(d)]) if {
	_root_of(d)
} else := sprintf("%v days", [_validity(d)]) if {
	_validity(d) != null
} else := "not set, so 90 days"

_offenders := {{"type": "domain", "id": d.id, "name": d.id} | some d in _managed; not _never_expires(d)}

_offender_text := concat(", ", [sprintf("%s (%s)", [d.id, _setting(d)]) |
	some d in _managed
	not _never_expires(d)
])

_federated_note := "" if {
	count(_federated) == 0
} else := sprintf("; %s not evaluated (password expiry is set by the identity provider): %s", [
	_federated_word(count(_federated)),
	concat(", ", _federated),
])

_federated_word(1) := "1 federated domain is"

_federated_word(n) := sprintf("%d federated domains are", [n]) if n != 1

_managed_word(1) := "the verified managed domain"

_managed_word(n) := sprintf("all %d verified managed domains", [n]) if n != 1

result := r if {
	r := res.unavailable([[KEY, "array"]])
} else := res.not_applicable("The tenant has no verified domains") if {
	count(_verified) == 0
} else := res.not_applicable(sprintf("All %d verified domains are federated; password expiry is set by the identity provider: %s", [
	count(_federated),
	concat(", ", _federated),
])) if {
	count(_managed) == 0
} else := object.union(
	res.fail(sprintf("Passwords expire in %s: %s%s", [
		res.plural(count(_offenders), "verified managed domain"),
		_offender_text,
		_federated_note,
	]), _offenders),
	{"compliant": count(_managed) - count(_offenders), "total": count(_managed)},
) if {
	count(_offenders) > 0
} else := object.union(
	res.pass(sprintf("Passwords never expire in %s%s", [_managed_word(count(_managed)), _federated_note])),
	{"compliant": count(_managed), "total": count(_managed)},
)
