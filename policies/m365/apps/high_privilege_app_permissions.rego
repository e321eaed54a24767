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

# {client service principal id: set of high-privilege appRoleIds}, grouped in one sort.
_by_principal := apps.group([[a.principalId, a.appRoleId] | some a in _hits; is_string(a.principalId)])

# The client service principals, found in one pass over the list.
_clients := sspm.select(res.array_at(apps.SERVICE_PRINCIPALS), [["id", "in", {pid | some pid, _ in _by_principal}]])

_names := apps.group([[sp.id, apps.display_name(sp)] | some sp in _clients])

_assigned_names := apps.group([[a.principalId, a.principalDisplayName] |
	some a in _hits
	is_string(a.principalId)
	is_string(a.principalDisplayName)
	a.principalDisplayName != ""
])

_microsoft := {sp.id | some sp in _clients; apps.is_microsoft_owned(sp)}

_disabled := {sp.id | some sp in _clients; sp.accountEnabled == false}

_name(pid) := sort(_names[pid])[0] if {
	count(_names[pid]) > 0
} else := sort(_assigned_names[pid])[0] if {
	count(_assigned_names[pid]) > 0
} else := pid

_owner_note(pid) := " [Microsoft first-party]" if {
	pid in _microsoft
} else := ""

# Permission values per enabled client service principal.
_held := {pid: sort({_table[r].value | some r in roles}) |
	some pid, roles in _by_principal
	not pid in _disabled
}

_n_control := count({pid |
	some pid, roles in _by_principal
	not pid in _disabled
	some r in roles
	_table[r].kind == "control"
})

_offenders := [{"type": "servicePrincipal", "id": pid, "name": sprintf("%s%s: %s", [_name(pid), _owner_note(pid), concat(", ", perms)])} |
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
		res.name_list([_name(pid) | some pid, _ in _held], 5),
	]),
	_offenders,
)

_sp_text(1) := "1 service principal holds"

_sp_text(n) := sprintf("%d service principals hold", [n]) if n != 1
