package sspm.m365.entra.privileged_role_admin_activation_approval_test

import data.sspm.m365.entra.privileged_role_admin_activation_approval as check

POLICIES := "graph:/v1.0/policies/roleManagementPolicyAssignments"

GA := "62e90394-69f5-4237-9190-012177145e10"

PRA := "e8611ab8-c189-46e8-94e1-60213ab1f814"

USER_ADMIN := "fe930be7-5e62-47db-91af-98c3a49a38b1"

target(caller, level) := {"caller": caller, "operations": ["All"], "level": level, "inheritableSettings": [], "enforcedSettings": []}

approval(required, approvers) := {
	"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule",
	"id": "Approval_EndUser_Assignment",
	"target": target("EndUser", "Assignment"),
	"setting": {
		"isApprovalRequired": required,
		"isApprovalRequiredForExtension": false,
		"isRequestorJustificationRequired": true,
		"approvalMode": "SingleStage",
		"approvalStages": [{
			"approvalStageTimeOutInDays": 1,
			"isApproverJustificationRequired": true,
			"escalationTimeInMinutes": 0,
			"isEscalationEnabled": false,
			"primaryApprovers": [{"@odata.type": "#microsoft.graph.singleUser", "userId": a, "description": null} | some a in approvers],
			"escalationApprovers": [],
		}],
	},
}

notification(id, caller, level, recipients) := {
	"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
	"id": id,
	"target": target(caller, level),
	"notificationType": "Email",
	"recipientType": "Admin",
	"notificationLevel": "All",
	"isDefaultRecipientsEnabled": true,
	"notificationRecipients": recipients,
}

# Notification rules of a policy; `with_recipients` is the set of rule ids that have an
# extra recipient.
notifications(with_recipients) := [notification(n[0], n[1], n[2], recipients_for(n[0], with_recipients)) |
	some n in [
		["Notification_Admin_Admin_Eligibility", "Admin", "Eligibility"],
		["Notification_Admin_Admin_Assignment", "Admin", "Assignment"],
		["Notification_Admin_EndUser_Assignment", "EndUser", "Assignment"],
	]
]

recipients_for(id, with_recipients) := ["soc@contoso.com"] if {
	id in with_recipients
} else := []

# A directory-scope policy assignment with the policy and its rules expanded, as
# GET /v1.0/policies/roleManagementPolicyAssignments?$expand=policy($expand=rules) returns it.
assignment(role, rules) := {
	"id": sprintf("DirectoryRole_tenant_policy-%s_%s", [role, role]),
	"policyId": sprintf("DirectoryRole_tenant_policy-%s", [role]),
	"scopeId": "/",
	"scopeType": "DirectoryRole",
	"roleDefinitionId": role,
	"policy": {
		"id": sprintf("DirectoryRole_tenant_policy-%s", [role]),
		"displayName": "DirectoryRole",
		"description": "DirectoryRole",
		"isOrganizationDefault": false,
		"scopeId": "/",
		"scopeType": "DirectoryRole",
		"lastModifiedDateTime": null,
		"rules": rules,
	},
}

eval(assignments) := r if {
	r := check.result with input as {"resources": {POLICIES: assignments}}
}

test_pass_approval_required_with_approvers if {
	r := eval([assignment(GA, [approval(false, [])]), assignment(PRA, array.concat([approval(true, ["u-approver-1", "u-approver-2"])], notifications(set())))])
	r.status == "pass"
	contains(r.reason, "requires approval by 2 named approvers")
}

test_pass_approval_required_default_approvers if {
	r := eval([assignment(PRA, [approval(true, [])])])
	r.status == "pass"
	contains(r.reason, "default approvers")
}

test_pass_role_definition_upper_case if {
	r := eval([assignment(upper(PRA), [approval(true, [])])])
	r.status == "pass"
}

test_fail_approval_not_required if {
	r := eval([assignment(GA, [approval(true, [])]), assignment(PRA, [approval(false, [])])])
	r.status == "fail"
	contains(r.reason, "isApprovalRequired is false")
	r.offenders == [{"type": "roleManagementPolicy", "id": sprintf("DirectoryRole_tenant_policy-%s", [PRA]), "name": "Privileged Role Administrator (PIM role settings)"}]
}

test_fail_without_approval_rule if {
	r := eval([assignment(PRA, notifications(set()))])
	r.status == "fail"
	contains(r.reason, "no activation approval rule")
}

test_fail_without_policy_for_role if {
	r := eval([assignment(GA, [approval(true, [])])])
	r.status == "fail"
	contains(r.reason, "no role management policy")
	r.offenders[0].type == "directoryRole"
}

test_error_when_missing if {
	f := {"status": 403, "code": "AadPremiumLicenseRequired", "message": "The tenant needs an AAD Premium 2 license.", "needs": "RoleManagementPolicy.Read.Directory; Entra ID P2"}
	r := check.result with input as {"resources": {}, "failures": {POLICIES: f}}
	r.status == "error"
	contains(r.reason, "Entra ID P2")
}

test_error_when_object if {
	r := eval(assignment(PRA, [approval(true, [])]))
	r.status == "error"
	contains(r.reason, "malformed")
}

test_malformed_items_are_ignored if {
	r := eval([null, 3, {"roleDefinitionId": 5}, assignment(PRA, [approval(true, [])])])
	r.status == "pass"
}
