# MS.EXO.11.1v1 / MS.EXO.11.3v1 / CIS 2.1.7: an anti-phishing policy with impersonation
# protection and mailbox intelligence is in force.
#
# Reads Get-AntiPhishPolicy. A policy protects when it is enabled (Enabled not false) and
# has EnableTargetedUserProtection (with at least one TargetedUsersToProtect entry),
# EnableOrganizationDomainsProtection, EnableMailboxIntelligence and
# EnableMailboxIntelligenceProtection all true. Passes when at least one policy
# protects; the anti-phishing rules that scope custom policies are not collected, so
# the reason says whether it is the default policy (which covers everyone).
package sspm.m365.exchange.antiphish_impersonation_protection

import data.sspm.lib.exo
import data.sspm.lib.result as res

KEY := "exo:Get-AntiPhishPolicy"

FLAGS := ["EnableTargetedUserProtection", "EnableOrganizationDomainsProtection", "EnableMailboxIntelligence", "EnableMailboxIntelligenceProtection"]

_policies := exo.objects(KEY)

_gaps(p) := array.concat(
	[sprintf("%s is not true", [f]) | some f in FLAGS; not exo.is_true(exo.prop(p, f))],
	array.concat(
		[g | exo.is_false(exo.prop(p, "Enabled")); g := "the policy is disabled"],
		[g |
			exo.is_true(exo.prop(p, "EnableTargetedUserProtection"))
			count(exo.strings(p, "TargetedUsersToProtect")) == 0
			g := "TargetedUsersToProtect is empty"
		],
	),
)

_protecting := [p | some p in _policies; count(_gaps(p)) == 0]

_default_protects if {
	some p in _protecting
	exo.is_true(exo.prop(p, "IsDefault"))
}

_gap_text := concat("; ", [sprintf("'%s': %s", [exo.name(p), concat(", ", _gaps(p))]) | some p in _policies])

result := r if {
	r := res.unavailable([[KEY, "array"]])
} else := res.fail("No anti-phishing policy exists (Get-AntiPhishPolicy returned none)", []) if {
	count(_policies) == 0
} else := res.pass(sprintf("The default anti-phishing policy '%s' protects every recipient with user and domain impersonation protection and mailbox intelligence", [exo.name(exo.default_policy(KEY))])) if {
	_default_protects
} else := res.pass(sprintf("%s impersonation protection and mailbox intelligence: %s; the default policy does not, so recipients outside the scope of their rules are not protected", [
	_protect_word(count(_protecting)),
	exo.names(_protecting),
])) if {
	count(_protecting) > 0
} else := res.fail(sprintf("No anti-phishing policy turns on impersonation protection and mailbox intelligence: %s", [_gap_text]), [exo.offender(p, "policy") | some p in _policies])

_protect_word(1) := "1 anti-phishing policy turns on"

_protect_word(n) := sprintf("%d anti-phishing policies turn on", [n]) if n != 1
