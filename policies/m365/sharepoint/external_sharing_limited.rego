# MS.SHAREPOINT.1.1v1: external sharing for SharePoint SHALL be limited to Existing
# guests or Only people in your organization.
#
# Reads the Graph sharepointSettings object; passes when sharingCapability is
# existingExternalUserSharingOnly or disabled.
package sspm.m365.sharepoint.external_sharing_limited

import data.sspm.lib.result as res

KEY := "graph:/v1.0/admin/sharepoint/settings"

_ok := {
	"disabled": "only people in the organisation",
	"existingExternalUserSharingOnly": "existing guests already in the directory",
}

_too_open := {
	"externalUserSharingOnly": "new and existing guests: users can invite new external people",
	"externalUserAndGuestSharing": "anyone, including links that need no sign-in",
}

_value := object.get(res.object_at(KEY), "sharingCapability", "")

result := r if {
	r := res.unavailable([[KEY, "object"]])
} else := r if {
	r := res.bad_field(KEY, ["sharingCapability"], "string")
} else := res.pass(sprintf("SharePoint external sharing is limited to %s (sharingCapability is %s)", [_ok[_value], _value])) if {
	_ok[_value]
} else := res.fail(sprintf("SharePoint external sharing is open to %s (sharingCapability is %s)", [_too_open[_value], _value]), []) if {
	_too_open[_value]
} else := res.fail(sprintf("sharingCapability has the unrecognised value '%v'; only existingExternalUserSharingOnly or disabled limit sharing to existing guests", [_value]), [])
