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

_apps := [a | some a in res.array_at(apps.APPLICATIONS); is_string(a.id)]

# Unexpired credentials (expired is null when endDateTime is unreadable: not judged).
_active := sspm.select(apps.credentials(_apps), [["expired", "==", false]])

# {application position: [its unexpired client secrets]}.
_secrets := sspm.group(sspm.select(_active, [["kind", "==", "client secret"]]), "index")

_with_certificate := sspm.values(sspm.select(_active, [["kind", "==", "certificate"]]), "index")

_cert_note := {
	true: " (also has a certificate: remove the secret once the certificate is in use)",
	false: "",
}

_offenders := [o |
	some i, ss in _secrets
	a := _apps[i]
	o := {
		"type": "application",
		"id": a.id,
		"name": sprintf("%s: %s%s", [
			apps.display_name(a),
			concat("; ", sspm.format(ss, "%s ends %s", ["label", "end"])),
			_cert_note[i in _with_certificate],
		]),
	}
]

_total := count(sspm.values(_active, "index"))

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
			res.name_list([apps.display_name(_apps[i]) | some i, _ in _secrets], 5),
		]),
		_offenders,
	),
	{"compliant": _compliant, "total": _total},
)
