# No delegated permission grant consented for all users (consentType AllPrincipals) gives
# an application risky scopes: every user's mail or files, or write access to the
# directory.
#
# An oAuth2PermissionGrant with consentType "AllPrincipals" was consented by an
# administrator on behalf of the whole organisation: the client application can act with
# those scopes for any user who signs in to it. The risky scope values are listed in
# sspm.lib.apps (RISKY_DELEGATED_SCOPES). offline_access is not risky by itself, but it
# lets the application keep refresh tokens, so the offender says when a risky grant
# includes it. The service principal list is optional: it only names the client and
# resource. Linear: grants are filtered in Rust (sspm.select) and the few matching
# service principals are found in one pass.
package sspm.m365.apps.risky_tenant_wide_grants

import data.sspm.lib.apps
import data.sspm.lib.result as res

_all_principals := sspm.select(res.array_at(apps.GRANTS), [["consentType", "==", "AllPrincipals"]])

# [grant, sorted risky scopes] for every tenant-wide grant with at least one risky scope.
_risky := [[g, risky] |
	some g in _all_principals
	is_string(g.id)
	is_string(g.scope)
	risky := sort({x | some x in split(g.scope, " ")} & apps.RISKY_DELEGATED_SCOPES)
	count(risky) > 0
]

_sp_ids := {id | some x in _risky; some id in [x[0].clientId, x[0].resourceId]; is_string(id)}

_names := apps.group([[sp.id, apps.display_name(sp)] |
	some sp in sspm.select(res.array_at(apps.SERVICE_PRINCIPALS), [["id", "in", _sp_ids]])
])

_name(id) := sort(_names[id])[0] if {
	count(_names[id]) > 0
} else := id if {
	is_string(id)
} else := "unknown"

_offline(g) := " (with offline_access: refresh tokens keep the access)" if {
	"offline_access" in apps.scopes(g)
} else := ""

_offenders := [o |
	some x in _risky
	g := x[0]
	o := {
		"type": "grant",
		"id": g.id,
		"name": sprintf("%s on %s, consented for all users: %s%s", [_name(g.clientId), _name(g.resourceId), concat(", ", x[1]), _offline(g)]),
	}
]

_clients := {_name(x[0].clientId) | some x in _risky}

result := r if {
	r := res.unavailable([[apps.GRANTS, "array"]])
} else := res.pass(sprintf("%s a risky scope (mail, files, directory write)", [_none_text(count(_all_principals))])) if {
	count(_risky) == 0
} else := res.fail(
	sprintf("%s risky delegated scopes (mail, files or directory write) to %s: %s", [
		_grant_text(count(_risky)),
		res.plural(count(_clients), "application"),
		res.name_list(_clients, 5),
	]),
	_offenders,
)

_grant_text(1) := "1 delegated permission grant consented for all users gives"

_grant_text(n) := sprintf("%d delegated permission grants consented for all users give", [n]) if n != 1

_none_text(1) := "The 1 delegated permission grant consented for all users does not include"

_none_text(n) := sprintf("None of the %d delegated permission grants consented for all users includes", [n]) if n != 1
