package sspm.m365.exchange.outbound_spam_admin_notifications_test

import data.sspm.m365.exchange.outbound_spam_admin_notifications as check

KEY := "exo:Get-HostedOutboundSpamFilterPolicy"

default_policy := {
	"Name": "Default",
	"Identity": "Default",
	"IsDefault": true,
	"AutoForwardingMode": "Off",
	"BccSuspiciousOutboundMail": true,
	"BccSuspiciousOutboundAdditionalRecipients": ["soc@contoso.com"],
	"NotifyOutboundSpam": true,
	"NotifyOutboundSpamRecipients": ["soc@contoso.com", "it@contoso.com"],
}

custom := object.union(default_policy, {"Name": "Executives", "Identity": "Executives", "IsDefault": false, "NotifyOutboundSpam": false})

eval(v) := r if {
	r := check.result with input as {"resources": {KEY: v}}
}

test_pass_default_notifies if {
	r := eval([default_policy, custom])
	r.status == "pass"
	contains(r.reason, "'soc@contoso.com', 'it@contoso.com'")
}

test_fail_notifications_off if {
	r := eval([object.union(default_policy, {"NotifyOutboundSpam": false, "BccSuspiciousOutboundMail": "False"})])
	r.status == "fail"
	contains(r.reason, "NotifyOutboundSpam is false")
	contains(r.reason, "BccSuspiciousOutboundMail is false")
	r.offenders == [{"type": "policy", "id": "Default", "name": "Default"}]
}

test_fail_on_without_recipients if {
	r := eval([object.union(default_policy, {"NotifyOutboundSpamRecipients": []})])
	r.status == "fail"
	contains(r.reason, "NotifyOutboundSpamRecipients is empty")
}

test_fail_null_recipients if {
	r := eval([object.union(default_policy, {"BccSuspiciousOutboundAdditionalRecipients": null})])
	r.status == "fail"
	contains(r.reason, "BccSuspiciousOutboundAdditionalRecipients is empty")
}

test_error_without_default_policy if {
	r := eval([custom])
	r.status == "error"
	contains(r.reason, "no default outbound spam filter policy")
}

test_error_when_property_missing if {
	r := eval([object.remove(default_policy, ["NotifyOutboundSpam"])])
	r.status == "error"
	contains(r.reason, "NotifyOutboundSpam")
}

test_error_when_empty if {
	r := eval([])
	r.status == "error"
}

test_error_when_resource_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
}
