package sspm.m365.exchange.safe_links_enabled_test

import data.sspm.m365.exchange.safe_links_enabled as check

KEY := "exo:Get-SafeLinksPolicy"

# A Safe Links policy as Get-SafeLinksPolicy returns it.
good := {
	"Name": "Contoso Safe Links",
	"Identity": "Contoso Safe Links",
	"IsBuiltInProtection": false,
	"EnableSafeLinksForEmail": true,
	"EnableSafeLinksForTeams": true,
	"EnableSafeLinksForOffice": true,
	"ScanUrls": true,
	"TrackClicks": true,
	"AllowClickThrough": false,
	"EnableForInternalSenders": true,
	"DeliverMessageAfterScan": true,
	"DisableUrlRewrite": false,
}

eval(v) := r if {
	r := check.result with input as {"resources": {KEY: v}}
}

test_pass_one_good_policy if {
	r := eval([good, object.union(good, {"Name": "Lab", "Identity": "Lab", "EnableSafeLinksForTeams": false})])
	r.status == "pass"
	contains(r.reason, "1 Safe Links policy")
	contains(r.reason, "'Contoso Safe Links'")
}

test_fail_click_through_allowed if {
	r := eval([object.union(good, {"AllowClickThrough": true})])
	r.status == "fail"
	contains(r.reason, "AllowClickThrough is not false")
	r.offenders == [{"type": "policy", "id": "Contoso Safe Links", "name": "Contoso Safe Links"}]
}

test_fail_office_and_tracking_off if {
	r := eval([object.union(good, {"EnableSafeLinksForOffice": false, "TrackClicks": "False"})])
	r.status == "fail"
	contains(r.reason, "EnableSafeLinksForOffice is not true, TrackClicks is not true")
}

test_fail_missing_property_is_not_compliant if {
	r := eval([object.remove(good, ["EnableSafeLinksForTeams"])])
	r.status == "fail"
	contains(r.reason, "EnableSafeLinksForTeams is not true")
}

test_fail_no_policy if {
	r := eval([])
	r.status == "fail"
	contains(r.reason, "No Safe Links policy exists")
}

test_error_when_resource_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
	contains(r.reason, KEY)
}

test_error_when_resource_is_an_object if {
	r := eval(good)
	r.status == "error"
}
