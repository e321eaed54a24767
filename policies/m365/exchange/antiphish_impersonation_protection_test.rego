package sspm.m365.exchange.antiphish_impersonation_protection_test

import data.sspm.m365.exchange.antiphish_impersonation_protection as check

KEY := "exo:Get-AntiPhishPolicy"

# An anti-phishing policy as Get-AntiPhishPolicy returns it.
strong := {
	"Name": "Office365 AntiPhish Default",
	"Identity": "Office365 AntiPhish Default",
	"IsDefault": true,
	"Enabled": true,
	"PhishThresholdLevel": 2,
	"EnableTargetedUserProtection": true,
	"TargetedUsersToProtect": ["Chief Executive;ceo@contoso.com"],
	"EnableOrganizationDomainsProtection": true,
	"EnableMailboxIntelligence": true,
	"EnableMailboxIntelligenceProtection": true,
	"EnableSpoofIntelligence": true,
	"TargetedUserProtectionAction": "Quarantine",
	"MailboxIntelligenceProtectionAction": "Quarantine",
}

weak_default := object.union(strong, {"EnableTargetedUserProtection": false, "TargetedUsersToProtect": null, "EnableMailboxIntelligenceProtection": false})

custom := object.union(strong, {"Name": "Executives", "Identity": "Executives", "IsDefault": false})

eval(v) := r if {
	r := check.result with input as {"resources": {KEY: v}}
}

test_pass_default_protects if {
	r := eval([strong])
	r.status == "pass"
	contains(r.reason, "every recipient")
}

test_pass_custom_protects_mentions_scope if {
	r := eval([weak_default, custom])
	r.status == "pass"
	contains(r.reason, "'Executives'")
	contains(r.reason, "default policy does not")
}

test_fail_no_protection if {
	r := eval([weak_default])
	r.status == "fail"
	contains(r.reason, "EnableTargetedUserProtection is not true")
	contains(r.reason, "EnableMailboxIntelligenceProtection is not true")
	r.offenders == [{"type": "policy", "id": "Office365 AntiPhish Default", "name": "Office365 AntiPhish Default"}]
}

test_fail_disabled_custom_policy if {
	r := eval([weak_default, object.union(custom, {"Enabled": false})])
	r.status == "fail"
	contains(r.reason, "the policy is disabled")
	count(r.offenders) == 2
}

test_fail_targeted_protection_without_users if {
	r := eval([object.union(strong, {"TargetedUsersToProtect": []})])
	r.status == "fail"
	contains(r.reason, "TargetedUsersToProtect is empty")
}

test_fail_no_policy if {
	r := eval([])
	r.status == "fail"
}

test_error_when_resource_failed if {
	r := check.result with input as {"resources": {}, "failures": {KEY: {"status": 403, "code": "Forbidden", "message": "", "needs": "Defender for Office 365"}}}
	r.status == "error"
	contains(r.reason, KEY)
}

test_error_when_resource_is_an_object if {
	r := eval(strong)
	r.status == "error"
}
