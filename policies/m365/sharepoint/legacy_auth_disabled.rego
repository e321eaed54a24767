# CIS 7.2.1: modern authentication for SharePoint applications is required.
#
# Reads the Graph sharepointSettings object; passes when isLegacyAuthProtocolsEnabled
# is false.
package sspm.m365.sharepoint.legacy_auth_disabled

import data.sspm.lib.result as res

KEY := "graph:/v1.0/admin/sharepoint/settings"

result := r if {
	r := res.unavailable([[KEY, "object"]])
} else := r if {
	r := res.bad_field(KEY, ["isLegacyAuthProtocolsEnabled"], "boolean")
} else := res.pass("SharePoint and OneDrive require modern authentication (isLegacyAuthProtocolsEnabled is false)") if {
	res.object_at(KEY).isLegacyAuthProtocolsEnabled == false
} else := res.fail("SharePoint and OneDrive accept legacy authentication protocols (isLegacyAuthProtocolsEnabled is true): apps that cannot do MFA or Conditional Access can still sign in", [])
