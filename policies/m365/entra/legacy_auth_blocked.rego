# MS.AAD.1.1v1: legacy authentication SHALL be blocked.
#
# Passes when an enabled conditional access policy applies to all users and all
# resources, without exclusions or other narrowing conditions, targets the legacy client
# app types (Exchange ActiveSync and "other clients") and blocks access.
package sspm.m365.entra.legacy_auth_blocked

import data.sspm.lib.ca
import data.sspm.lib.result as res

_legacy_clients := [["exchangeActiveSync", "Exchange ActiveSync"], ["other", "other legacy"]]

# A policy is related when it targets at least one legacy client app type.
_related(p) if {
	some t in _legacy_clients
	t[0] in ca.client_app_types(p)
}

_client_gaps(p) := [g |
	some t in _legacy_clients
	not t[0] in ca.client_app_types(p)
	g := sprintf("does not cover %s clients", [t[1]])
]

_gaps(p) := array.concat(
	ca.scope_gaps(p, {"clientAppTypes"}),
	array.concat(_client_gaps(p), ca.block_gaps(p)),
)

result := r if {
	r := res.unavailable([[ca.KEY, "array"]])
} else := ca.evaluate(
	{ca.assessed(p, _gaps(p)) | some p in ca.policies; _related(p)},
	{
		"met": "Legacy authentication (Exchange ActiveSync and other clients) is blocked for all users and all resources",
		"unmet": "no enabled conditional access policy blocks legacy authentication (Exchange ActiveSync and other clients) for all users and all resources without exclusions",
		"related": "policy targets the legacy client app types at all",
	},
)
