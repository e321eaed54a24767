# MS.AAD.3.7v1: managed devices SHOULD be required for authentication.
#
# Passes when an enabled conditional access policy applies to all users and all resources,
# without exclusions or narrowing conditions, and its grant requires a compliant device or
# a Microsoft Entra hybrid joined device, with no other control (MFA, terms of use, an
# authentication strength) that lets an unmanaged device in under operator OR.
package sspm.m365.entra.managed_device_required

import data.sspm.lib.ca
import data.sspm.lib.result as res

_related(p) if {
	some c in ca.built_in_controls(p)
	c in ca.MANAGED_DEVICE_CONTROLS
}

result := r if {
	r := res.unavailable([[ca.KEY, "array"]])
} else := ca.evaluate(
	{ca.assessed(p, array.concat(ca.scope_gaps(p, set()), ca.managed_device_gaps(p))) |
		some p in ca.policies
		_related(p)
	},
	{
		"met": "A compliant or Microsoft Entra hybrid joined device is required for all users and all resources",
		"unmet": "no enabled conditional access policy requires a compliant or Microsoft Entra hybrid joined device for all users and all resources without exclusions",
		"related": "policy requires a compliant or hybrid joined device",
	},
)
