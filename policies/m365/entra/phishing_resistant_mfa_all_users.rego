# MS.AAD.3.1v1: phishing-resistant MFA SHALL be enforced for all users.
#
# Passes when an enabled conditional access policy applies to all users and all resources,
# without exclusions or narrowing conditions, and its grant requires an authentication
# strength whose allowed combinations are all phishing-resistant (Windows Hello for
# Business, FIDO2, multifactor certificate-based authentication), with no other control
# that satisfies the grant instead (operator OR).
package sspm.m365.entra.phishing_resistant_mfa_all_users

import data.sspm.lib.ca
import data.sspm.lib.result as res

# Related: policies whose grant uses an authentication strength or requires MFA.
_related(p) if ca.strength(p)

_related(p) if "mfa" in ca.built_in_controls(p)

result := r if {
	r := res.unavailable([[ca.KEY, "array"]])
} else := ca.evaluate(
	{ca.assessed(p, array.concat(ca.scope_gaps(p, set()), ca.phishing_resistant_gaps(p))) |
		some p in ca.policies
		_related(p)
	},
	{
		"met": "Phishing-resistant MFA is required for all users and all resources",
		"unmet": "no enabled conditional access policy requires a phishing-resistant authentication strength for all users and all resources without exclusions",
		"related": "policy requires MFA or an authentication strength",
	},
)
