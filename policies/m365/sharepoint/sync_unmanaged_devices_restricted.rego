# CIS 7.3.2: OneDrive sync is restricted for unmanaged devices.
#
# Reads the Graph sharepointSettings object; passes when
# isUnmanagedSyncAppForTenantRestricted is true and allowedDomainGuidsForSyncApp names at
# least one trusted (Active Directory) domain GUID.
package sspm.m365.sharepoint.sync_unmanaged_devices_restricted

import data.sspm.lib.result as res

KEY := "graph:/v1.0/admin/sharepoint/settings"

_settings := res.object_at(KEY)

_guids := res.strings(_settings, ["allowedDomainGuidsForSyncApp"])

result := r if {
	r := res.unavailable([[KEY, "object"]])
} else := r if {
	r := res.bad_field(KEY, ["isUnmanagedSyncAppForTenantRestricted"], "boolean")
} else := res.fail("The OneDrive sync app can sync files to any computer, including personal and unmanaged ones (isUnmanagedSyncAppForTenantRestricted is false)", []) if {
	_settings.isUnmanagedSyncAppForTenantRestricted == false
} else := res.fail("Sync is restricted to domain-joined computers (isUnmanagedSyncAppForTenantRestricted is true) but allowedDomainGuidsForSyncApp lists no trusted domain", []) if {
	count(_guids) == 0
} else := res.pass(sprintf("The OneDrive sync app only syncs on computers joined to %s (isUnmanagedSyncAppForTenantRestricted is true)", [res.plural(count(_guids), "trusted domain")]))
