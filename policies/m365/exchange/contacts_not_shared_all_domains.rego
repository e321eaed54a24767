# MS.EXO.6.1v1: contact folders SHALL NOT be shared with all domains.
#
# Reads Get-SharingPolicy; an enabled sharing policy fails when one of its Domains rules
# for "*" (all external domains) includes ContactsSharing. Disabled policies (Enabled
# false) do not apply to any mailbox and are skipped.
package sspm.m365.exchange.contacts_not_shared_all_domains

import data.sspm.lib.exo
import data.sspm.lib.result as res

KEY := "exo:Get-SharingPolicy"

_enabled := [p | some p in exo.objects(KEY); not exo.is_false(exo.prop(p, "Enabled"))]

_sharing := [p | some p in _enabled; "contactssharing" in exo.all_domain_actions(p)]

result := r if {
	r := res.unavailable([[KEY, "array"]])
} else := r if {
	r := exo.no_object(KEY)
} else := res.fail(sprintf("Contact folders can be shared with all external domains (a '*:ContactsSharing' rule) in %s: %s", [
	exo.policy_count(count(_sharing), "enabled sharing"),
	exo.names(_sharing),
]), [exo.offender(p, "policy") | some p in _sharing]) if {
	count(_sharing) > 0
} else := res.pass(sprintf("No enabled sharing policy shares contact folders with all domains (%s checked)", [exo.policy_count(count(_enabled), "enabled sharing")]))
