# MS.AAD.3.8v1: managed devices SHOULD be required to register MFA.
#
# Passes when an enabled conditional access policy applies to all users, without
# exclusions or narrowing conditions, targets the user action "Register security
# information" (urn:user:registersecurityinfo) and requires a compliant or Microsoft Entra
# hybrid joined device, with no other control that satisfies the grant under operator OR.
package sspm.m365.entra.managed_device_mfa_registration

import data.sspm.lib.ca
import data.sspm.lib.result as res

ACTION := "urn:user:registersecurityinfo"

_related(p) if ACTION in res.strings(p, ["conditions", "applications", "includeUserActions"])

result := r if {
	r := res.unavailable([[ca.KEY, "array"]])
} else := ca.evaluate(
	{ca.assessed(p, array.concat(ca.user_action_scope_gaps(p, ACTION), ca.managed_device_gaps(p))) |
		some p in ca.policies
		_related(p)
	},
	{
		"met": "All users must be on a compliant or Microsoft Entra hybrid joined device to register security information",
		"unmet": "no enabled conditional access policy requires a compliant or Microsoft Entra hybrid joined device for all users registering security information (MFA methods) without exclusions",
		"related": "policy targets the user action Register security information",
	},
)
