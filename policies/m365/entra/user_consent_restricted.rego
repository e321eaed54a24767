# MS.AAD.5.2v1: only administrators SHALL be allowed to consent to applications.
#
# User consent is governed by the permission grant policies assigned to the default user
# role (authorizationPolicy.defaultUserRolePermissions.permissionGrantPoliciesAssigned).
# Every assigned "ManagePermissionGrantsForSelf.*" policy lets users consent to some
# applications on their own behalf, so the check passes only when none is assigned
# ("Do not allow user consent"). "ManagePermissionGrantsForOwnedResource.*" policies
# (resource-specific consent by group and team owners) are a different setting and are
# not assessed here.
package sspm.m365.entra.user_consent_restricted

import data.sspm.lib.entra
import data.sspm.lib.result as res

_path := ["defaultUserRolePermissions", "permissionGrantPoliciesAssigned"]

_PREFIX := "managepermissiongrantsforself."

_assigned := [p | some p in res.list(entra.authorization_policy, _path); is_string(p)]

_self_consent := {o |
	some p in _assigned
	startswith(lower(p), _PREFIX)
	o := {"type": "permissionGrantPolicy", "id": p, "name": _describe(p)}
}

# Microsoft's built-in user consent policies, keyed by their id after the prefix.
_builtin := {
	"microsoft-user-default-legacy": "users can consent to any application for any permission that does not need admin consent",
	"microsoft-user-default-low": "users can consent to applications from verified publishers for low-impact permissions",
	"microsoft-user-default-recommended": "Microsoft-managed user consent settings",
}

_describe(p) := sprintf("%s (%s)", [p, _builtin[lower(substring(p, count(_PREFIX), -1))]]) if {
	_builtin[lower(substring(p, count(_PREFIX), -1))]
} else := sprintf("%s (custom user consent policy)", [p])

result := r if {
	r := res.unavailable([[entra.AUTHORIZATION_POLICY, "object"]])
} else := r if {
	r := res.bad_field(entra.AUTHORIZATION_POLICY, _path, "array")
} else := res.fail(
	sprintf("Users can consent to applications on their own behalf: %s assigned to the default user role: %s", [
		_assigned_text(count(_self_consent)),
		concat("; ", [o.name | some o in _self_consent]),
	]),
	_self_consent,
) if {
	count(_self_consent) > 0
} else := res.pass("User consent to applications is not allowed: no ManagePermissionGrantsForSelf permission grant policy is assigned to the default user role, so only administrators can consent")

_assigned_text(1) := "1 user consent policy is"

_assigned_text(n) := sprintf("%d user consent policies are", [n]) if n != 1
