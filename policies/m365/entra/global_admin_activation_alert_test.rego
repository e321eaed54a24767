package sspm.m365.entra.global_admin_activation_alert_test

import data.sspm.m365.entra.global_admin_activation_alert as check

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

HIGHLY := [
	"62e90394-69f5-4237-9190-012177145e10",
	"e8611ab8-c189-46e8-94e1-60213ab1f814",
	"fe930be7-5e62-47db-91af-98c3a49a38b1",
	"f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
	"29232cdf-9323-42fd-ade2-1d097af3e4de",
	"8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2",
	"9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
	"158c047a-c907-4556-b7ef-446551a6b5f7",
]

ALL_RULES := {"Notification_Admin_Admin_Eligibility", "Notification_Admin_Admin_Assignment", "Notification_Admin_EndUser_Assignment"}

# Every highly privileged role's policy, all alerts sent to the SOC mailbox.
compliant := [assignment(t, array.concat([approval(true, [])], notifications(ALL_RULES))) | some t in HIGHLY]

# `compliant` with the policy of `role` replaced by one whose alert rules in `keep` have
# recipients.
replace(role, keep) := array.concat(
	[a | some a in compliant; a.roleDefinitionId != role],
	[assignment(role, notifications(keep))],
)

eval(assignments) := r if {
	r := check.result with input as {"resources": {POLICIES: assignments}}
}

test_pass_global_admin_activation_alert if {
	r := eval([assignment(GA, notifications({"Notification_Admin_EndUser_Assignment"}))])
	r.status == "pass"
	contains(r.reason, "Global Administrator")
}

test_fail_assignment_alerts_only if {
	r := eval(replace(GA, {"Notification_Admin_Admin_Eligibility", "Notification_Admin_Admin_Assignment"}))
	r.status == "fail"
	contains(r.reason, "Global Administrator: no additional recipients for activation alerts")
	r.offenders == [{"type": "roleManagementPolicy", "id": sprintf("DirectoryRole_tenant_policy-%s", [GA]), "name": "Global Administrator (PIM role settings)"}]
}

test_other_roles_do_not_matter if {
	r := eval(replace(PRA, set()))
	r.status == "pass"
}

test_fail_without_global_admin_policy if {
	r := eval([assignment(PRA, notifications(ALL_RULES))])
	r.status == "fail"
	contains(r.reason, "no role management policy")
}

test_error_when_missing if {
	f := {"status": 403, "code": "AadPremiumLicenseRequired", "message": "The tenant needs an AAD Premium 2 license.", "needs": "RoleManagementPolicy.Read.Directory; Entra ID P2"}
	r := check.result with input as {"resources": {}, "failures": {POLICIES: f}}
	r.status == "error"
	contains(r.reason, POLICIES)
}

test_error_when_object if {
	r := eval({"value": compliant})
	r.status == "error"
}
