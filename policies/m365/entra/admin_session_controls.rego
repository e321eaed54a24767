# CIS 5.2.2.4: sign-in frequency is enabled and browser sessions are not persistent for
# administrative users.
#
# Passes when an enabled conditional access policy includes every administrative directory
# role that CIS lists (or all users), targets all resources without exclusions or
# narrowing conditions, asks administrators to sign in again at least every 4 hours
# (sessionControls.signInFrequency enabled, periodic within 4 hours, or every time) and
# sets the persistent browser session to never persistent.
package sspm.m365.entra.admin_session_controls

import data.sspm.lib.ca
import data.sspm.lib.result as res
import data.sspm.lib.roles

MAX_HOURS := 4

_targets_admins(p) if ca.includes_all_users(p)

_targets_admins(p) if count(ca.included_roles(p) & roles.CIS_ADMIN_ROLE_IDS) > 0

_session_configured(p) if is_object(res.get(p, ["sessionControls", "signInFrequency"], null))

_session_configured(p) if is_object(res.get(p, ["sessionControls", "persistentBrowser"], null))

_related(p) if {
	_targets_admins(p)
	_session_configured(p)
}

_gaps(p) := array.concat(
	ca.role_scope_gaps(p, roles.CIS_ADMIN_ROLES),
	array.concat(ca.sign_in_frequency_gaps(p, MAX_HOURS), ca.persistent_browser_gaps(p)),
)

result := r if {
	r := res.unavailable([[ca.KEY, "array"]])
} else := ca.evaluate(
	{ca.assessed(p, _gaps(p)) | some p in ca.policies; _related(p)},
	{
		"met": "Administrators must sign in again at least every 4 hours and their browser sessions never persist",
		"unmet": "no enabled conditional access policy sets a sign-in frequency of 4 hours or less and never-persistent browser sessions for all 15 administrative roles listed by CIS on all resources without exclusions",
		"related": "policy sets session controls for administrative roles",
	},
)
