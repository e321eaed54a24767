package sspm.m365.sharepoint.sync_unmanaged_devices_restricted_test

import data.sspm.m365.sharepoint.sync_unmanaged_devices_restricted as check

KEY := "graph:/v1.0/admin/sharepoint/settings"

settings(restricted, guids) := {
	"sharingCapability": "externalUserSharingOnly",
	"isUnmanagedSyncAppForTenantRestricted": restricted,
	"allowedDomainGuidsForSyncApp": guids,
	"excludedFileExtensionsForSyncApp": [],
	"isMacSyncAppEnabled": true,
}

eval(v) := r if {
	r := check.result with input as {"resources": {KEY: v}}
}

test_pass_restricted_with_domain if {
	r := eval(settings(true, ["3d1e2a0b-6f0c-4c3b-9a62-1c0c7cfd1e55"]))
	r.status == "pass"
	contains(r.reason, "1 trusted domain")
}

test_fail_not_restricted if {
	r := eval(settings(false, []))
	r.status == "fail"
	contains(r.reason, "isUnmanagedSyncAppForTenantRestricted is false")
}

test_fail_restricted_without_domains if {
	r := eval(settings(true, []))
	r.status == "fail"
	contains(r.reason, "no trusted domain")
}

test_error_when_flag_missing if {
	r := eval(object.remove(settings(true, []), ["isUnmanagedSyncAppForTenantRestricted"]))
	r.status == "error"
}

test_error_when_resource_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
	contains(r.reason, KEY)
}
