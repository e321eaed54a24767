# CIS 2.1.1 / MS.EXO.15.1v1 / MS.EXO.15.3v1: Safe Links protects email, Teams and Office
# apps, tracks clicks and does not let users click through to malicious URLs.
#
# Reads Get-SafeLinksPolicy. A policy complies when EnableSafeLinksForEmail,
# EnableSafeLinksForTeams, EnableSafeLinksForOffice, ScanUrls and TrackClicks are true
# and AllowClickThrough is false. Passes when at least one policy complies (the Safe
# Links rules that scope policies to recipients are not collected).
package sspm.m365.exchange.safe_links_enabled

import data.sspm.lib.exo
import data.sspm.lib.result as res

KEY := "exo:Get-SafeLinksPolicy"

ON := ["EnableSafeLinksForEmail", "EnableSafeLinksForTeams", "EnableSafeLinksForOffice", "ScanUrls", "TrackClicks"]

_policies := exo.objects(KEY)

_gaps(p) := array.concat(
	[sprintf("%s is not true", [f]) | some f in ON; not exo.is_true(exo.prop(p, f))],
	[g | not exo.is_false(exo.prop(p, "AllowClickThrough")); g := "AllowClickThrough is not false"],
)

_good := [p | some p in _policies; count(_gaps(p)) == 0]

_gap_text := concat("; ", [sprintf("'%s': %s", [exo.name(p), concat(", ", _gaps(p))]) | some p in _policies])

result := r if {
	r := res.unavailable([[KEY, "array"]])
} else := res.fail("No Safe Links policy exists (Get-SafeLinksPolicy returned none): links in email, Teams and Office documents are not checked at click time", []) if {
	count(_policies) == 0
} else := res.pass(sprintf("%s: %s", [_good_word(count(_good)), exo.names(_good)])) if {
	count(_good) > 0
} else := res.fail(sprintf("No Safe Links policy protects email, Teams and Office apps with click tracking and without click-through: %s", [_gap_text]), [exo.offender(p, "policy") | some p in _policies])

_good_word(1) := "1 Safe Links policy scans URLs in email, Teams and Office apps, tracks clicks and blocks click-through"

_good_word(n) := sprintf("%d Safe Links policies scan URLs in email, Teams and Office apps, track clicks and block click-through", [n]) if n != 1
