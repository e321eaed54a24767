# CIS 7.2.3: external content sharing is restricted (the SharePoint sharing level is
# "New and existing guests" or more restrictive, so "Anyone" links cannot be created).
#
# Reads the Graph sharepointSettings object; fails when sharingCapability is
# externalUserAndGuestSharing (Anyone) or an unrecognised value.
package sspm.m365.sharepoint.anyone_links_disabled

import data.sspm.lib.result as res

KEY := "graph:/v1.0/admin/sharepoint/settings"

_level := {
	"disabled": "only people in the organisation",
	"existingExternalUserSharingOnly": "existing guests only",
	"externalUserSharingOnly": "new and existing guests, who must sign in or use a verification code",
	"externalUserAndGuestSharing": "anyone, including with links that need no sign-in",
}

_value := object.get(res.object_at(KEY), "sharingCapability", "")

result := r if {
	r := res.unavailable([[KEY, "object"]])
} else := r if {
	r := res.bad_field(KEY, ["sharingCapability"], "string")
} else := res.fail("SharePoint and OneDrive content can be shared with anyone through links that need no sign-in (sharingCapability is externalUserAndGuestSharing)", []) if {
	_value == "externalUserAndGuestSharing"
} else := res.pass(sprintf("Anyone links are not allowed: SharePoint sharing is limited to %s (sharingCapability is %s)", [_level[_value], _value])) if {
	_level[_value]
} else := res.fail(sprintf("sharingCapability has the unrecognised value '%v'; only disabled, existingExternalUserSharingOnly or externalUserSharingOnly rule out Anyone links", [_value]), [])
