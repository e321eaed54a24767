# No service principal holds a high-privilege Microsoft Graph application permission.
#
# Application permissions granted on Microsoft Graph are the appRoleAssignments listed by
# GET /servicePrincipals/{Microsoft Graph's id}/appRoleAssignedTo: principalId is the
# client service principal, appRoleId the permission. The permissions judged
# high-privilege are listed in sspm.lib.apps (HIGH_PRIVILEGE_GRAPH_APP_ROLES): those that
# let an app reach Global Administrator (role management, app role assignment,
# application and directory write …) and those that read or change every mailbox, file
# or site. Service principals that are disabled (accountEnabled false) cannot obtain
# tokens and are not counted. Linear: one sspm.select pass over the assignments, then
# the (few) matching client service principals are looked up by id.
package sspm.m365.apps.high_privilege_app_permissions

import data.sspm.lib.apps
import data.sspm.lib.result as res

_table := apps.HIGH_PRIVILEGE_GRAPH_APP_ROLES

_ids := {id | some id, _ in _table}

_hits := sspm.select(apps.graph_assignments, [
	["appRoleId", "in", _ids],
	["principalId", "exists"],
	["principalType", "not in", ["User", "Group"]],
])

# The client service principals, found in one pass over the list.
_clients := sspm.select(res.array_at(apps.SERVICE_PRINCIPALS), [["id", "in", sspm.values(_hits, "principalId")]])

# Display names of the clients found; a client missing from the list is named by the
# principalDisplayName of its assignment.
_names := apps.names(_clients)

# Microsoft's first-party clients (Graph writes tenant ids in lower case; upper case is
# matched too).
_microsoft_tenants := {t | some x in apps.MICROSOFT_OWNER_TENANTS; some t in [x, upper(x)]}

_microsoft := sspm.values(sspm.select(_clients, [["appOwnerOrganizationId", "in", _microsoft_tenants]]), "id")

_disabled := sspm.values(sspm.select(_clients, [["accountEnabled", "==", false]]), "id")

# The high-privilege assignments of enabled clients.
_held := sspm.select(_hits, [["principalId", "not in", _disabled]])

_held_ids := sspm.values(_held, "principalId")

_control_ids := {id | some id, t in _table; t.kind == "control"}

_n_control := count(sspm.values(sspm.select(_held, [["appRoleId", "in", _control_ids]]), "principalId"))

# One offender per client naming its permissions, built in Rust.
_offender := {
	"type": "servicePrincipal",
	"id": "principalId",
	"name": "principalDisplayName",
	"names": _names,
	"detail": "%s",
	"fields": [["appRoleId", {id: t.value | some id, t in _table}]],
	"separator": ", ",
}

_offenders := array.concat(
	sspm.offenders_by(sspm.select(_held, [["principalId", "not in", _microsoft]]), _offender),
	sspm.offenders_by(sspm.select(_held, [["principalId", "in", _microsoft]]), object.union(_offender, {"suffix": " [Microsoft first-party]"})),
)

# The display names of the first offenders (the text before the last ": " of the name:
# permission values hold no colon).
_first_names := [substring(o.name, 0, max(indexof_n(o.name, ": "))) | some o in array.slice(_offenders, 0, 5)]

result := r if {
	r := res.unavailable([[apps.SERVICE_PRINCIPALS, "array"]])
} else := r if {
	r := apps.graph_assignments_unavailable
} else := res.pass(sprintf("No enabled service principal holds a high-privilege Microsoft Graph application permission (%s checked)", [res.plural(count(apps.graph_assignments), "application permission grant")])) if {
	count(_held_ids) == 0
} else := res.fail(
	sprintf("%s high-privilege Microsoft Graph application permissions (%d of them can change roles, applications, users, groups or policies and so escalate to Global Administrator): %s", [
		_sp_text(count(_held_ids)),
		_n_control,
		res.name_list_of(_first_names, count(_offenders)),
	]),
	_offenders,
)

_sp_text(1) := "1 service principal holds"

_sp_text(n) := sprintf("%d service principals hold", [n]) if n != 1
