# MS.AAD.7.5v1: provisioning users to highly privileged roles SHALL NOT occur outside of a
# PAM system.
#
# Reads the active role assignment schedule instances
# (GET /roleManagement/directory/roleAssignmentScheduleInstances). As in ScubaGear, an
# active instance of a highly privileged role without a startDateTime was created outside
# Privileged Identity Management (directly in the admin centers, PowerShell or the
# roleAssignments API; the PIM portal shows its start time as "-"); its principal is an
# offender.
package sspm.m365.entra.privileged_assignments_through_pim

import data.sspm.lib.result as res
import data.sspm.lib.roles

KEY := roles.ASSIGNMENT_INSTANCES

# Instances of the highly privileged roles (one sspm.select pass over the list).
_privileged := roles.holding(KEY, roles.definition_ids(roles.HIGHLY_PRIVILEGED_IDS))

# Active assignments without a start time (absent or null), narrowed in Rust.
_bad := sspm.select(_privileged, [["startDateTime", "missing"]])

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
	sprintf("%s %s an assignment of a highly privileged role made outside Privileged Identity Management (no start time): %s", [res.plural(count(_principals), "principal"), _verb(count(_principals)), concat("", [concat(", ", _descriptions), _more])]),
	_offenders,
) if {
	count(_principals) > 0
} else := res.pass(sprintf("Every active assignment of a highly privileged role was made through Privileged Identity Management (%s, all with a start time)", [res.plural(count(_privileged), "active assignment")]))
