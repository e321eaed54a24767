package sspm.m365.sharepoint.sharing_domain_allow_list_test

import data.sspm.m365.sharepoint.sharing_domain_allow_list as check

KEY := "graph:/v1.0/admin/sharepoint/settings"

settings(capability, mode, allowed, blocked) := {
	"sharingCapability": capability,
	"sharingDomainRestrictionMode": mode,
	"sharingAllowedDomainList": allowed,
	"sharingBlockedDomainList": blocked,
}

eval(v) := r if {
	r := check.result with input as {"resources": {KEY: v}}
}

test_pass_allow_list if {
	r := eval(settings("externalUserSharingOnly", "allowList", ["fabrikam.com", "northwind.example"], []))
	r.status == "pass"
	contains(r.reason, "2 approved domains: 'fabrikam.com', 'northwind.example'")
}

test_fail_no_restriction if {
	r := eval(settings("externalUserAndGuestSharing", "none", [], []))
	r.status == "fail"
	contains(r.reason, "sharingDomainRestrictionMode is none")
}

test_fail_block_list if {
	r := eval(settings("existingExternalUserSharingOnly", "blockList", [], ["gmail.com"]))
	r.status == "fail"
	contains(r.reason, "block list of 1 domain")
}

test_fail_empty_allow_list if {
	r := eval(settings("externalUserSharingOnly", "allowList", null, []))
	r.status == "fail"
	contains(r.reason, "sharingAllowedDomainList is empty")
}

test_not_applicable_when_sharing_disabled if {
	r := eval(settings("disabled", "none", [], []))
	r.status == "not_applicable"
}

test_error_when_mode_missing if {
	r := eval(object.remove(settings("externalUserSharingOnly", "none", [], []), ["sharingDomainRestrictionMode"]))
	r.status == "error"
	contains(r.reason, "sharingDomainRestrictionMode is missing or null")
}

test_error_when_resource_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
}
