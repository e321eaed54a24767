# CIS 7.2.5: SharePoint guest users cannot share items they don't own.
#
# Reads the Graph sharepointSettings object; passes when
# isResharingByExternalUsersEnabled is false.
package sspm.m365.sharepoint.guest_resharing_disabled

import data.sspm.lib.result as res

KEY := "graph:/v1.0/admin/sharepoint/settings"

result := r if {
	r := res.unavailable([[KEY, "object"]])
} else := r if {
	r := res.bad_field(KEY, ["isResharingByExternalUsersEnabled"], "boolean")
} else := res.pass("Guests cannot reshare files, folders and sites they don't own (isResharingByExternalUsersEnabled is false)") if {
	res.object_at(KEY).isResharingByExternalUsersEnabled == false
} else := res.fail("Guests can reshare files, folders and sites they don't own with other people (isResharingByExternalUsersEnabled is true)", [])
