# MS.AAD.3.6v1: phishing-resistant MFA SHALL be required for highly privileged roles.
#
# Passes when an enabled conditional access policy includes every highly privileged role
# of the SCuBA baseline (or all users), targets all resources, has no user, group or role
# exclusions and no narrowing conditions, and requires an authentication strength whose
# allowed combinations are all phishing-resistant.
package sspm.m365.entra.phishing_resistant_mfa_admins

import data.sspm.lib.ca
import data.sspm.lib.result as res
import data.sspm.lib.roles

# Related: policies that target a highly privileged role (or all users) and require MFA or
# an authentication strength.
_targets_admins(p) if ca.includes_all_users(p)

_targets_admins(p) if count(ca.included_roles(p) & roles.HIGHLY_PRIVILEGED_IDS) > 0

_strong(p) if ca.strength(p)

_strong(p) if "mfa" in ca.built_in_controls(p)

_related(p) if {
	_targets_admins(p)
	_strong(p)
}

result := r if {
	r := res.unavailable([[ca.KEY, "array"]])
} else := ca.evaluate(
	{ca.assessed(p, array.concat(ca.role_scope_gaps(p, roles.HIGHLY_PRIVILEGED), ca.phishing_resistant_gaps(p))) |
		some p in ca.policies
		_related(p)
	},
	{
		"met": "Phishing-resistant MFA is required for every highly privileged role on all resources",
		"unmet": "no enabled conditional access policy requires a phishing-resistant authentication strength for all the highly privileged roles (Global, Privileged Role, User, SharePoint, Exchange, Hybrid Identity, Application and Cloud Application Administrator) on all resources without exclusions",
		"related": "policy requires MFA or an authentication strength for these roles",
	},
)
