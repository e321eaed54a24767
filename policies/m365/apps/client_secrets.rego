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

# Unexpired credentials per application (keyed by position: ids may repeat in bad data).
_active := sspm.group([c | some c in apps.credentials_of(_apps); c.end_ns > apps.now_ns], "index")

_secrets := {i: ss |
	some i, cs in _active
	ss := [c | some c in cs; c.kind == "client secret"]
	count(ss) > 0
}

_has_certificate(i) if {
	some c in _active[i]
	c.kind == "certificate"
}

_cert_note(i) := " (also has a certificate: remove the secret once the certificate is in use)" if {
	_has_certificate(i)
} else := ""

_offenders := [o |
	some i, ss in _secrets
	a := _apps[i]
	o := {
		"type": "application",
		"id": a.id,
		"name": sprintf("%s: %s%s", [
			apps.display_name(a),
			concat("; ", [sprintf("%s ends %s", [apps.label(c), c.end]) | some c in ss]),
			_cert_note(i),
		]),
	}
]

_total := count(_active)

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
