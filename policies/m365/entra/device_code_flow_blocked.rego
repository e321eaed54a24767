# MS.AAD.3.9v1: device code authentication SHOULD be blocked.
#
# Passes when an enabled conditional access policy applies to all users and all resources,
# without exclusions or other narrowing conditions, has the authentication flows condition
# with the transfer method deviceCodeFlow (alone or with authenticationTransfer) and blocks
# access.
package sspm.m365.entra.device_code_flow_blocked

import data.sspm.lib.ca
import data.sspm.lib.result as res

# transferMethods is a flags enumeration serialised as a comma-separated string
# ("deviceCodeFlow", "authenticationTransfer", "deviceCodeFlow,authenticationTransfer").
_methods(p) := {trim_space(m) | some m in split(t, ",")} if {
	t := res.get(p, ["conditions", "authenticationFlows", "transferMethods"], "")
	is_string(t)
} else := set()

_related(p) if "deviceCodeFlow" in _methods(p)

_gaps(p) := array.concat(ca.scope_gaps(p, {"authenticationFlows"}), ca.block_gaps(p))

result := r if {
	r := res.unavailable([[ca.KEY, "array"]])
} else := ca.evaluate(
	{ca.assessed(p, _gaps(p)) | some p in ca.policies; _related(p)},
	{
		"met": "The device code flow is blocked for all users and all resources",
		"unmet": "no enabled conditional access policy blocks the device code flow for all users and all resources without exclusions",
		"related": "policy targets the device code authentication flow",
	},
)
