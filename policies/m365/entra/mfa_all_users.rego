# MS.AAD.3.2v2: if phishing-resistant MFA has not been enforced, an alternative MFA method
# SHALL be enforced for all users.
#
# Passes when an enabled conditional access policy applies to all users and all
# resources, without exclusions or narrowing conditions, and its grant requires MFA:
# the built-in "mfa" control or an authentication strength that satisfies MFA, with no
# non-MFA alternative under operator OR. A phishing-resistant authentication strength
# policy satisfies this check as well.
package sspm.m365.entra.mfa_all_users

import data.sspm.lib.ca
import data.sspm.lib.result as res

# Related: policies whose grant involves MFA or an authentication strength.
_related(p) if ca.mfa_control(p)

_related(p) if ca.strength(p)

result := r if {
	r := res.unavailable([[ca.KEY, "array"]])
} else := ca.evaluate(
	{ca.assessed(p, array.concat(ca.scope_gaps(p, set()), ca.mfa_gaps(p))) |
		some p in ca.policies
		_related(p)
	},
	{
		"met": "Multifactor authentication is required for all users and all resources",
		"unmet": "no enabled conditional access policy requires multifactor authentication for all users and all resources without exclusions",
		"related": "policy requires MFA or an authentication strength",
	},
)
