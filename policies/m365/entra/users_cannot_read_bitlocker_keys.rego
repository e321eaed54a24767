# CIS 5.1.4.6: users are restricted from recovering BitLocker keys of the devices they own.
#
# Passes when authorizationPolicy.defaultUserRolePermissions.allowedToReadBitlockerKeysForOwnedDevice is false.
package sspm.m365.entra.users_cannot_read_bitlocker_keys

import data.sspm.lib.entra
import data.sspm.lib.result as res

_path := ["defaultUserRolePermissions", "allowedToReadBitlockerKeysForOwnedDevice"]

result := r if {
	r := res.unavailable([[entra.AUTHORIZATION_POLICY, "object"]])
} else := r if {
	r := res.bad_field(entra.AUTHORIZATION_POLICY, _path, "boolean")
} else := res.pass("Users cannot read the BitLocker recovery keys of the devices they own; recovery goes through an administrator (defaultUserRolePermissions.allowedToReadBitlockerKeysForOwnedDevice is false)") if {
	object.get(entra.authorization_policy, _path, null) == false
} else := res.fail("Users can read the BitLocker recovery keys of the devices they own (defaultUserRolePermissions.allowedToReadBitlockerKeysForOwnedDevice is true)", [{"type": "authorizationPolicy", "id": res.get(entra.authorization_policy, ["id"], "authorizationPolicy"), "name": "Authorization policy"}])
