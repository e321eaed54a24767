# MS.AAD.7.2v1: privileged users SHALL be provisioned with finer-grained roles instead of
# Global Administrator.
#
# As in ScubaGear: count the users who hold Global Administrator and the users who hold
# another highly privileged role but not Global Administrator (active or eligible; group
# principals count through their user members when the snapshot has them). The policy is
# met when the Global Administrator count is within MS.AAD.7.1's 2 to 8 and is at most the
# count of other privileged users (ratio <= 1).
package sspm.m365.entra.global_admin_least_privilege

import data.sspm.lib.result as res
import data.sspm.lib.roles

_ga_defs := roles.definition_ids({roles.GLOBAL_ADMINISTRATOR})

_other_defs := roles.definition_ids(roles.HIGHLY_PRIVILEGED_IDS - {roles.GLOBAL_ADMINISTRATOR})

_principals(defs) := sspm.values(roles.holding(roles.ASSIGNMENTS, defs), "principalId") | sspm.values(roles.holding(roles.ELIGIBILITIES, defs), "principalId")

_ga_principals := _principals(_ga_defs)

_other_principals := _principals(_other_defs)

_ga_users := roles.user_ids_of(_ga_principals)

_other_users := roles.user_ids_of(_other_principals) - _ga_users

_ga := count(_ga_users)

_other := count(_other_users)

_uncollected := roles.uncollected_groups(_ga_principals | _other_principals)

_group_note := "" if {
	count(_uncollected) == 0
} else := sprintf("; the members of %s holding these roles are not in the snapshot and were not counted", [res.plural(count(_uncollected), "group")])

_counts := sprintf("%s Global Administrator and %s only other highly privileged roles", [_holds(_ga), _holds(_other)])

_holds(1) := "1 user holds"

_holds(n) := sprintf("%d users hold", [n]) if n != 1

result := r if {
	r := res.unavailable([[roles.ASSIGNMENTS, "array"], [roles.ELIGIBILITIES, "array"], [roles.USERS, "array"]])
} else := res.fail(sprintf("%s; the least-privilege ratio is not computed because the Global Administrator count is outside 2 to 8 (MS.AAD.7.1)%s", [_counts, _group_note]), roles.principal_offenders(_ga_users)) if {
	not _ga_in_range
} else := res.fail(sprintf("%s (ratio %d:%d, more than 1): move administrators from Global Administrator to finer-grained roles%s", [_counts, _ga, _other, _group_note]), roles.principal_offenders(_ga_users)) if {
	_ga > _other
} else := res.pass(sprintf("%s (ratio %d:%d, at most 1)%s", [_counts, _ga, _other, _group_note]))

_ga_in_range if {
	_ga >= 2
	_ga <= 8
}
