# Application credentials are short-lived: every unexpired client secret
# (passwordCredentials) of an app registration is valid for at most 180 days and every
# certificate (keyCredentials) for at most 365 days.
#
# Lifetime = endDateTime - startDateTime; when startDateTime is missing or malformed, the
# remaining validity (endDateTime - collected_at) is used, a lower bound. Expired
# credentials are left to m365.apps.expired_credentials. Proportional: total = app
# registrations with at least one unexpired credential, compliant = those whose unexpired
# credentials are all within the limits. Linear: one pass over the applications and their
# (few) credentials; the assessment time is the snapshot's collected_at.
package sspm.m365.apps.credential_lifetime

import data.sspm.lib.apps
import data.sspm.lib.result as res

MAX_SECRET_DAYS := 180

MAX_CERTIFICATE_DAYS := 365

_limit_days("client secret") := MAX_SECRET_DAYS

_limit_days("certificate") := MAX_CERTIFICATE_DAYS

_apps := [a | some a in res.array_at(apps.APPLICATIONS); is_string(a.id)]

# Unexpired credentials per application (keyed by position: ids may repeat in bad data).
_active := sspm.group([c | some c in apps.credentials_of(_apps); c.end_ns > apps.now_ns], "index")

_lifetime(c) := c.end_ns - apps.start_ns(c) if {
	apps.start_ns(c) != null
} else := c.end_ns - apps.now_ns

_too_long(c) if _lifetime(c) > _limit_days(c.kind) * apps.DAY_NS

_offending := {i: bad |
	some i, cs in _active
	bad := [c | some c in cs; _too_long(c)]
	count(bad) > 0
}

_validity(c) := "beyond the year 2262" if {
	c.end_ns == apps.MAX_NS
} else := sprintf("%d days", [apps.days(_lifetime(c))]) if {
	apps.start_ns(c) != null
} else := sprintf("at least %d more days (startDateTime unreadable)", [apps.days(_lifetime(c))])

_detail(c) := sprintf("%s valid %s, ends %s", [apps.label(c), _validity(c), c.end])

_offenders := [o |
	some i, bad in _offending
	a := _apps[i]
	o := {
		"type": "application",
		"id": a.id,
		"name": sprintf("%s: %s", [apps.display_name(a), concat("; ", [_detail(c) | some c in bad])]),
	}
]

_total := count(_active)

_compliant := _total - count(_offending)

_limits := sprintf("client secrets at most %d days, certificates at most %d days", [MAX_SECRET_DAYS, MAX_CERTIFICATE_DAYS])

result := r if {
	r := res.unavailable([[apps.APPLICATIONS, "array"]])
} else := r if {
	r := apps.now_unavailable
} else := res.not_applicable("No app registration has an unexpired client secret or certificate") if {
	_total == 0
} else := object.union(
	res.pass(sprintf("All %s with unexpired credentials keep within the lifetime limits (%s)", [res.plural(_total, "app registration"), _limits])),
	{"compliant": _compliant, "total": _total},
) if {
	count(_offending) == 0
} else := object.union(
	res.fail(
		sprintf("%d of %s with unexpired credentials hold a credential valid longer than allowed (%s): %s", [
			count(_offending),
			res.plural(_total, "app registration"),
			_limits,
			res.name_list([apps.display_name(_apps[i]) | some i, _ in _offending], 5),
		]),
		_offenders,
	),
	{"compliant": _compliant, "total": _total},
)
