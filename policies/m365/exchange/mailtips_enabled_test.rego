package sspm.m365.exchange.mailtips_enabled_test

import data.sspm.m365.exchange.mailtips_enabled as check

KEY := "exo:Get-OrganizationConfig"

org := {
	"Name": "contoso.onmicrosoft.com",
	"Identity": "contoso.onmicrosoft.com",
	"MailTipsAllTipsEnabled": true,
	"MailTipsExternalRecipientsTipsEnabled": true,
	"MailTipsGroupMetricsEnabled": true,
	"MailTipsLargeAudienceThreshold": 25,
	"MailTipsMailboxSourcedTipsEnabled": true,
}

eval(v) := r if {
	r := check.result with input as {"resources": {KEY: v}}
}

test_pass_all_on if {
	r := eval([org])
	r.status == "pass"
	contains(r.reason, "25 recipients")
}

test_fail_external_tips_off if {
	r := eval([object.union(org, {"MailTipsExternalRecipientsTipsEnabled": false})])
	r.status == "fail"
	contains(r.reason, "MailTipsExternalRecipientsTipsEnabled is false")
}

test_fail_two_off if {
	r := eval([object.union(org, {"MailTipsAllTipsEnabled": false, "MailTipsGroupMetricsEnabled": "False"})])
	r.status == "fail"
	contains(r.reason, "MailTipsAllTipsEnabled, MailTipsGroupMetricsEnabled are false")
}

test_error_when_property_missing if {
	r := eval([object.remove(org, ["MailTipsGroupMetricsEnabled"])])
	r.status == "error"
	contains(r.reason, "MailTipsGroupMetricsEnabled is missing or null")
}

test_error_when_empty if {
	r := eval([])
	r.status == "error"
}

test_error_when_resource_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
}
