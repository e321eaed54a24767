# No expired client secrets or certificates are left on app registrations or service
# principals.
#
# A credential is expired when its endDateTime is at or before the snapshot's
# collected_at. Credentials whose endDateTime is missing or malformed are not judged.
# Linear: the long service principal list is first narrowed in Rust (sspm.select) to the
# rows that have credentials at all, then each remaining object is read once.
package sspm.m365.apps.expired_credentials

import data.sspm.lib.apps
import data.sspm.lib.result as res

_apps := [a | some a in res.array_at(apps.APPLICATIONS); is_string(a.id)]

# Service principals with a non-empty credential list ("!=" is also true when the field is
# missing; those rows simply have no credentials below).
_sps_with_credentials := {sp |
	rows := res.array_at(apps.SERVICE_PRINCIPALS)
	some sp in array.concat(
		sspm.select(rows, [["passwordCredentials", "!=", []], ["id", "exists"]]),
		sspm.select(rows, [["keyCredentials", "!=", []], ["id", "exists"]]),
	)
	is_string(sp.id)
}

# Expired credentials by position in `rows`.
_expired(rows) := sspm.group(sspm.select(apps.credentials(rows), [["expired", "==", true]]), "index")

_sp_list := [sp | some sp in _sps_with_credentials]

_offender(type, obj, expired) := {
	"type": type,
	"id": obj.id,
	"name": sprintf("%s: %s", [apps.display_name(obj), concat("; ", sspm.format(expired, "%s ended %s", ["label", "end"]))]),
}

# [display name, offender] pairs.
_app_hits := [[apps.display_name(a), o] |
	some i, expired in _expired(_apps)
	a := _apps[i]
	o := _offender("application", a, expired)
]

_sp_hits := [[apps.display_name(sp), o] |
	some i, expired in _expired(_sp_list)
	sp := _sp_list[i]
	o := _offender("servicePrincipal", sp, expired)
]

_hits := array.concat(_app_hits, _sp_hits)

_offenders := [h[1] | some h in _hits]

result := r if {
	r := res.unavailable([[apps.APPLICATIONS, "array"], [apps.SERVICE_PRINCIPALS, "array"]])
} else := r if {
	r := apps.now_unavailable
} else := res.pass(sprintf("No expired client secret or certificate is left on the %s and %s", [
	res.plural(count(_apps), "app registration"),
	res.plural(count(res.array_at(apps.SERVICE_PRINCIPALS)), "service principal"),
])) if {
	count(_offenders) == 0
} else := res.fail(
	sprintf("Expired credentials are still present on %s and %s: %s", [
		res.plural(count(_app_hits), "app registration"),
		res.plural(count(_sp_hits), "service principal"),
		res.name_list([h[0] | some h in _hits], 5),
	]),
	_offenders,
)
