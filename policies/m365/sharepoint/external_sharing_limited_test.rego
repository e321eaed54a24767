package sspm.m365.sharepoint.external_sharing_limited_test

import data.sspm.m365.sharepoint.external_sharing_limited as check

KEY := "graph:/v1.0/admin/sharepoint/settings"

settings(v) := {
	"sharingCapability": v,
	"sharingDomainRestrictionMode": "none",
	"isResharingByExternalUsersEnabled": false,
}

eval(v) := r if {
	r := check.result with input as {"resources": {KEY: v}}
}

test_pass_existing_guests if {
	r := eval(settings("existingExternalUserSharingOnly"))
	r.status == "pass"
	contains(r.reason, "existing guests")
}

test_pass_disabled if {
	r := eval(settings("disabled"))
	r.status == "pass"
}

test_fail_new_guests if {
	r := eval(settings("externalUserSharingOnly"))
	r.status == "fail"
	contains(r.reason, "new and existing guests")
}

test_fail_anyone if {
	r := eval(settings("externalUserAndGuestSharing"))
	r.status == "fail"
}

test_fail_unknown if {
	r := eval(settings("unknownFutureValue"))
	r.status == "fail"
	contains(r.reason, "unrecognised")
}

test_error_when_not_a_string if {
	r := eval(settings(2))
	r.status == "error"
	contains(r.reason, "expected a JSON string")
}

test_error_when_resource_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
	contains(r.reason, KEY)
}
