# MS.AAD.2.1v1: Users detected as high risk SHALL be blocked.
#
# Passes when an enabled conditional access policy applies to all users and all
# resources without exclusions, its user risk condition (userRiskLevels) includes "high",
# and it blocks access. Risk detection needs Microsoft Entra ID P2.
package sspm.m365.entra.high_risk_users_blocked

import data.sspm.lib.ca
import data.sspm.lib.result as res

result := r if {
	r := res.unavailable([[ca.KEY, "array"]])
} else := ca.evaluate(
	{ca.assessed(p, ca.high_risk_block_gaps(p, "userRiskLevels", "user risk")) |
		some p in ca.policies
		ca.uses_risk_condition(p, "userRiskLevels")
	},
	{
		"met": "Users detected as high risk are blocked for all users and all resources",
		"unmet": "no enabled conditional access policy blocks user risk level high for all users and all resources without exclusions",
		"related": "policy uses the user risk condition",
	},
)
