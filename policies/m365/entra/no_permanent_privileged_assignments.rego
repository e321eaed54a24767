# MS.AAD.7.4v1: permanent active role assignments SHALL NOT be allowed for highly
# privileged roles.
#
# Reads the active role assignment schedule instances (PIM's view of every active
# assignment, GET /roleManagement/directory/roleAssignmentScheduleInstances). An instance
# of a highly privileged role with assignmentType "Assigned" (not a time-bound activation)
# and no endDateTime is a permanent active assignment; its principal is an offender.
package sspm.m365.entra.no_permanent_privileged_assignments

import data.sspm.lib.result as res
import data.sspm.lib.roles

KEY := roles.ASSIGNMENT_INSTANCES

# Instances of the highly privileged roles (one sspm.select pass over the list).
_privileged := roles.holding(KEY, roles.definition_ids(roles.HIGHLY_PRIVILEGED_IDS))

# Active assignments that are not PIM activations (assignmentType missing counts as
# "Assigned") and have no end date.
_bad := sspm.select(_privileged, [["assignmentType", "!=", "Activated"], ["endDateTime", "missing"]])

_bad_by_principal := sspm.group(_bad, "principalId")

_principals := sspm.values(_bad, "principalId")

_offenders := roles.principal_offenders(_principals)

# The first 10 offenders by name, each described as "name (Role, Role)" for the reason.
# Only these 10 are looked up in the assignments, so the cost stays linear.
_first := array.slice(sort([[o.name, o.id] | some o in _offenders]), 0, 10)

_descriptions := [sprintf("'%s (%s)'", [f[0], concat(", ", sort({roles.role_name(roles.template(a.roleDefinitionId)) | some a in _bad_by_principal[f[1]]}))]) | some f in _first]

_more := "" if {
	count(_offenders) <= count(_first)
} else := sprintf(" and %d more", [count(_offenders) - count(_first)])

_verb(1) := "holds"

_verb(n) := "hold" if n != 1

result := r if {
	r := res.unavailable([[KEY, "array"]])
} else := res.fail(
	sprintf("%s %s a permanent active assignment (no end date) of a highly privileged role: %s", [res.plural(count(_principals), "principal"), _verb(count(_principals)), concat("", [concat(", ", _descriptions), _more])]),
	_offenders,
) if {
	count(_principals) > 0
} else := res.pass(sprintf("No highly privileged role has a permanent active assignment: %s of these roles end at a set time or are PIM activations", [res.plural(count(_privileged), "active assignment")]))
