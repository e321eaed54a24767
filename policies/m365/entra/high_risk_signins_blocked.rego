# MS.AAD.2.3v1: Sign-ins detected as high risk SHALL be blocked.
#
# Passes when an enabled conditional access policy applies to all users and all
# resources without exclusions, its sign-in risk condition (signInRiskLevels) includes "high",
# and it blocks access. Risk detection needs Microsoft Entra ID P2.
package sspm.m365.entra.high_risk_signins_blocked

import data.sspm.lib.ca
import data.sspm.lib.result as res

result := r if {
	r := res.unavailable([[ca.KEY, "array"]])
} else := ca.evaluate(
	{ca.assessed(p, ca.high_risk_block_gaps(p, "signInRiskLevels", "sign-in risk")) |
		some p in ca.policies
		ca.uses_risk_condition(p, "signInRiskLevels")
	},
	{
		"met": "Sign-ins detected as high risk are blocked for all users and all resources",
		"unmet": "no enabled conditional access policy blocks sign-in risk level high for all users and all resources without exclusions",
		"related": "policy uses the sign-in risk condition",
	},
)
