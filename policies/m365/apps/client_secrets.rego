# App registrations authenticate with certificates (or federated credentials / managed
# identities), not client secrets.
#
# Microsoft recommends a certificate instead of a client secret for production
# applications ("Add and manage application credentials in Microsoft Entra ID"). An app
# registration fails when it has at least one unexpired client secret
# (passwordCredentials with endDateTime after collected_at). Proportional: total = app
# registrations with at least one unexpired credential of either kind, compliant = those
# without an unexpired client secret.
package sspm.m365.apps.client_secrets

import data.sspm.lib.apps
import data.sspm.lib.result as res

_apps := sspm.select(res.array_at(apps.APPLICATIONS), [["id", "exists"]])

# Unexpired credentials (expired is null when endDateTime is unreadable: not judged).
_active := sspm.select(apps.credentials(_apps), [["expired", "==", false]])

_secret_rows := sspm.select(_active, [["kind", "==", "client secret"]])

# Ids of the app registrations with an unexpired client secret / certificate.
_secrets := sspm.values(_secret_rows, "owner_id")

_with_certificate := sspm.values(sspm.select(_active, [["kind", "==", "certificate"]]), "owner_id")

_offender := {"type": "application", "id": "owner_id", "name": "owner_name", "detail": "%s ends %s", "fields": ["label", "end"]}

# One offender per app registration, named with its secrets, built in Rust.
_offenders := array.concat(
	sspm.offenders_by(sspm.select(_secret_rows, [["owner_id", "not in", _with_certificate]]), _offender),
	sspm.offenders_by(
		sspm.select(_secret_rows, [["owner_id", "in", _with_certificate]]),
		object.union(_offender, {"suffix": " (also has a certificate: remove the secret once the certificate is in use)"}),
	),
)

_names := apps.names(_apps)

_total := count(sspm.values(_active, "owner_id"))

_compliant := _total - count(_secrets)

result := r if {
	r := res.unavailable([[apps.APPLICATIONS, "array"]])
} else := r if {
	r := apps.now_unavailable
} else := res.not_applicable("No app registration has an unexpired client secret or certificate") if {
	_total == 0
} else := object.union(
	res.pass(sprintf("None of the %s with unexpired credentials uses a client secret", [res.plural(_total, "app registration")])),
	{"compliant": _compliant, "total": _total},
) if {
	count(_secrets) == 0
} else := object.union(
	res.fail(
		sprintf("%d of %s with unexpired credentials authenticate with a client secret instead of a certificate: %s", [
			count(_secrets),
			res.plural(_total, "app registration"),
			res.name_list([_names[id] | some id in _secrets], 5),
		]),
		_offenders,
	),
	{"compliant": _compliant, "total": _total},
)
