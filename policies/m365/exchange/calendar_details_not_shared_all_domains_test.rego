package sspm.m365.exchange.calendar_details_not_shared_all_domains_test

import data.sspm.m365.exchange.calendar_details_not_shared_all_domains as check

KEY := "exo:Get-SharingPolicy"

policy(name, domains) := {
	"Name": name,
	"Identity": name,
	"Default": name == "Default Sharing Policy",
	"Enabled": true,
	"Domains": domains,
}

default_policy := policy("Default Sharing Policy", ["Anonymous:CalendarSharingFreeBusyReviewer", "*:CalendarSharingFreeBusySimple"])

eval(v) := r if {
	r := check.result with input as {"resources": {KEY: v}}
}

test_pass_free_busy_only_with_note if {
	r := eval([default_policy])
	r.status == "pass"
	contains(r.reason, "free/busy times only")
	contains(r.reason, "'Default Sharing Policy'")
}

test_pass_details_with_named_domain if {
	r := eval([policy("Partners", ["fabrikam.com:CalendarSharingFreeBusyDetail"])])
	r.status == "pass"
	not contains(r.reason, "free/busy times only")
}

test_fail_details_with_all_domains if {
	r := eval([policy("Default Sharing Policy", ["*:CalendarSharingFreeBusyDetail"])])
	r.status == "fail"
	r.offenders == [{"type": "policy", "id": "Default Sharing Policy", "name": "Default Sharing Policy"}]
}

test_fail_reviewer_with_all_domains if {
	r := eval([default_policy, policy("Open", ["*:CalendarSharingFreeBusyReviewer, ContactsSharing"])])
	r.status == "fail"
	r.offenders[0].name == "Open"
}

test_anonymous_publishing_is_not_all_domains if {
	r := eval([policy("Publishing", ["Anonymous:CalendarSharingFreeBusyReviewer"])])
	r.status == "pass"
}

test_disabled_policy_is_skipped if {
	r := eval([object.union(policy("Old", ["*:CalendarSharingFreeBusyDetail"]), {"Enabled": "False"})])
	r.status == "pass"
}

test_error_when_empty if {
	r := eval([])
	r.status == "error"
}

test_error_when_resource_is_an_object if {
	r := eval(default_policy)
	r.status == "error"
}
