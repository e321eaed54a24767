package sspm.m365.sharepoint.anyone_links_disabled_test

import data.sspm.m365.sharepoint.anyone_links_disabled as check

KEY := "graph:/v1.0/admin/sharepoint/settings"

# As GET /v1.0/admin/sharepoint/settings returns it (abridged).
settings(v) := {
	"sharingCapability": v,
	"sharingDomainRestrictionMode": "none",
	"sharingAllowedDomainList": [],
	"sharingBlockedDomainList": [],
	"isResharingByExternalUsersEnabled": false,
	"isLegacyAuthProtocolsEnabled": false,
	"isUnmanagedSyncAppForTenantRestricted": false,
	"allowedDomainGuidsForSyncApp": [],
}

eval(v) := r if {
	r := check.result with input as {"resources": {KEY: v}}
}

test_pass_new_and_existing_guests if {
	r := eval(settings("externalUserSharingOnly"))
	r.status == "pass"
	contains(r.reason, "new and existing guests")
}

test_pass_disabled if {
	r := eval(settings("disabled"))
	r.status == "pass"
}

test_fail_anyone if {
	r := eval(settings("externalUserAndGuestSharing"))
	r.status == "fail"
	contains(r.reason, "externalUserAndGuestSharing")
}

test_fail_unknown_value if {
	r := eval(settings("unknownFutureValue"))
	r.status == "fail"
	contains(r.reason, "unrecognised")
}

test_error_when_field_missing if {
	r := eval(object.remove(settings("disabled"), ["sharingCapability"]))
	r.status == "error"
	contains(r.reason, "sharingCapability is missing or null")
}

test_error_when_resource_failed if {
	r := check.result with input as {"resources": {}, "failures": {KEY: {"status": 403, "code": "accessDenied", "message": "", "needs": "SharePointTenantSettings.Read.All"}}}
	r.status == "error"
	contains(r.reason, "SharePointTenantSettings.Read.All")
}

test_error_when_resource_is_an_array if {
	r := eval([settings("disabled")])
	r.status == "error"
}
