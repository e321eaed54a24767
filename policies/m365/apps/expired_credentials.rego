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

_apps := sspm.select(res.array_at(apps.APPLICATIONS), [["id", "exists"]])

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

_expired(rows) := sspm.select(apps.credentials(rows), [["expired", "==", true]])

# One offender per object, named with its expired credentials, built in Rust.
_offenders_of(rows, type) := sspm.offenders_by(_expired(rows), {"type": type, "id": "owner_id", "name": "owner_name", "detail": "%s ended %s", "fields": ["label", "end"]})

_sp_list := [sp | some sp in _sps_with_credentials]

_app_hits := _offenders_of(_apps, "application")

_sp_hits := _offenders_of(_sp_list, "servicePrincipal")

_offenders := array.concat(_app_hits, _sp_hits)

# Display names of the first offenders, for the reason.
_names := object.union(apps.names(_sp_list), apps.names(_apps))

_first_names := [_names[o.id] | some o in array.slice(_offenders, 0, 5)]

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
		res.name_list_of(_first_names, count(_offenders)),
	]),
	_offenders,
)
