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
# resource. Linear: grants are filtered in Rust (sspm.select, also on their scopes) and
# the few matching service principals are found in one pass.
package sspm.m365.apps.risky_tenant_wide_grants

import data.sspm.lib.apps
import data.sspm.lib.result as res

_all_principals := sspm.select(res.array_at(apps.GRANTS), [["consentType", "==", "AllPrincipals"]])

_risky_scopes := apps.RISKY_DELEGATED_SCOPES

_offline_note := {true: " (with offline_access: refresh tokens keep the access)", false: ""}

# Every tenant-wide grant with at least one risky scope, as {grant, scopes (sorted risky
# scope values), offline (its offline_access note)}. The grants are narrowed in Rust
# first: tenants hold tens of thousands.
_risky := [{"grant": g, "scopes": risky, "offline": _offline_note["offline_access" in words]} |
	some g in sspm.select(_all_principals, [["scope", "any word in", _risky_scopes]])
	is_string(g.id)
	words := {x | some x in split(g.scope, " ")}
	risky := sort(words & _risky_scopes)
]

_sp_ids := {id | some x in _risky; some id in [x.grant.clientId, x.grant.resourceId]; is_string(id)}

# {service principal id: display name}; the first of duplicate ids wins.
_names := apps.names(sspm.select(res.array_at(apps.SERVICE_PRINCIPALS), [["id", "in", _sp_ids]]))

_name(id) := object.get(_names, id, id) if {
	is_string(id)
} else := "unknown"

_offenders := [o |
	some x in _risky
	g := x.grant
	o := {
		"type": "grant",
		"id": g.id,
		"name": sprintf("%s on %s, consented for all users: %s%s", [_name(g.clientId), _name(g.resourceId), concat(", ", x.scopes), x.offline]),
	}
]

_clients := {_name(x.grant.clientId) | some x in _risky}

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
