# MS.AAD.5.1v1: only administrators SHALL be allowed to register applications.
#
# Passes when authorizationPolicy.defaultUserRolePermissions.allowedToCreateApps is false.
package sspm.m365.entra.users_cannot_register_apps

import data.sspm.lib.entra
import data.sspm.lib.result as res

_path := ["defaultUserRolePermissions", "allowedToCreateApps"]

result := r if {
	r := res.unavailable([[entra.AUTHORIZATION_POLICY, "object"]])
} else := r if {
	r := res.bad_field(entra.AUTHORIZATION_POLICY, _path, "boolean")
} else := res.pass("Only administrators and users with an application developer role can register applications (defaultUserRolePermissions.allowedToCreateApps is false)") if {
	object.get(entra.authorization_policy, _path, null) == false
} else := res.fail("Every user can register applications in the tenant (defaultUserRolePermissions.allowedToCreateApps is true)", [])
