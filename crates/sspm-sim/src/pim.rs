//! PIM role settings: the role management policy of each directory role, as
//! `GET /policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq
//! 'DirectoryRole'&$expand=policy($expand=rules)` returns them (one assignment per role
//! definition, its policy with the 17 rules Graph expands).
//!
//! A weak tenant keeps Microsoft's defaults (no approval, no expiry of assignments, only
//! the default notification recipients); a hardened one sets the highly privileged roles
//! as CISA SCuBA MS.AAD.7.6–7.9 and CIS 5.3.5 ask (approval to activate Global and
//! Privileged Role Administrator, expiring assignments, alerts to the security team); a
//! mixed one draws each role's approval and alert settings from the seed.

use serde_json::{json, Value};

use crate::catalog::{
    BuiltInRole, APPLICATION_ADMINISTRATOR, BUILT_IN_ROLES, CLOUD_APPLICATION_ADMINISTRATOR,
    EXCHANGE_ADMINISTRATOR, GLOBAL_ADMINISTRATOR, HYBRID_IDENTITY_ADMINISTRATOR,
    PRIVILEGED_AUTHENTICATION_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR,
    SHAREPOINT_ADMINISTRATOR, USER_ADMINISTRATOR,
};
use crate::generate::strong;
use crate::model::{M365Tenant, RolePolicy, User};
use crate::rng::Rng;
use crate::spec::{M365Spec, RolePolicyScope};
use crate::time::{self, DAY};

/// Roles whose activation a hardened tenant puts behind an approval.
const APPROVAL_ROLES: [&str; 3] = [
    GLOBAL_ADMINISTRATOR,
    PRIVILEGED_ROLE_ADMINISTRATOR,
    PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
];

/// The highly privileged roles of the CISA SCuBA Entra ID baseline (MS.AAD.7.x), whose
/// PIM settings the checks read.
pub(crate) const SCUBA_HIGHLY_PRIVILEGED: [&str; 8] = [
    GLOBAL_ADMINISTRATOR,
    PRIVILEGED_ROLE_ADMINISTRATOR,
    USER_ADMINISTRATOR,
    SHAREPOINT_ADMINISTRATOR,
    EXCHANGE_ADMINISTRATOR,
    HYBRID_IDENTITY_ADMINISTRATOR,
    APPLICATION_ADMINISTRATOR,
    CLOUD_APPLICATION_ADMINISTRATOR,
];

/// The roles in the spec's scope, in the order of [`BUILT_IN_ROLES`].
fn roles_in_scope(scope: RolePolicyScope) -> impl Iterator<Item = &'static BuiltInRole> {
    BUILT_IN_ROLES.iter().filter(move |r| {
        scope == RolePolicyScope::AllRoles || SCUBA_HIGHLY_PRIVILEGED.contains(&r.template_id)
    })
}

/// One role management policy per directory role in the spec's scope.
pub(crate) fn role_policies(
    spec: &M365Spec,
    tenant_id: &str,
    users: &[User],
    default_domain: &str,
    now: i64,
) -> Vec<RolePolicy> {
    // Approvers and the editor of the settings: the hardened plan's Security and
    // Privileged Role Administrators.
    let approvers: Vec<(String, String)> = users
        .iter()
        .skip(4)
        .take(2)
        .map(|u| (u.id.clone(), u.display_name.clone()))
        .collect();
    let editor = approvers.get(1).cloned();
    roles_in_scope(spec.role_policy_scope)
        .map(|role| {
            let mut rng = Rng::stream(spec.seed, &format!("pim:{}", role.template_id));
            let policy_id = format!("DirectoryRole_{tenant_id}_{}", rng.guid());
            let area = |what: &str| strong(spec, &format!("pim:{}:{what}", role.name));
            let tuned = role.privileged;
            let expiry = tuned && area("expiry");
            let approval = tuned && APPROVAL_ROLES.contains(&role.template_id) && area("approval");
            let alerts = tuned && area("alerts");
            let modified = (expiry || approval || alerts)
                .then(|| editor.clone())
                .flatten()
                .map(|(id, name)| (now - rng.range(20, 400) * DAY, name, id));
            RolePolicy {
                role_definition_id: role.template_id,
                policy_id,
                eligibility_expiration_required: expiry,
                eligibility_max: "P365D",
                assignment_expiration_required: expiry,
                assignment_max: "P180D",
                activation_max: "PT8H",
                activation_requirements: if expiry {
                    vec!["MultiFactorAuthentication", "Justification", "Ticketing"]
                } else {
                    vec!["MultiFactorAuthentication", "Justification"]
                },
                assignment_requirements: if expiry {
                    vec!["MultiFactorAuthentication", "Justification"]
                } else {
                    vec!["Justification"]
                },
                approval_required: approval,
                approvers: if approval {
                    approvers.clone()
                } else {
                    Vec::new()
                },
                alert_recipients: if alerts {
                    vec![format!("secops@{default_domain}")]
                } else {
                    Vec::new()
                },
                modified,
            }
        })
        .collect()
}

/// `target` of a rule: who (`Admin`, `EndUser`) does what (`Eligibility`, `Assignment`).
fn target(caller: &str, level: &str) -> Value {
    json!({
        "caller": caller,
        "operations": ["all"],
        "level": level,
        "inheritableSettings": [],
        "enforcedSettings": [],
    })
}

fn expiration(id: &str, caller: &str, level: &str, required: bool, max: &str) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
        "id": id,
        "isExpirationRequired": required,
        "maximumDuration": max,
        "target": target(caller, level),
    })
}

fn enablement(id: &str, caller: &str, level: &str, rules: &[&str]) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
        "id": id,
        "enabledRules": rules,
        "target": target(caller, level),
    })
}

fn notification(caller: &str, level: &str, recipient: &str, recipients: &[String]) -> Value {
    let ctx = if caller == "Admin" {
        "Admin"
    } else {
        "EndUser"
    };
    json!({
        "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
        "id": format!("Notification_{recipient}_{ctx}_{level}"),
        "notificationType": "Email",
        "recipientType": recipient,
        "notificationLevel": "All",
        "isDefaultRecipientsEnabled": true,
        "notificationRecipients": recipients,
        "target": target(caller, level),
    })
}

/// The policy's rules in the order Graph lists them.
fn rules(p: &RolePolicy) -> Vec<Value> {
    let none: &[String] = &[];
    let alerts = p.alert_recipients.as_slice();
    let approvers: Vec<Value> = p
        .approvers
        .iter()
        .map(|(id, name)| {
            json!({
                "@odata.type": "#microsoft.graph.singleUser",
                "isBackup": false,
                "userId": id,
                "description": name,
            })
        })
        .collect();
    vec![
        expiration(
            "Expiration_Admin_Eligibility",
            "Admin",
            "Eligibility",
            p.eligibility_expiration_required,
            p.eligibility_max,
        ),
        enablement("Enablement_Admin_Eligibility", "Admin", "Eligibility", &[]),
        notification("Admin", "Eligibility", "Admin", alerts),
        notification("Admin", "Eligibility", "Requestor", none),
        notification("Admin", "Eligibility", "Approver", none),
        expiration(
            "Expiration_Admin_Assignment",
            "Admin",
            "Assignment",
            p.assignment_expiration_required,
            p.assignment_max,
        ),
        enablement(
            "Enablement_Admin_Assignment",
            "Admin",
            "Assignment",
            &p.assignment_requirements,
        ),
        notification("Admin", "Assignment", "Admin", alerts),
        notification("Admin", "Assignment", "Requestor", none),
        notification("Admin", "Assignment", "Approver", none),
        expiration(
            "Expiration_EndUser_Assignment",
            "EndUser",
            "Assignment",
            true,
            p.activation_max,
        ),
        enablement(
            "Enablement_EndUser_Assignment",
            "EndUser",
            "Assignment",
            &p.activation_requirements,
        ),
        json!({
            "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule",
            "id": "Approval_EndUser_Assignment",
            "target": target("EndUser", "Assignment"),
            "setting": {
                "isApprovalRequired": p.approval_required,
                "isApprovalRequiredForExtension": false,
                "isRequestorJustificationRequired": true,
                "approvalMode": "SingleStage",
                "approvalStages": [{
                    "approvalStageTimeOutInDays": 1,
                    "isApproverJustificationRequired": true,
                    "escalationTimeInMinutes": 0,
                    "isEscalationEnabled": false,
                    "primaryApprovers": approvers,
                    "escalationApprovers": [],
                }],
            },
        }),
        json!({
            "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule",
            "id": "AuthenticationContext_EndUser_Assignment",
            "isEnabled": false,
            "claimValue": null,
            "target": target("EndUser", "Assignment"),
        }),
        notification("EndUser", "Assignment", "Admin", alerts),
        notification("EndUser", "Assignment", "Requestor", none),
        notification("EndUser", "Assignment", "Approver", none),
    ]
}

impl M365Tenant {
    /// A `unifiedRoleManagementPolicyAssignment` with its policy and rules expanded.
    pub(crate) fn policy_assignment_json(&self, p: &RolePolicy) -> Value {
        let (modified, by) = match &p.modified {
            Some((t, name, id)) => (
                Value::String(time::format(*t)),
                json!({ "displayName": name, "id": id }),
            ),
            None => (Value::Null, json!({ "displayName": null, "id": null })),
        };
        json!({
            "id": format!("{}_{}", p.policy_id, p.role_definition_id),
            "policyId": p.policy_id,
            "scopeId": "/",
            "scopeType": "DirectoryRole",
            "roleDefinitionId": p.role_definition_id,
            "policy": {
                "id": p.policy_id,
                "displayName": "DirectoryRole",
                "description": "DirectoryRole",
                "isOrganizationDefault": false,
                "scopeId": "/",
                "scopeType": "DirectoryRole",
                "lastModifiedDateTime": modified,
                "lastModifiedBy": by,
                "rules": rules(p),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Posture;

    fn rule<'a>(assignment: &'a Value, id: &str) -> &'a Value {
        assignment["policy"]["rules"]
            .as_array()
            .and_then(|r| r.iter().find(|r| r["id"] == id))
            .unwrap_or(&Value::Null)
    }

    #[test]
    fn one_policy_per_role_with_the_rules_graph_expands() {
        let weak = M365Tenant::generate(&M365Spec::small(Posture::Weak));
        let hard = M365Tenant::generate(&M365Spec::small(Posture::Hardened));
        assert_eq!(weak.role_policies.len(), BUILT_IN_ROLES.len());
        let ga = |t: &M365Tenant| {
            let p = t
                .role_policies
                .iter()
                .find(|p| p.role_definition_id == GLOBAL_ADMINISTRATOR)
                .unwrap();
            t.policy_assignment_json(p)
        };
        let (w, h) = (ga(&weak), ga(&hard));
        assert_eq!(w["policy"]["rules"].as_array().unwrap().len(), 17);
        assert_eq!(
            rule(&w, "Approval_EndUser_Assignment")["setting"]["isApprovalRequired"],
            false
        );
        assert_eq!(
            rule(&h, "Approval_EndUser_Assignment")["setting"]["isApprovalRequired"],
            true
        );
        for id in [
            "Notification_Admin_Admin_Eligibility",
            "Notification_Admin_Admin_Assignment",
            "Notification_Admin_EndUser_Assignment",
        ] {
            assert_eq!(rule(&w, id)["notificationRecipients"], json!([]), "{id}");
            assert_eq!(
                rule(&h, id)["notificationRecipients"],
                json!(["secops@contoso.com"]),
                "{id}"
            );
        }
        assert_eq!(
            rule(&h, "Expiration_Admin_Assignment")["isExpirationRequired"],
            true
        );
        assert!(h["id"]
            .as_str()
            .unwrap()
            .ends_with(&format!("_{GLOBAL_ADMINISTRATOR}")));
        let only_privileged = M365Tenant::generate(&M365Spec {
            role_policy_scope: RolePolicyScope::HighlyPrivileged,
            ..M365Spec::small(Posture::Weak)
        });
        assert_eq!(
            only_privileged.role_policies.len(),
            SCUBA_HIGHLY_PRIVILEGED.len()
        );
    }
}
