# CIS 5.1.2.3: 'Restrict non-admin users from creating tenants' is set to 'Yes'.
#
# Passes when authorizationPolicy.defaultUserRolePermissions.allowedToCreateTenants is false.
package sspm.m365.entra.users_cannot_create_tenants

import data.sspm.lib.entra
import data.sspm.lib.result as res

_path := ["defaultUserRolePermissions", "allowedToCreateTenants"]

result := r if {
	r := res.unavailable([[entra.AUTHORIZATION_POLICY, "object"]])
} else := r if {
	r := res.bad_field(entra.AUTHORIZATION_POLICY, _path, "boolean")
} else := res.pass("Only administrators and users with the Tenant Creator role can create tenants (defaultUserRolePermissions.allowedToCreateTenants is false)") if {
	object.get(entra.authorization_policy, _path, null) == false
} else := res.fail("Every user can create new Microsoft Entra tenants and becomes their Global Administrator (defaultUserRolePermissions.allowedToCreateTenants is true)", [{"type": "authorizationPolicy", "id": res.get(entra.authorization_policy, ["id"], "authorizationPolicy"), "name": "Authorization policy"}])
