# CIS 5.1.3.2: users cannot create security groups.
#
# Passes when authorizationPolicy.defaultUserRolePermissions.allowedToCreateSecurityGroups is false.
package sspm.m365.entra.users_cannot_create_security_groups

import data.sspm.lib.entra
import data.sspm.lib.result as res

_path := ["defaultUserRolePermissions", "allowedToCreateSecurityGroups"]

result := r if {
	r := res.unavailable([[entra.AUTHORIZATION_POLICY, "object"]])
} else := r if {
	r := res.bad_field(entra.AUTHORIZATION_POLICY, _path, "boolean")
} else := res.pass("Only administrators can create security groups (defaultUserRolePermissions.allowedToCreateSecurityGroups is false)") if {
	object.get(entra.authorization_policy, _path, null) == false
} else := res.fail("Every user can create security groups in the Microsoft Entra admin centers, the API and PowerShell (defaultUserRolePermissions.allowedToCreateSecurityGroups is true)", [{"type": "authorizationPolicy", "id": res.get(entra.authorization_policy, ["id"], "authorizationPolicy"), "name": "Authorization policy"}])
