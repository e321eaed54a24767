# MS.AAD.8.1v1: guest users SHOULD have limited or restricted access to Microsoft Entra ID
# directory objects.
#
# Passes when authorizationPolicy.guestUserRoleId is the "Guest User" role (limited
# access, 10dae51f-...) or the "Restricted Guest User" role (2af84b1e-...).
package sspm.m365.entra.guest_access_restricted

import data.sspm.lib.entra
import data.sspm.lib.result as res

_path := ["guestUserRoleId"]

_levels := {
	entra.GUEST_ROLE_RESTRICTED: "Guest user access is restricted to properties and memberships of their own directory objects (most restrictive)",
	entra.GUEST_ROLE_LIMITED: "Guest users have limited access to properties and memberships of directory objects",
	entra.GUEST_ROLE_MEMBER: "Guest users have the same access as member users (most inclusive)",
}

_role := lower(v) if {
	v := object.get(entra.authorization_policy, _path, "")
	is_string(v)
} else := ""

result := r if {
	r := res.unavailable([[entra.AUTHORIZATION_POLICY, "object"]])
} else := r if {
	r := res.bad_field(entra.AUTHORIZATION_POLICY, _path, "string")
} else := res.pass(sprintf("%s; guestUserRoleId is %s", [_levels[_role], _role])) if {
	_role in {entra.GUEST_ROLE_RESTRICTED, entra.GUEST_ROLE_LIMITED}
} else := res.fail(sprintf("%s; guestUserRoleId is %s", [_levels[_role], _role]), []) if {
	_levels[_role]
} else := res.fail(sprintf("Guest user access uses the unknown role %s (guestUserRoleId), which is neither the limited nor the restricted guest role", [_role]), [])
