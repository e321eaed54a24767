package sspm.m365.exchange.contacts_not_shared_all_domains_test

import data.sspm.m365.exchange.contacts_not_shared_all_domains as check

KEY := "exo:Get-SharingPolicy"

# A sharing policy as Get-SharingPolicy returns it.
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

test_pass_default_policy if {
	r := eval([default_policy])
	r.status == "pass"
	contains(r.reason, "1 enabled sharing policy checked")
}

test_pass_contacts_shared_with_one_domain if {
	r := eval([default_policy, policy("Partners", ["fabrikam.com:CalendarSharingFreeBusyDetail, ContactsSharing"])])
	r.status == "pass"
}

test_fail_contacts_shared_with_all_domains if {
	r := eval([default_policy, policy("Everyone", ["*:CalendarSharingFreeBusySimple, ContactsSharing"])])
	r.status == "fail"
	r.offenders == [{"type": "policy", "id": "Everyone", "name": "Everyone"}]
	contains(r.reason, "'Everyone'")
}

test_fail_spacing_variants if {
	r := eval([policy("Spaced", ["* : CalendarSharingFreeBusyDetail,ContactsSharing"])])
	r.status == "fail"
}

test_disabled_policy_is_skipped if {
	p := object.union(policy("Old", ["*:ContactsSharing"]), {"Enabled": false})
	r := eval([default_policy, p])
	r.status == "pass"
}

test_error_when_empty if {
	r := eval([])
	r.status == "error"
}

test_error_when_resource_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
	contains(r.reason, KEY)
}
