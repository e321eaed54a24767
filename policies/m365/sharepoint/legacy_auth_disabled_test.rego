package sspm.m365.sharepoint.legacy_auth_disabled_test

import data.sspm.m365.sharepoint.legacy_auth_disabled as check

KEY := "graph:/v1.0/admin/sharepoint/settings"

settings(v) := {
	"sharingCapability": "disabled",
	"isLegacyAuthProtocolsEnabled": v,
	"isMacSyncAppEnabled": true,
}

eval(v) := r if {
	r := check.result with input as {"resources": {KEY: v}}
}

test_pass_legacy_off if {
	r := eval(settings(false))
	r.status == "pass"
}

test_fail_legacy_on if {
	r := eval(settings(true))
	r.status == "fail"
	contains(r.reason, "isLegacyAuthProtocolsEnabled is true")
}

test_error_when_missing if {
	r := eval(object.remove(settings(false), ["isLegacyAuthProtocolsEnabled"]))
	r.status == "error"
	contains(r.reason, "isLegacyAuthProtocolsEnabled")
}

test_error_when_resource_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
	contains(r.reason, KEY)
}
