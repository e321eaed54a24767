package sspm.m365.entra.privileged_assignment_alerts_test

import data.sspm.m365.entra.privileged_assignment_alerts as check

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

test_pass_all_roles_alert if {
	r := eval(compliant)
	r.status == "pass"
	contains(r.reason, "8 roles checked")
}

test_fail_exchange_admin_without_eligible_alert if {
	r := eval(replace("29232cdf-9323-42fd-ade2-1d097af3e4de", {"Notification_Admin_Admin_Assignment"}))
	r.status == "fail"
	contains(r.reason, "Exchange Administrator: no additional recipients for eligible assignment alerts")
	not contains(r.reason, "active assignment alerts")
	r.offenders == [{"type": "roleManagementPolicy", "id": "DirectoryRole_tenant_policy-29232cdf-9323-42fd-ade2-1d097af3e4de", "name": "Exchange Administrator (PIM role settings)"}]
}

test_fail_activation_alert_alone_is_not_enough if {
	r := eval(replace("62e90394-69f5-4237-9190-012177145e10", {"Notification_Admin_EndUser_Assignment"}))
	r.status == "fail"
	contains(r.reason, "Global Administrator: no additional recipients for active assignment alerts")
	contains(r.reason, "Global Administrator: no additional recipients for eligible assignment alerts")
}

test_fail_role_without_policy if {
	r := eval([a | some a in compliant; a.roleDefinitionId != "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2"])
	r.status == "fail"
	contains(r.reason, "Hybrid Identity Administrator: no role management policy")
	r.offenders[0].type == "directoryRole"
}

test_fail_rule_missing if {
	r := eval(array.concat([a | some a in compliant; a.roleDefinitionId != USER_ADMIN], [assignment(USER_ADMIN, [approval(true, [])])]))
	r.status == "fail"
	contains(r.reason, "User Administrator: the policy has no eligible assignment alerts rule (Notification_Admin_Admin_Eligibility)")
}

test_fail_no_policies if {
	r := eval([])
	r.status == "fail"
	count(r.offenders) == 8
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
