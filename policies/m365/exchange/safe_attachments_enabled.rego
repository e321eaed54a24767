# CIS 2.1.4: a Safe Attachments policy is enabled and blocks malicious attachments.
#
# Reads Get-SafeAttachmentPolicy. A policy complies when Enable is true and Action is
# "Block". Passes when at least one policy complies (the Safe Attachments rules that
# scope policies to recipients are not collected).
package sspm.m365.exchange.safe_attachments_enabled

import data.sspm.lib.exo
import data.sspm.lib.result as res

KEY := "exo:Get-SafeAttachmentPolicy"

_policies := exo.objects(KEY)

_action(p) := a if {
	a := exo.prop(p, "Action")
	is_string(a)
} else := "(not set)"

_gaps(p) := array.concat(
	[g | not exo.is_true(exo.prop(p, "Enable")); g := "Enable is not true"],
	[g | lower(_action(p)) != "block"; g := sprintf("Action is %s, not Block", [_action(p)])],
)

_good := [p | some p in _policies; count(_gaps(p)) == 0]

_gap_text := concat("; ", [sprintf("'%s': %s", [exo.name(p), concat(", ", _gaps(p))]) | some p in _policies])

result := r if {
	r := res.unavailable([[KEY, "array"]])
} else := res.fail("No Safe Attachments policy exists (Get-SafeAttachmentPolicy returned none): attachments are not detonated before delivery", []) if {
	count(_policies) == 0
} else := res.pass(sprintf("%s: %s", [_good_word(count(_good)), exo.names(_good)])) if {
	count(_good) > 0
} else := res.fail(sprintf("No Safe Attachments policy is enabled with the Block action: %s", [_gap_text]), [exo.offender(p, "policy") | some p in _policies])

_good_word(1) := "1 Safe Attachments policy is enabled and blocks malicious attachments"

_good_word(n) := sprintf("%d Safe Attachments policies are enabled and block malicious attachments", [n]) if n != 1
