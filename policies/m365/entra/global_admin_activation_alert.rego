# MS.AAD.7.8v1: user activation of the Global Administrator role SHALL trigger an alert.
#
# For each role in scope, reads its directory-scope PIM role management policy (policy
# assignment with the policy's rules expanded) and requires that
# the rule Notification_Admin_EndUser_Assignment (eligible member activates the role)
# name at least one additional recipient in notificationRecipients, as ScubaGear does. The
# default recipients (the role's admins) do not count: the alert must reach a monitored
# mailbox. A role without a policy or rule in the snapshot is an offender.
package sspm.m365.entra.global_admin_activation_alert

import data.sspm.lib.result as res
import data.sspm.lib.roles

_roles := {roles.GLOBAL_ADMINISTRATOR}

_rules := [["Notification_Admin_EndUser_Assignment", "activation alerts"]]

# Gaps per role template id (only roles with at least one gap).
_gaps := {t: g |
	some t in _roles
	g := [x | some r in _rules; x := roles.notification_gap(t, r[0], r[1])]
	count(g) > 0
}

_gap_text := concat("; ", sort([x | some _, g in _gaps; some x in g]))

result := r if {
	r := res.unavailable([[roles.POLICY_ASSIGNMENTS, "array"]])
} else := res.fail(
	sprintf("No alert reaches an additional recipient when %s for %s: %s", [
		"activating the Global Administrator role",
		res.plural(count(_gaps), "role"),
		_gap_text,
	]),
	{roles.policy_offender(t) | some t, _ in _gaps},
) if {
	count(_gaps) > 0
} else := res.pass(sprintf("PIM e-mails additional recipients when %s (%s checked: %s)", [
	"activating the Global Administrator role",
	res.plural(count(_roles), "role"),
	concat(", ", sort([roles.role_name(t) | some t in _roles])),
]))
