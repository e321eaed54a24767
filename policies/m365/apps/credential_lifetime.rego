# Application credentials are short-lived: every unexpired client secret
# (passwordCredentials) of an app registration is valid for at most 180 days and every
# certificate (keyCredentials) for at most 365 days.
#
# Lifetime = endDateTime - startDateTime in whole days; when startDateTime is missing or
# malformed, the remaining validity (endDateTime - collected_at) is used, a lower bound. Expired
# credentials are left to m365.apps.expired_credentials. Proportional: total = app
# registrations with at least one unexpired credential, compliant = those whose unexpired
# credentials are all within the limits. Linear: the credentials are flattened, dated and
# filtered in Rust (sspm.credentials, sspm.select); the assessment time is the snapshot's
# collected_at.
package sspm.m365.apps.credential_lifetime

import data.sspm.lib.apps
import data.sspm.lib.result as res

MAX_SECRET_DAYS := 180

MAX_CERTIFICATE_DAYS := 365

_apps := sspm.select(res.array_at(apps.APPLICATIONS), [["id", "exists"]])

# Unexpired credentials (expired is null when endDateTime is unreadable: not judged).
_active := sspm.select(apps.credentials(_apps), [["expired", "==", false]])

# Credentials whose lifetime (endDateTime - startDateTime, whole days) is over the limit.
_measured := array.concat(
	sspm.select(_active, [["kind", "==", "client secret"], ["lifetime_days", ">", MAX_SECRET_DAYS]]),
	sspm.select(_active, [["kind", "==", "certificate"], ["lifetime_days", ">", MAX_CERTIFICATE_DAYS]]),
)

# Credentials with an unreadable startDateTime whose remaining validity alone is over it.
_unmeasured := array.concat(
	sspm.select(_active, [["kind", "==", "client secret"], ["lifetime_days", "==", null], ["remaining_days", ">", MAX_SECRET_DAYS]]),
	sspm.select(_active, [["kind", "==", "certificate"], ["lifetime_days", "==", null], ["remaining_days", ">", MAX_CERTIFICATE_DAYS]]),
)

_measured_detail := ["%s valid %d days, ends %s", ["label", "lifetime_days", "end"]]

_unmeasured_detail := ["%s valid at least %d more days (startDateTime unreadable), ends %s", ["label", "remaining_days", "end"]]

# Ids of the app registrations holding a credential over the limit.
_offending := sspm.values(_measured, "owner_id") | sspm.values(_unmeasured, "owner_id")

# Those with credentials of both kinds (rare) get one offender naming all of them.
_both := sspm.values(_measured, "owner_id") & sspm.values(_unmeasured, "owner_id")

_offender(rows, detail) := sspm.offenders_by(sspm.select(rows, [["owner_id", "not in", _both]]), {
	"type": "application",
	"id": "owner_id",
	"name": "owner_name",
	"detail": detail[0],
	"fields": detail[1],
})

_text(rows, detail) := sspm.format_by(sspm.select(rows, [["owner_id", "in", _both]]), "owner_id", detail[0], detail[1], "; ")

_names := apps.names(_apps)

_offenders := array.concat(
	array.concat(_offender(_measured, _measured_detail), _offender(_unmeasured, _unmeasured_detail)),
	[{"type": "application", "id": id, "name": sprintf("%s: %s; %s", [_names[id], m[id], u[id]])} |
		m := _text(_measured, _measured_detail)
		u := _text(_unmeasured, _unmeasured_detail)
		some id in _both
	],
)

_total := count(sspm.values(_active, "owner_id"))

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
			res.name_list([_names[id] | some id in _offending], 5),
		]),
		_offenders,
	),
	{"compliant": _compliant, "total": _total},
)
