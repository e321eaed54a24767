//! What the Microsoft 365 connector reads: every call, its snapshot key, its query, and
//! the least-privilege permission (and licence) it needs. `sspm permissions m365`,
//! `sspm doctor` and failure classification all read this one table.

/// The JSON shape a call returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A Graph collection: `value` arrays followed through `@odata.nextLink`.
    List,
    /// One object.
    Object,
}

/// One Graph call of the collection.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    /// The path as requested, after `/v1.0`; the snapshot key is `graph:/v1.0` + path.
    pub path: &'static str,
    /// The query string sent (not part of the key).
    pub query: &'static str,
    pub shape: Shape,
    /// The least-privilege Microsoft Graph application permission.
    pub permission: &'static str,
    /// The licence without which Graph answers 400/403/404 for this call.
    pub licence: Option<&'static str>,
}

const P1: Option<&str> = Some("Microsoft Entra ID P1");
const P2: Option<&str> = Some("Microsoft Entra ID P2");

macro_rules! user_select_base {
    () => {
        "id,displayName,userPrincipalName,userType,accountEnabled,createdDateTime,onPremisesSyncEnabled,assignedLicenses"
    };
}

/// The properties requested on `/users` (`$select`): what the checks read, nothing else.
pub const USER_SELECT: &str = concat!(user_select_base!(), ",signInActivity");

/// The same without `signInActivity`, for tenants without Entra ID P1.
pub const USER_SELECT_WITHOUT_SIGN_IN: &str = user_select_base!();

/// Every tenant-wide Graph call, in the order the collection starts them: the longest
/// sequential chains of pages first (`/users` and the registration report take
/// users / 999 pages each), then the lists whose items call for per-object calls, so
/// those can start early; the short calls last.
///
/// Lists ask for Graph's largest page (`$top=999`) wherever Graph pages them: a 100,000-user
/// tenant is 101 pages instead of 1,000. Should Graph refuse `$top` on one of them
/// (`400`), the collection asks again without it.
pub const ENDPOINTS: &[Endpoint] = &[
    ep("/users", concat!("$top=999&$select=", user_select_base!(), ",signInActivity"), Shape::List, "User.Read.All; AuditLog.Read.All", None),
    ep("/reports/authenticationMethods/userRegistrationDetails", "$top=999", Shape::List, "AuditLog.Read.All", P1),
    ep("/applications", "$top=999", Shape::List, "Application.Read.All", None),
    ep("/servicePrincipals", "$top=999", Shape::List, "Application.Read.All", None),
    ep("/groups", "$top=999&$select=id,displayName,description,createdDateTime,groupTypes,mailEnabled,securityEnabled,isAssignableToRole,visibility,membershipRule,membershipRuleProcessingState,onPremisesSyncEnabled", Shape::List, "GroupMember.Read.All", None),
    ep("/roleManagement/directory/roleAssignments", "$top=999", Shape::List, "RoleManagement.Read.Directory", None),
    ep("/roleManagement/directory/roleAssignmentScheduleInstances", "$top=999", Shape::List, "RoleAssignmentSchedule.Read.Directory", P2),
    ep("/roleManagement/directory/roleEligibilityScheduleInstances", "$top=999", Shape::List, "RoleEligibilitySchedule.Read.Directory", P2),
    ep("/oauth2PermissionGrants", "$top=999", Shape::List, "DelegatedPermissionGrant.Read.All", None),
    ep("/domains", "", Shape::List, "Domain.Read.All", None),
    ep("/organization", "", Shape::List, "Organization.Read.All", None),
    ep("/identity/conditionalAccess/policies", "", Shape::List, "Policy.Read.All", P1),
    ep("/identity/conditionalAccess/namedLocations", "", Shape::List, "Policy.Read.All", P1),
    ep("/roleManagement/directory/roleDefinitions", "", Shape::List, "RoleManagement.Read.Directory", None),
    ep(
        "/policies/roleManagementPolicyAssignments",
        "$filter=scopeId%20eq%20'%2F'%20and%20scopeType%20eq%20'DirectoryRole'&$expand=policy($expand=rules)",
        Shape::List,
        "RoleManagementPolicy.Read.Directory",
        P2,
    ),
    ep("/policies/authorizationPolicy", "", Shape::Object, "Policy.Read.All", None),
    ep("/policies/identitySecurityDefaultsEnforcementPolicy", "", Shape::Object, "Policy.Read.All", None),
    ep("/policies/authenticationMethodsPolicy", "", Shape::Object, "Policy.Read.All", None),
    ep("/policies/adminConsentRequestPolicy", "", Shape::Object, "Policy.Read.All", None),
    ep("/policies/crossTenantAccessPolicy/default", "", Shape::Object, "Policy.Read.All", None),
    ep("/admin/sharepoint/settings", "", Shape::Object, "SharePointTenantSettings.Read.All", None),
];

const fn ep(
    path: &'static str,
    query: &'static str,
    shape: Shape,
    permission: &'static str,
    licence: Option<&'static str>,
) -> Endpoint {
    Endpoint {
        path,
        query,
        shape,
        permission,
        licence,
    }
}

/// Per-object Graph calls, made for some items of a tenant-wide list.
#[derive(Debug, Clone, Copy)]
pub struct SubEndpoint {
    /// `{id}` stands for the parent item's id.
    pub path: &'static str,
    pub query: &'static str,
    pub permission: &'static str,
    /// Which items of which list it is called for, in words (for `sspm permissions`).
    pub for_items: &'static str,
}

pub const GROUP_MEMBERS: SubEndpoint = SubEndpoint {
    path: "/groups/{id}/members",
    query: "$top=999&$select=id,displayName,userPrincipalName",
    permission: "GroupMember.Read.All",
    for_items: "each role-assignable group (isAssignableToRole)",
};

pub const APPLICATION_OWNERS: SubEndpoint = SubEndpoint {
    path: "/applications/{id}/owners",
    query: "$top=999&$select=id,displayName,userPrincipalName",
    permission: "Application.Read.All",
    for_items: "each application registration",
};

pub const SERVICE_PRINCIPAL_OWNERS: SubEndpoint = SubEndpoint {
    path: "/servicePrincipals/{id}/owners",
    query: "$top=999&$select=id,displayName,userPrincipalName",
    permission: "Application.Read.All",
    for_items: "each service principal of an application registered in this tenant",
};

pub const APP_ROLE_ASSIGNED_TO: SubEndpoint = SubEndpoint {
    path: "/servicePrincipals/{id}/appRoleAssignedTo",
    query: "$top=999",
    permission: "Application.Read.All",
    for_items: "the service principals of Microsoft Graph, Exchange Online and SharePoint Online",
};

/// All per-object calls.
pub const SUB_ENDPOINTS: &[SubEndpoint] = &[
    GROUP_MEMBERS,
    APPLICATION_OWNERS,
    SERVICE_PRINCIPAL_OWNERS,
    APP_ROLE_ASSIGNED_TO,
];

/// appIds of first-party APIs whose granted application permissions are collected.
pub const FIRST_PARTY_APIS: &[(&str, &str)] = &[
    ("00000003-0000-0000-c000-000000000000", "Microsoft Graph"),
    (
        "00000002-0000-0ff1-ce00-000000000000",
        "Office 365 Exchange Online",
    ),
    (
        "00000003-0000-0ff1-ce00-000000000000",
        "Office 365 SharePoint Online",
    ),
];

/// Exchange Online cmdlets run through the admin API's InvokeCommand endpoint; the
/// snapshot key is `exo:` + the cmdlet name.
pub const EXO_CMDLETS: &[&str] = &[
    "Get-OrganizationConfig",
    "Get-TransportConfig",
    "Get-RemoteDomain",
    "Get-SharingPolicy",
    "Get-DkimSigningConfig",
    "Get-AdminAuditLogConfig",
    "Get-HostedOutboundSpamFilterPolicy",
    "Get-AntiPhishPolicy",
    "Get-MalwareFilterPolicy",
    "Get-SafeLinksPolicy",
    "Get-SafeAttachmentPolicy",
    "Get-OwaMailboxPolicy",
];

/// What Exchange needs: the application permission and the Entra role.
pub const EXO_PERMISSION: &str = "Exchange.ManageAsApp (Office 365 Exchange Online API) and the Global Reader role for the application's service principal";

/// The permission (and licence) a snapshot key needs, for failure records.
pub fn needs(key: &str) -> String {
    if key.starts_with("exo:") {
        return EXO_PERMISSION.to_string();
    }
    let path = key.trim_start_matches("graph:/v1.0");
    if let Some(e) = ENDPOINTS.iter().find(|e| e.path == path) {
        return match e.licence {
            Some(licence) => format!("{}; {licence}", e.permission),
            None => e.permission.to_string(),
        };
    }
    SUB_ENDPOINTS
        .iter()
        .find(|s| matches_template(s.path, path))
        .map(|s| s.permission.to_string())
        .unwrap_or_else(|| "the permissions listed by `sspm permissions m365`".into())
}

fn matches_template(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| *t == "{id}" || t == p)
}

/// The licence a Graph path needs, when it is licence-gated.
pub fn licence(path: &str) -> Option<&'static str> {
    ENDPOINTS
        .iter()
        .find(|e| e.path == path)
        .and_then(|e| e.licence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_names_its_permission() {
        assert_eq!(needs("graph:/v1.0/domains"), "Domain.Read.All");
        assert_eq!(
            needs("graph:/v1.0/reports/authenticationMethods/userRegistrationDetails"),
            "AuditLog.Read.All; Microsoft Entra ID P1"
        );
        assert_eq!(
            needs("graph:/v1.0/groups/abc/members"),
            "GroupMember.Read.All"
        );
        assert!(needs("exo:Get-TransportConfig").contains("Exchange.ManageAsApp"));
        assert_eq!(
            ENDPOINTS
                .iter()
                .find(|e| e.path == "/users")
                .map(|e| e.query.ends_with(USER_SELECT)),
            Some(true)
        );
        assert!(USER_SELECT.starts_with(USER_SELECT_WITHOUT_SIGN_IN));
    }
}
