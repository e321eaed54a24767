# Directory role helpers shared by the Entra ID privileged-access checks.
#
# Snapshot keys (Microsoft Graph v1.0, list endpoints as arrays of all items):
#   DEFINITIONS           GET /roleManagement/directory/roleDefinitions
#   ASSIGNMENTS           GET /roleManagement/directory/roleAssignments (active)
#   ELIGIBILITIES         GET /roleManagement/directory/roleEligibilityScheduleInstances (PIM eligible)
#   ASSIGNMENT_INSTANCES  GET /roleManagement/directory/roleAssignmentScheduleInstances (PIM view of active)
#   POLICY_ASSIGNMENTS    GET /policies/roleManagementPolicyAssignments, directory scope, with
#                         policy($expand=rules)
#   USERS, GROUPS         GET /users, GET /groups; per role-assignable group
#                         graph:/v1.0/groups/<id>/members
#
# Everything here is linear in the data: role definition ids are indexed first and the long
# lists (assignments, users, groups) are filtered once with sspm.select.
package sspm.lib.roles

import data.sspm.lib.entra
import data.sspm.lib.result as res

DEFINITIONS := "graph:/v1.0/roleManagement/directory/roleDefinitions"

ASSIGNMENTS := "graph:/v1.0/roleManagement/directory/roleAssignments"

ELIGIBILITIES := "graph:/v1.0/roleManagement/directory/roleEligibilityScheduleInstances"

ASSIGNMENT_INSTANCES := "graph:/v1.0/roleManagement/directory/roleAssignmentScheduleInstances"

POLICY_ASSIGNMENTS := "graph:/v1.0/policies/roleManagementPolicyAssignments"

USERS := "graph:/v1.0/users"

GROUPS := "graph:/v1.0/groups"

GLOBAL_ADMINISTRATOR := entra.GLOBAL_ADMINISTRATOR

PRIVILEGED_ROLE_ADMINISTRATOR := "e8611ab8-c189-46e8-94e1-60213ab1f814"

# The "highly privileged roles" of the CISA SCuBA Entra ID baseline, by built-in role
# template id (Microsoft Entra built-in roles reference).
HIGHLY_PRIVILEGED := {
	GLOBAL_ADMINISTRATOR: "Global Administrator",
	PRIVILEGED_ROLE_ADMINISTRATOR: "Privileged Role Administrator",
	"fe930be7-5e62-47db-91af-98c3a49a38b1": "User Administrator",
	"f28a1f50-f6e7-4571-818b-6a12f2af6b6c": "SharePoint Administrator",
	"29232cdf-9323-42fd-ade2-1d097af3e4de": "Exchange Administrator",
	"8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2": "Hybrid Identity Administrator",
	"9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3": "Application Administrator",
	"158c047a-c907-4556-b7ef-446551a6b5f7": "Cloud Application Administrator",
}

HIGHLY_PRIVILEGED_IDS := {t | some t, _ in HIGHLY_PRIVILEGED}

# Role definition id (as assignments and policies spell it, and lower-cased) -> template id,
# for every role definition of the snapshot plus every known template id (for built-in roles
# the definition id is the template id).
template_of := object.union(
	{t: t | some t in HIGHLY_PRIVILEGED_IDS},
	{id: t |
		some d in res.array_at(DEFINITIONS)
		is_string(d.id)
		t := res.lower_str(d.templateId)
		t != ""
		some id in {d.id, lower(d.id)}
	},
)

# The definition ids (as spelled in the data) whose template is in `templates`.
definition_ids(templates) := {id | some id, t in template_of; t in templates}

# The template id of a definition id, or the id itself when the definition is unknown.
template(def_id) := t if {
	t := template_of[def_id]
} else := t if {
	is_string(def_id)
	t := template_of[lower(def_id)]
} else := def_id

role_name(t) := HIGHLY_PRIVILEGED[t] if {
	HIGHLY_PRIVILEGED[t]
} else := names[0] if {
	names := [n | some d in res.array_at(DEFINITIONS); res.lower_str(d.templateId) == t; n := d.displayName; is_string(n)]
	count(names) > 0
} else := t

# Rows of the list at `key` that grant one of the definitions in `ids` to a principal.
# One sspm.select pass over the list (it grows with the tenant).
holding(key, ids) := sspm.select(res.array_at(key), [["roleDefinitionId", "in", ids], ["principalId", "exists"]])

# --- Principals to users -------------------------------------------------------------

# The members list of a role-assignable group, when the snapshot has it.
group_members_key(gid) := sprintf("graph:/v1.0/groups/%s/members", [gid])

members_collected(gid) if res.has(group_members_key(gid), "array")

# The user ids among the members of a group (members of other types are left out).
member_user_ids(gid) := {m.id |
	some m in res.array_at(group_members_key(gid))
	is_string(m.id)
	res.get(m, ["@odata.type"], "#microsoft.graph.user") == "#microsoft.graph.user"
}

# The groups (objects of GROUPS) among a set of principal ids.
groups_among(principals) := sspm.select(res.array_at(GROUPS), [["id", "in", principals]])

# The user ids reached by a set of principal ids: the principals that are users, plus the
# user members of the principals that are groups (when their members were collected).
user_ids_of(principals) := direct | via_groups if {
	direct := sspm.values(sspm.select(res.array_at(USERS), [["id", "in", principals]]), "id")
	via_groups := {u | some g in groups_among(principals); some u in member_user_ids(g.id)}
}

# Group principals whose members are not in the snapshot.
uncollected_groups(principals) := {g.id | some g in groups_among(principals); not members_collected(g.id)}

# --- Role management (PIM) policies --------------------------------------------------

# The directory-scope role management policy assignment of role template `t` (the first
# when the snapshot has several); undefined when there is none.
policy_for(t) := found[0] if {
	found := [a |
		some a in res.array_at(POLICY_ASSIGNMENTS)
		is_string(a.roleDefinitionId)
		template(a.roleDefinitionId) == t
	]
	count(found) > 0
}

# The rule with id `rule_id` of the policy that governs template `t`.
rule(t, rule_id) := found[0] if {
	found := [r | some r in res.list(policy_for(t), ["policy", "rules"]); r.id == rule_id]
	count(found) > 0
}

# The rule's notification recipients (strings).
recipients(r) := res.strings(r, ["notificationRecipients"])

# Why the notification rule `rule_id` of role `t` sends no alert to extra recipients, or
# undefined when it does. Used by the PIM alert checks (MS.AAD.7.7-7.9).
notification_gap(t, rule_id, what) := sprintf("%s: no role management policy in the snapshot", [role_name(t)]) if {
	not policy_for(t)
} else := sprintf("%s: the policy has no %s rule (%s)", [role_name(t), what, rule_id]) if {
	not rule(t, rule_id)
} else := sprintf("%s: no additional recipients for %s", [role_name(t), what]) if {
	count(recipients(rule(t, rule_id))) == 0
}

# Why activating role `t` does not require approval, or undefined when it does.
approval_gap(t) := "no role management policy for the role is in the snapshot" if {
	not policy_for(t)
} else := "its role management policy has no activation approval rule (Approval_EndUser_Assignment)" if {
	not rule(t, "Approval_EndUser_Assignment")
} else := sprintf("activation does not require approval (Approval_EndUser_Assignment setting.isApprovalRequired is %v)", [res.get(rule(t, "Approval_EndUser_Assignment"), ["setting", "isApprovalRequired"], "missing")]) if {
	res.get(rule(t, "Approval_EndUser_Assignment"), ["setting", "isApprovalRequired"], null) != true
}

# The offender object for the role management policy of role `t`.
policy_offender(t) := {"type": "roleManagementPolicy", "id": id, "name": sprintf("%s (PIM role settings)", [role_name(t)])} if {
	id := res.get(policy_for(t), ["policyId"], res.get(policy_for(t), ["id"], t))
} else := {"type": "directoryRole", "id": t, "name": role_name(t)}

# --- Offenders -------------------------------------------------------------------------

# One offender per principal id: groups named by displayName, users by
# userPrincipalName (one sspm.select pass over each list, offenders built in Rust);
# unknown principals keep their id as name.
principal_offenders(ids) := array.concat(array.concat(groups, users), unknown) if {
	groups := sspm.offenders(groups_among(ids), "group", "id", "displayName")
	users := sspm.offenders(sspm.select(res.array_at(USERS), [["id", "in", ids]]), "user", "id", "userPrincipalName")
	known := sspm.values(groups, "id") | sspm.values(users, "id")
	unknown := [{"type": "principal", "id": id, "name": id} | some id in ids; not id in known]
}

# The administrative directory roles that CIS Microsoft 365 Foundations (5.2.2.1, 5.2.2.4)
# asks Conditional Access policies for administrators to include at a minimum, by built-in
# role template id.
CIS_ADMIN_ROLES := {
	"9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3": "Application Administrator",
	"c4e39bd9-1100-46d3-8c65-fb160da0071f": "Authentication Administrator",
	"b0f54661-2d74-4c50-afa3-1ec803f12efe": "Billing Administrator",
	"158c047a-c907-4556-b7ef-446551a6b5f7": "Cloud Application Administrator",
	"b1be1c3e-b65d-4f19-8427-f6fa0d97feb9": "Conditional Access Administrator",
	"29232cdf-9323-42fd-ade2-1d097af3e4de": "Exchange Administrator",
	GLOBAL_ADMINISTRATOR: "Global Administrator",
	"f2ef992c-3afb-46b9-b7cf-a126ee74c451": "Global Reader",
	"729827e3-9c14-49f7-bb1b-9608f156bbb8": "Helpdesk Administrator",
	"966707d0-3269-4727-9be2-8c3a10f19b9d": "Password Administrator",
	"7be44c8a-adaf-4e2a-84d6-ab2649e08a13": "Privileged Authentication Administrator",
	PRIVILEGED_ROLE_ADMINISTRATOR: "Privileged Role Administrator",
	"194ae4cb-b126-40b2-bd5b-6091b380977d": "Security Administrator",
	"f28a1f50-f6e7-4571-818b-6a12f2af6b6c": "SharePoint Administrator",
	"fe930be7-5e62-47db-91af-98c3a49a38b1": "User Administrator",
}

CIS_ADMIN_ROLE_IDS := {t | some t, _ in CIS_ADMIN_ROLES}
