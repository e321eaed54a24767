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

# {client service principal id: its high-privilege assignments}, grouped in Rust.
_by_principal := sspm.group(_hits, "principalId")

# The client service principals, found in one pass over the list.
_clients := sspm.select(res.array_at(apps.SERVICE_PRINCIPALS), [["id", "in", {pid | some pid, _ in _by_principal}]])

# {id: display name} of the clients found (ids repeat only in bad data: the first wins),
# then, for clients missing from the list, the principalDisplayName of an assignment.
_listed_names := apps.names(_clients)

_assigned_names := {pid: names[0] |
	some pid, rows in _by_principal
	not _listed_names[pid]
	names := [n | some a in rows; n := a.principalDisplayName; is_string(n); n != ""]
	count(names) > 0
}

_names := object.union(_assigned_names, _listed_names)

# Microsoft's first-party clients (Graph writes tenant ids in lower case; upper case is
# matched too).
_microsoft_tenants := {t | some x in apps.MICROSOFT_OWNER_TENANTS; some t in [x, upper(x)]}

_microsoft := sspm.values(sspm.select(_clients, [["appOwnerOrganizationId", "in", _microsoft_tenants]]), "id")

_disabled := sspm.values(sspm.select(_clients, [["accountEnabled", "==", false]]), "id")

_owner_note := {true: " [Microsoft first-party]", false: ""}

# Permission values per enabled client service principal.
_held := {pid: sort({_table[a.appRoleId].value | some a in rows}) |
	some pid, rows in _by_principal
	not pid in _disabled
}

_n_control := count({pid |
	some pid, rows in _by_principal
	not pid in _disabled
	some a in rows
	_table[a.appRoleId].kind == "control"
})

_offenders := [{"type": "servicePrincipal", "id": pid, "name": sprintf("%s%s: %s", [object.get(_names, pid, pid), _owner_note[pid in _microsoft], concat(", ", perms)])} |
	some pid, perms in _held
]

result := r if {
	r := res.unavailable([[apps.SERVICE_PRINCIPALS, "array"]])
} else := r if {
	r := apps.graph_assignments_unavailable
} else := res.pass(sprintf("No enabled service principal holds a high-privilege Microsoft Graph application permission (%s checked)", [res.plural(count(apps.graph_assignments), "application permission grant")])) if {
	count(_held) == 0
} else := res.fail(
	sprintf("%s high-privilege Microsoft Graph application permissions (%d of them can change roles, applications, users, groups or policies and so escalate to Global Administrator): %s", [
		_sp_text(count(_held)),
		_n_control,
		res.name_list([object.get(_names, pid, pid) | some pid, _ in _held], 5),
	]),
	_offenders,
)

_sp_text(1) := "1 service principal holds"

_sp_text(n) := sprintf("%d service principals hold", [n]) if n != 1
