# MS.EXO.6.2v1: calendar details SHALL NOT be shared with all domains.
#
# Reads Get-SharingPolicy; an enabled sharing policy fails when one of its Domains rules
# for "*" (all external domains) grants CalendarSharingFreeBusyDetail or
# CalendarSharingFreeBusyReviewer (subject and location of meetings). Free/busy times
# only (CalendarSharingFreeBusySimple) are not calendar details and pass, with a note.
# Disabled policies are skipped.
package sspm.m365.exchange.calendar_details_not_shared_all_domains

import data.sspm.lib.exo
import data.sspm.lib.result as res

KEY := "exo:Get-SharingPolicy"

DETAIL := {"calendarsharingfreebusydetail", "calendarsharingfreebusyreviewer"}

_enabled := [p | some p in exo.objects(KEY); not exo.is_false(exo.prop(p, "Enabled"))]

_details := [p | some p in _enabled; count(exo.all_domain_actions(p) & DETAIL) > 0]

_free_busy := [p | some p in _enabled; "calendarsharingfreebusysimple" in exo.all_domain_actions(p)]

_note := "" if {
	count(_free_busy) == 0
} else := sprintf("; free/busy times only are shared with all domains by %s", [exo.names(_free_busy)])

result := r if {
	r := res.unavailable([[KEY, "array"]])
} else := r if {
	r := exo.no_object(KEY)
} else := res.fail(sprintf("Calendar details (subjects and locations) can be shared with all external domains in %s: %s", [
	exo.policy_count(count(_details), "enabled sharing"),
	exo.names(_details),
]), [exo.offender(p, "policy") | some p in _details]) if {
	count(_details) > 0
} else := res.pass(sprintf("No enabled sharing policy shares calendar details with all domains (%s checked)%s", [exo.policy_count(count(_enabled), "enabled sharing"), _note]))
