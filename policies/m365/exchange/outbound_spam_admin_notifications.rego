# CIS 2.1.6: Exchange Online spam policies are set to notify administrators.
#
# Reads Get-HostedOutboundSpamFilterPolicy and evaluates the default policy
# (IsDefault true), which applies to every sender: BccSuspiciousOutboundMail and
# NotifyOutboundSpam must be true, each with at least one recipient
# (BccSuspiciousOutboundAdditionalRecipients, NotifyOutboundSpamRecipients).
package sspm.m365.exchange.outbound_spam_admin_notifications

import data.sspm.lib.exo
import data.sspm.lib.result as res

KEY := "exo:Get-HostedOutboundSpamFilterPolicy"

_default := exo.default_policy(KEY)

_gaps contains "copies of suspicious outbound messages are not sent to anyone (BccSuspiciousOutboundMail is false)" if {
	not exo.is_true(exo.prop(_default, "BccSuspiciousOutboundMail"))
}

_gaps contains "BccSuspiciousOutboundMail is on but BccSuspiciousOutboundAdditionalRecipients is empty" if {
	exo.is_true(exo.prop(_default, "BccSuspiciousOutboundMail"))
	count(exo.strings(_default, "BccSuspiciousOutboundAdditionalRecipients")) == 0
}

_gaps contains "nobody is notified when a sender is blocked for outbound spam (NotifyOutboundSpam is false)" if {
	not exo.is_true(exo.prop(_default, "NotifyOutboundSpam"))
}

_gaps contains "NotifyOutboundSpam is on but NotifyOutboundSpamRecipients is empty" if {
	exo.is_true(exo.prop(_default, "NotifyOutboundSpam"))
	count(exo.strings(_default, "NotifyOutboundSpamRecipients")) == 0
}

_bad := [r |
	some p in ["BccSuspiciousOutboundMail", "NotifyOutboundSpam"]
	not exo.is_bool(exo.prop(_default, p))
	r := res.error(sprintf("snapshot key %s is malformed: %s of the default policy '%s' is not true or false", [KEY, p, exo.name(_default)]))
]

result := r if {
	r := res.unavailable([[KEY, "array"]])
} else := r if {
	r := exo.no_object(KEY)
} else := res.error(sprintf("snapshot key %s has no default outbound spam filter policy (IsDefault true); the organisation always has one, so the result is incomplete", [KEY])) if {
	_default == {}
} else := _bad[0] if {
	count(_bad) > 0
} else := res.fail(sprintf("The default outbound spam filter policy '%s' does not alert administrators: %s", [exo.name(_default), concat("; ", sort(_gaps))]), [exo.offender(_default, "policy")]) if {
	count(_gaps) > 0
} else := res.pass(sprintf("The default outbound spam filter policy '%s' copies suspicious outbound mail to %s and notifies %s when a sender is blocked", [
	exo.name(_default),
	res.name_list(exo.strings(_default, "BccSuspiciousOutboundAdditionalRecipients"), 3),
	res.name_list(exo.strings(_default, "NotifyOutboundSpamRecipients"), 3),
]))
