# MS.AAD.7.3v1: privileged users SHALL be provisioned cloud-only accounts separate from an
# on-premises directory or other federated identity providers.
#
# Collects the principals that hold a highly privileged role, actively (roleAssignments) or
# as eligible (roleEligibilityScheduleInstances), turns them into users (users directly,
# plus the user members of role-assignable groups whose members the snapshot holds) and
# fails for every such user whose onPremisesSyncEnabled is true (synchronised from an
# on-premises directory). Linear: role definitions are indexed once and each long list
# (assignments, users, groups) is filtered once with sspm.select.
package sspm.m365.entra.privileged_users_cloud_only

import data.sspm.lib.result as res
import data.sspm.lib.roles

_ids := roles.definition_ids(roles.HIGHLY_PRIVILEGED_IDS)

_principals := sspm.values(roles.holding(roles.ASSIGNMENTS, _ids), "principalId") | sspm.values(roles.holding(roles.ELIGIBILITIES, _ids), "principalId")

_user_ids := roles.user_ids_of(_principals)

_synced := sspm.select(res.array_at(roles.USERS), [["id", "in", _user_ids], ["onPremisesSyncEnabled", "==", true]])

_offenders := sspm.offenders(_synced, "user", "id", "userPrincipalName")

_uncollected := roles.uncollected_groups(_principals)

_group_note := "" if {
	count(_uncollected) == 0
} else := sprintf("; the members of %s holding these roles are not in the snapshot and were not checked", [res.plural(count(_uncollected), "group")])

result := r if {
	r := res.unavailable([[roles.ASSIGNMENTS, "array"], [roles.ELIGIBILITIES, "array"], [roles.USERS, "array"]])
} else := res.fail(
	sprintf("%d of %d users holding a highly privileged role are synchronised from an on-premises directory (onPremisesSyncEnabled is true): %s%s", [
		count(_offenders),
		count(_user_ids),
		res.name_list(sort([o.name | some o in _offenders]), 10),
		_group_note,
	]),
	_offenders,
) if {
	count(_offenders) > 0
} else := res.not_applicable(sprintf("No user holds a highly privileged role%s", [_group_note])) if {
	count(_user_ids) == 0
} else := res.pass(sprintf("%s cloud-only (onPremisesSyncEnabled is not true)%s", [_holders_are(count(_user_ids)), _group_note]))

_holders_are(1) := "The 1 user holding a highly privileged role is"

_holders_are(n) := sprintf("All %d users holding a highly privileged role are", [n]) if n != 1
