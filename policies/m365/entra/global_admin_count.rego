# MS.AAD.7.1v1: a minimum of two users and a maximum of eight users SHALL be provisioned
# with the Global Administrator role.
#
# Counts the distinct principals that hold Global Administrator actively
# (unifiedRoleAssignment) or as eligible through PIM
# (unifiedRoleEligibilityScheduleInstance). A role definition is Global Administrator when
# its id or templateId is the built-in template id (for built-in roles both are equal).
# Linear in the data: the set of Global Administrator definition ids is built first and
# each assignment is then a set lookup.
package sspm.m365.entra.global_admin_count

import data.sspm.lib.entra
import data.sspm.lib.result as res

DEFINITIONS := "graph:/v1.0/roleManagement/directory/roleDefinitions"

ASSIGNMENTS := "graph:/v1.0/roleManagement/directory/roleAssignments"

ELIGIBILITIES := "graph:/v1.0/roleManagement/directory/roleEligibilityScheduleInstances"

MIN := 2

MAX := 8

# Role definition ids that are Global Administrator (as Graph spells them and lower-cased).
_ga_ids := {entra.GLOBAL_ADMINISTRATOR} | {id |
	some d in res.array_at(DEFINITIONS)
	is_string(d.id)
	res.lower_str(d.templateId) == entra.GLOBAL_ADMINISTRATOR
	some id in {d.id, lower(d.id)}
}

# Global Administrator assignments (active) or eligibility instances with a principal.
# This runs over every role assignment of the tenant: one sspm.select pass, in Rust.
_holding(key) := sspm.select(res.array_at(key), [["roleDefinitionId", "in", _ga_ids], ["principalId", "exists"]])

_active := _holding(ASSIGNMENTS)

_eligible := _holding(ELIGIBILITIES)

_active_ids := {a.principalId | some a in _active}

_eligible_ids := {a.principalId | some a in _eligible}

_principals := _active_ids | _eligible_ids

_n := count(_principals)

# Principals whose expanded `principal` says they are groups or service principals.
_of_type(t) := {a.principalId |
	some a in array.concat(_active, _eligible)
	res.get(a, ["principal", "@odata.type"], "") == t
}

_groups := _of_type("#microsoft.graph.group")

_apps := _of_type("#microsoft.graph.servicePrincipal")

# Offender candidates: named when the principal was expanded, otherwise by id. Drop the
# id-only entry of a principal that also has a named one (set lookups, no nested scan).
_candidates := {{"type": "principal", "id": a.principalId, "name": _name(a)} | some a in array.concat(_active, _eligible)}

_named_ids := {o.id | some o in _candidates; o.name != o.id}

_offenders := {o | some o in _candidates; _keep(o)}

_keep(o) if o.name != o.id

_keep(o) if not o.id in _named_ids

_name(a) := n if {
	n := res.get(a, ["principal", "displayName"], "")
	is_string(n)
	n != ""
} else := a.principalId

_breakdown := sprintf("%d active, %d eligible%s", [count(_active_ids), count(_eligible_ids), _kinds])

_kinds := concat("", [
	_kind_note(count(_groups), "group", "whose members are not counted individually"),
	_kind_note(count(_apps), "service principal", ""),
])

_kind_note(0, _, _) := ""

_kind_note(n, word, tail) := sprintf("; %s%s", [res.plural(n, word), _tail(tail)]) if n > 0

_tail("") := ""

_tail(t) := sprintf(" %s", [t]) if t != ""

_holder_text(1) := "1 principal holds"

_holder_text(n) := sprintf("%d principals hold", [n]) if n != 1

result := r if {
	r := res.unavailable([[DEFINITIONS, "array"], [ASSIGNMENTS, "array"], [ELIGIBILITIES, "array"]])
} else := res.fail(
	sprintf("%s the Global Administrator role (%s); at most %d are allowed", [_holder_text(_n), _breakdown, MAX]),
	_offenders,
) if {
	_n > MAX
} else := res.fail(
	sprintf("Only %s the Global Administrator role (%s); at least %d are needed so that the tenant is not locked out when one account is unavailable", [
		_holder_text(_n),
		_breakdown,
		MIN,
	]),
	[],
) if {
	_n < MIN
} else := res.pass(sprintf("%s the Global Administrator role (%s), within the allowed %d to %d", [_holder_text(_n), _breakdown, MIN, MAX]))
