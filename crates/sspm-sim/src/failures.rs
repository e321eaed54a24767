//! Failures that real Graph calls return, for not-evaluable demos and tests.

use sspm_model::Failure;

/// Snapshot key of the MFA registration report.
pub const USER_REGISTRATION_DETAILS: &str =
    "graph:/v1.0/reports/authenticationMethods/userRegistrationDetails";
/// Snapshot key of PIM eligibilities.
pub const ROLE_ELIGIBILITY_SCHEDULE_INSTANCES: &str =
    "graph:/v1.0/roleManagement/directory/roleEligibilityScheduleInstances";
/// Snapshot key of PIM active assignment instances.
pub const ROLE_ASSIGNMENT_SCHEDULE_INSTANCES: &str =
    "graph:/v1.0/roleManagement/directory/roleAssignmentScheduleInstances";

/// Snapshot key of the PIM role settings (role management policy assignments).
pub const ROLE_MANAGEMENT_POLICY_ASSIGNMENTS: &str =
    "graph:/v1.0/policies/roleManagementPolicyAssignments";

/// HTTP 403 `Authorization_RequestDenied`: the app lacks a permission.
pub fn forbidden(needs: &str) -> Failure {
    Failure {
        status: 403,
        code: Some("Authorization_RequestDenied".to_string()),
        message: "Insufficient privileges to complete the operation.".to_string(),
        needs: Some(needs.to_string()),
    }
}

/// HTTP 400 `AadPremiumLicenseRequired`: the tenant lacks the licence.
pub fn licence_required(needs: &str) -> Failure {
    Failure {
        status: 400,
        code: Some("AadPremiumLicenseRequired".to_string()),
        message: "The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license.".to_string(),
        needs: Some(needs.to_string()),
    }
}

/// `userRegistrationDetails` denied: needs `AuditLog.Read.All` and Entra ID P1.
pub fn registration_details_forbidden() -> Failure {
    forbidden("AuditLog.Read.All; Entra ID P1")
}

/// A PIM endpoint on a tenant without Entra ID P2.
pub fn pim_licence_required() -> Failure {
    licence_required("RoleManagement.Read.Directory; Entra ID P2")
}
