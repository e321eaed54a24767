# CIS 5.2.2.1: multifactor authentication is enabled for all users in administrative roles.
#
# Passes when an enabled conditional access policy includes every administrative directory
# role that CIS lists (or all users), targets all resources, has no user, group or role
# exclusions and no narrowing conditions, and requires MFA: the built-in "mfa" control or
# an authentication strength that satisfies MFA, with no non-MFA alternative under OR.
package sspm.m365.entra.mfa_admin_roles

import data.sspm.lib.ca
import data.sspm.lib.result as res
import data.sspm.lib.roles

_targets_admins(p) if ca.includes_all_users(p)

_targets_admins(p) if count(ca.included_roles(p) & roles.CIS_ADMIN_ROLE_IDS) > 0

_related(p) if {
	_targets_admins(p)
	ca.mfa_control(p)
}

_related(p) if {
	_targets_admins(p)
	ca.strength(p)
}

result := r if {
	r := res.unavailable([[ca.KEY, "array"]])
} else := ca.evaluate(
	{ca.assessed(p, array.concat(ca.role_scope_gaps(p, roles.CIS_ADMIN_ROLES), ca.mfa_gaps(p))) |
		some p in ca.policies
		_related(p)
	},
	{
		"met": "Multifactor authentication is required for every administrative role on all resources",
		"unmet": "no enabled conditional access policy requires multifactor authentication for all 15 administrative roles listed by CIS on all resources without exclusions",
		"related": "policy requires MFA or an authentication strength for administrative roles",
	},
)
