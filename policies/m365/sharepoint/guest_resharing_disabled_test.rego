package sspm.m365.sharepoint.guest_resharing_disabled_test

import data.sspm.m365.sharepoint.guest_resharing_disabled as check

KEY := "graph:/v1.0/admin/sharepoint/settings"

settings(v) := {
	"sharingCapability": "externalUserSharingOnly",
	"isResharingByExternalUsersEnabled": v,
	"isRequireAcceptingUserToMatchInvitedUserEnabled": true,
}

eval(v) := r if {
	r := check.result with input as {"resources": {KEY: v}}
}

test_pass_resharing_off if {
	r := eval(settings(false))
	r.status == "pass"
}

test_fail_resharing_on if {
	r := eval(settings(true))
	r.status == "fail"
	contains(r.reason, "isResharingByExternalUsersEnabled is true")
}

test_error_when_null if {
	r := eval(settings(null))
	r.status == "error"
	contains(r.reason, "isResharingByExternalUsersEnabled is missing or null")
}

test_error_when_string if {
	r := eval(settings("false"))
	r.status == "error"
}

test_error_when_resource_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
}
