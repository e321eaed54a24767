# MS.AAD.8.2v1: only users with the Guest Inviter role SHOULD be able to invite guest users.
#
# Passes when authorizationPolicy.allowInvitesFrom is "adminsAndGuestInviters" or "none".
package sspm.m365.entra.guest_invites_limited

import data.sspm.lib.entra
import data.sspm.lib.result as res

_path := ["allowInvitesFrom"]

_who := {
	"none": "nobody, including administrators, can invite guest users",
	"adminsAndGuestInviters": "only administrators and users in the Guest Inviter role can invite guest users",
	"adminsGuestInvitersAndAllMembers": "all member users, not only administrators and Guest Inviters, can invite guest users",
	"everyone": "everyone, including guest users, can invite guest users",
}

_value := object.get(entra.authorization_policy, _path, "")

result := r if {
	r := res.unavailable([[entra.AUTHORIZATION_POLICY, "object"]])
} else := r if {
	r := res.bad_field(entra.AUTHORIZATION_POLICY, _path, "string")
} else := res.pass(sprintf("Guest invitations are limited: %s (allowInvitesFrom is %s)", [_who[_value], _value])) if {
	_value in {"none", "adminsAndGuestInviters"}
} else := res.fail(sprintf("Guest invitations are not limited: %s (allowInvitesFrom is %s)", [_who[_value], _value]), []) if {
	_who[_value]
} else := res.fail(sprintf("allowInvitesFrom has the unrecognised value '%v'; only adminsAndGuestInviters or none limit guest invitations", [_value]), [])
