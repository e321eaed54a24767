package sspm.m365.exchange.outbound_spam_autoforward_off_test

import data.sspm.m365.exchange.outbound_spam_autoforward_off as check

KEY := "exo:Get-HostedOutboundSpamFilterPolicy"

# An outbound spam filter policy as Get-HostedOutboundSpamFilterPolicy returns it.
policy(name, mode) := {
	"Name": name,
	"Identity": name,
	"IsDefault": name == "Default",
	"AutoForwardingMode": mode,
	"NotifyOutboundSpam": false,
	"NotifyOutboundSpamRecipients": [],
	"BccSuspiciousOutboundMail": false,
	"BccSuspiciousOutboundAdditionalRecipients": [],
	"ActionWhenThresholdReached": "BlockUserForToday",
}

eval(v) := r if {
	r := check.result with input as {"resources": {KEY: v}}
}

test_pass_all_off if {
	r := eval([policy("Default", "Off"), policy("Executives", "Off")])
	r.status == "pass"
	contains(r.reason, "all 2 outbound spam filter policies")
}

test_fail_automatic if {
	r := eval([policy("Default", "Automatic")])
	r.status == "fail"
	contains(r.reason, "'Default' (Automatic)")
	r.offenders == [{"type": "policy", "id": "Default", "name": "Default"}]
}

test_fail_custom_policy_on if {
	r := eval([policy("Default", "Off"), policy("Sales forwarding", "On")])
	r.status == "fail"
	r.offenders[0].name == "Sales forwarding"
	r.compliant == 1
	r.total == 2
}

test_error_when_mode_missing if {
	r := eval([object.remove(policy("Default", "Off"), ["AutoForwardingMode"])])
	r.status == "error"
	contains(r.reason, "AutoForwardingMode of 'Default' is missing or null")
}

test_error_when_empty if {
	r := eval([])
	r.status == "error"
}

test_error_when_resource_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
}
