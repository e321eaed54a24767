//! Fixed reference data: built-in directory roles, Microsoft first-party apps,
//! licence SKUs and service plans, name lists.

/// A built-in Entra ID directory role. For built-in roles Graph returns `id == templateId`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltInRole {
    /// Display name, e.g. `Global Administrator`.
    pub name: &'static str,
    /// The role template id (also the role definition id).
    pub template_id: &'static str,
    /// Microsoft's one-line description.
    pub description: &'static str,
    /// A representative subset of the role's allowed resource actions.
    pub actions: &'static [&'static str],
    /// In CISA SCuBA's list of highly privileged roles (MS.AAD.7.x).
    pub privileged: bool,
}

/// Global Administrator.
pub const GLOBAL_ADMINISTRATOR: &str = "62e90394-69f5-4237-9190-012177145e10";
/// Privileged Role Administrator.
pub const PRIVILEGED_ROLE_ADMINISTRATOR: &str = "e8611ab8-c189-46e8-94e1-60213ab1f814";
/// Security Administrator.
pub const SECURITY_ADMINISTRATOR: &str = "194ae4cb-b126-40b2-bd5b-6091b380977d";
/// Exchange Administrator.
pub const EXCHANGE_ADMINISTRATOR: &str = "29232cdf-9323-42fd-ade2-1d097af3e4de";
/// SharePoint Administrator.
pub const SHAREPOINT_ADMINISTRATOR: &str = "f28a1f50-f6e7-4571-818b-6a12f2af6b6c";
/// User Administrator.
pub const USER_ADMINISTRATOR: &str = "fe930be7-5e62-47db-91af-98c3a49a38b1";
/// Application Administrator.
pub const APPLICATION_ADMINISTRATOR: &str = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3";
/// Cloud Application Administrator.
pub const CLOUD_APPLICATION_ADMINISTRATOR: &str = "158c047a-c907-4556-b7ef-446551a6b5f7";
/// Global Reader.
pub const GLOBAL_READER: &str = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";
/// Helpdesk Administrator.
pub const HELPDESK_ADMINISTRATOR: &str = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
/// Hybrid Identity Administrator.
pub const HYBRID_IDENTITY_ADMINISTRATOR: &str = "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2";
/// Conditional Access Administrator.
pub const CONDITIONAL_ACCESS_ADMINISTRATOR: &str = "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9";
/// Privileged Authentication Administrator.
pub const PRIVILEGED_AUTHENTICATION_ADMINISTRATOR: &str = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13";
/// Security Reader.
pub const SECURITY_READER: &str = "5d6b6bb7-de71-4623-b4af-96380a352509";
/// Directory Readers.
pub const DIRECTORY_READERS: &str = "88d8e3e3-8f55-4a1e-953a-9b9898b8876b";

/// `guestUserRoleId`: guests have the same access as members (User role).
pub const GUEST_ROLE_MEMBER_LIKE: &str = "a0b1b346-4d3e-4e8b-98f8-753987be4970";
/// `guestUserRoleId`: Guest User (limited access, the default).
pub const GUEST_ROLE_LIMITED: &str = "10dae51f-b6af-4016-8d66-8c2a99b929b3";
/// `guestUserRoleId`: Restricted Guest User (most restrictive).
pub const GUEST_ROLE_RESTRICTED: &str = "2af84b1e-32c8-42b7-82bc-daa82404023b";

/// The tenant that owns Microsoft's first-party applications.
pub const MICROSOFT_TENANT_ID: &str = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";

/// A built-in authentication strength (`grantControls.authenticationStrength`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthStrength {
    /// Policy id.
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Description.
    pub description: &'static str,
    /// `allowedCombinations`.
    pub combinations: &'static [&'static str],
}

/// Built-in "Multifactor authentication" strength.
pub const STRENGTH_MFA: AuthStrength = AuthStrength {
    id: "00000000-0000-0000-0000-000000000002",
    name: "Multifactor authentication",
    description:
        "Combinations of methods that satisfy strong authentication, such as a password + SMS",
    combinations: &[
        "windowsHelloForBusiness",
        "fido2",
        "x509CertificateMultiFactor",
        "deviceBasedPush",
        "temporaryAccessPassOneTime",
        "temporaryAccessPassMultiUse",
        "password,microsoftAuthenticatorPush",
        "password,softwareOath",
        "password,hardwareOath",
        "password,x509CertificateSingleFactor",
        "password,x509CertificateMultiFactor",
        "password,sms",
        "password,voice",
        "federatedMultiFactor",
        "microsoftAuthenticatorPush,federatedSingleFactor",
        "softwareOath,federatedSingleFactor",
        "hardwareOath,federatedSingleFactor",
        "sms,federatedSingleFactor",
        "voice,federatedSingleFactor",
    ],
};

/// Built-in "Phishing-resistant MFA" strength.
pub const STRENGTH_PHISHING_RESISTANT: AuthStrength = AuthStrength {
    id: "00000000-0000-0000-0000-000000000004",
    name: "Phishing resistant MFA",
    description: "Phishing resistant, Passwordless methods for the strongest authentication, such as a FIDO2 security key",
    combinations: &["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"],
};

macro_rules! role {
    ($name:expr, $id:expr, $desc:expr, [$($a:expr),* $(,)?], $priv:expr) => {
        BuiltInRole { name: $name, template_id: $id, description: $desc, actions: &[$($a),*], privileged: $priv }
    };
}

/// The built-in roles the simulator knows (a representative subset of Entra ID's ~100).
pub const BUILT_IN_ROLES: &[BuiltInRole] = &[
    role!("Global Administrator", GLOBAL_ADMINISTRATOR,
        "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.",
        ["microsoft.directory/applications/allProperties/allTasks", "microsoft.directory/roleAssignments/allProperties/allTasks"], true),
    role!("Privileged Role Administrator", PRIVILEGED_ROLE_ADMINISTRATOR,
        "Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management.",
        ["microsoft.directory/roleAssignments/allProperties/allTasks", "microsoft.directory/roleDefinitions/allProperties/allTasks"], true),
    role!("Privileged Authentication Administrator", PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
        "Can access to view, set and reset authentication method information for any user (admin or non-admin).",
        ["microsoft.directory/users/authenticationMethods/create", "microsoft.directory/users/authenticationMethods/delete"], true),
    role!("Security Administrator", SECURITY_ADMINISTRATOR,
        "Can read security information and reports, and manage configuration in Microsoft Entra ID and Office 365.",
        ["microsoft.directory/conditionalAccessPolicies/create", "microsoft.directory/identityProtection/allProperties/allTasks"], true),
    role!("Exchange Administrator", EXCHANGE_ADMINISTRATOR,
        "Can manage all aspects of the Exchange product.",
        ["microsoft.office365.exchange/allEntities/basic/allTasks", "microsoft.directory/groups.unified/create"], true),
    role!("SharePoint Administrator", SHAREPOINT_ADMINISTRATOR,
        "Can manage all aspects of the SharePoint service.",
        ["microsoft.office365.sharePoint/allEntities/allTasks", "microsoft.directory/groups.unified/create"], true),
    role!("User Administrator", USER_ADMINISTRATOR,
        "Can manage all aspects of users and groups, including resetting passwords for limited admins.",
        ["microsoft.directory/users/create", "microsoft.directory/users/delete"], true),
    role!("Application Administrator", APPLICATION_ADMINISTRATOR,
        "Can create and manage all aspects of app registrations and enterprise apps.",
        ["microsoft.directory/applications/create", "microsoft.directory/applications/credentials/update"], true),
    role!("Cloud Application Administrator", CLOUD_APPLICATION_ADMINISTRATOR,
        "Can create and manage all aspects of app registrations and enterprise apps except App Proxy.",
        ["microsoft.directory/applications/create", "microsoft.directory/applications/credentials/update"], true),
    role!("Hybrid Identity Administrator", HYBRID_IDENTITY_ADMINISTRATOR,
        "Can manage Active Directory to Microsoft Entra cloud provisioning, Microsoft Entra Connect, pass-through authentication (PTA), password hash synchronization (PHS), seamless single sign-on (seamless SSO), and federation settings.",
        ["microsoft.directory/domains/federation/update", "microsoft.directory/cloudProvisioning/allProperties/allTasks"], true),
    role!("Conditional Access Administrator", CONDITIONAL_ACCESS_ADMINISTRATOR,
        "Can manage Conditional Access capabilities.",
        ["microsoft.directory/conditionalAccessPolicies/create", "microsoft.directory/conditionalAccessPolicies/basic/update"], false),
    role!("Authentication Administrator", "c4e39bd9-1100-46d3-8c65-fb160da0071f",
        "Can access to view, set and reset authentication method information for any non-admin user.",
        ["microsoft.directory/users/authenticationMethods/create", "microsoft.directory/users/password/update"], false),
    role!("Authentication Policy Administrator", "0526716b-113d-4c15-b2c8-68e3c22b9f80",
        "Can create and manage the authentication methods policy, tenant-wide MFA settings, password protection policy, and verifiable credentials.",
        ["microsoft.directory/authorizationPolicy/standard/read", "microsoft.directory/authenticationMethodsPolicy/basic/update"], false),
    role!("Global Reader", GLOBAL_READER,
        "Can read everything that a Global Administrator can, but not update anything.",
        ["microsoft.directory/applications/allProperties/read", "microsoft.directory/users/allProperties/read"], false),
    role!("Security Reader", "5d6b6bb7-de71-4623-b4af-96380a352509",
        "Can read security information and reports in Microsoft Entra ID and Office 365.",
        ["microsoft.directory/auditLogs/allProperties/read", "microsoft.directory/signInReports/allProperties/read"], false),
    role!("Security Operator", "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f",
        "Creates and manages security events.",
        ["microsoft.directory/identityProtection/allProperties/read", "microsoft.office365.securityComplianceCenter/allEntities/allTasks"], false),
    role!("Helpdesk Administrator", HELPDESK_ADMINISTRATOR,
        "Can reset passwords for non-administrators and Helpdesk Administrators.",
        ["microsoft.directory/users/password/update", "microsoft.directory/users/invalidateAllRefreshTokens"], false),
    role!("Password Administrator", "966707d0-3269-4727-9be2-8c3a10f19b9d",
        "Can reset passwords for non-administrators and Password Administrators.",
        ["microsoft.directory/users/password/update"], false),
    role!("Groups Administrator", "fdd7a751-b60b-444a-984c-02652fe8fa1c",
        "Members of this role can create/manage groups, create/manage groups settings like naming and expiration policies, and view groups activity and audit reports.",
        ["microsoft.directory/groups/create", "microsoft.directory/groups/members/update"], false),
    role!("License Administrator", "4d6ac14f-3453-41d0-bef9-a3e0c569773a",
        "Can manage product licenses on users and groups.",
        ["microsoft.directory/users/assignLicense", "microsoft.directory/groups/assignLicense"], false),
    role!("Billing Administrator", "b0f54661-2d74-4c50-afa3-1ec803f12efe",
        "Can perform common billing related tasks like updating payment information.",
        ["microsoft.commerce.billing/allEntities/allProperties/allTasks"], false),
    role!("Teams Administrator", "69091246-20e8-4a56-aa4d-066075b2a7a8",
        "Can manage the Microsoft Teams service.",
        ["microsoft.teams/allEntities/allProperties/allTasks", "microsoft.directory/groups.unified/create"], false),
    role!("Intune Administrator", "3a2c62db-5318-420d-8d74-23affee5d9d5",
        "Can manage all aspects of the Intune product.",
        ["microsoft.intune/allEntities/allTasks", "microsoft.directory/devices/basic/update"], false),
    role!("Cloud Device Administrator", "7698a772-787b-4ac8-901f-60d6b08affd2",
        "Limited access to manage devices in Microsoft Entra ID.",
        ["microsoft.directory/devices/delete", "microsoft.directory/devices/disable"], false),
    role!("Compliance Administrator", "17315797-102d-40b4-93e0-432062caca18",
        "Can read and manage compliance configuration and reports in Microsoft Entra ID and Microsoft 365.",
        ["microsoft.office365.complianceManager/allEntities/allTasks", "microsoft.directory/auditLogs/allProperties/read"], false),
    role!("Reports Reader", "4a5d8f65-41da-4de4-8968-e035b65339cf",
        "Can read sign-in and audit reports.",
        ["microsoft.directory/auditLogs/allProperties/read", "microsoft.office365.usageReports/allEntities/allProperties/read"], false),
    role!("Guest Inviter", "95e79109-95c0-4d8e-aee3-d01accf2d47b",
        "Can invite guest users independent of the 'members can invite guests' setting.",
        ["microsoft.directory/users/inviteGuest"], false),
    role!("Application Developer", "cf1c38e5-3621-4004-a7cb-879624dced7c",
        "Can create application registrations independent of the 'Users can register applications' setting.",
        ["microsoft.directory/applications/createAsOwner", "microsoft.directory/servicePrincipals/createAsOwner"], false),
    role!("Power Platform Administrator", "11648597-926c-4cf3-9c36-bcebb0ba8dcc",
        "Can create and manage all aspects of Microsoft Dynamics 365, Power Apps and Power Automate.",
        ["microsoft.powerApps/allEntities/allTasks", "microsoft.dynamics365/allEntities/allTasks"], false),
    role!("Service Support Administrator", "f023fd81-a637-4b56-95fd-791ac0226033",
        "Can read service health information and manage support tickets.",
        ["microsoft.office365.supportTickets/allEntities/allTasks", "microsoft.office365.serviceHealth/allEntities/allTasks"], false),
    role!("Message Center Reader", "790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b",
        "Can read messages and updates for their organization in Office 365 Message Center only.",
        ["microsoft.office365.messageCenter/messages/read"], false),
    role!("Directory Readers", DIRECTORY_READERS,
        "Can read basic directory information. Commonly used to grant directory read access to applications and guests.",
        ["microsoft.directory/users/standard/read", "microsoft.directory/groups/standard/read"], false),
];

/// Weights of roles in noise assignments (index into [`BUILT_IN_ROLES`], weight).
pub(crate) const NOISE_ROLE_WEIGHTS: &[(&str, u32)] = &[
    (HELPDESK_ADMINISTRATOR, 20),
    ("966707d0-3269-4727-9be2-8c3a10f19b9d", 8),
    (GLOBAL_READER, 10),
    ("5d6b6bb7-de71-4623-b4af-96380a352509", 8),
    ("4a5d8f65-41da-4de4-8968-e035b65339cf", 8),
    ("790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b", 6),
    ("69091246-20e8-4a56-aa4d-066075b2a7a8", 5),
    ("3a2c62db-5318-420d-8d74-23affee5d9d5", 5),
    ("4d6ac14f-3453-41d0-bef9-a3e0c569773a", 5),
    ("fdd7a751-b60b-444a-984c-02652fe8fa1c", 5),
    ("f023fd81-a637-4b56-95fd-791ac0226033", 4),
    ("cf1c38e5-3621-4004-a7cb-879624dced7c", 4),
    ("95e79109-95c0-4d8e-aee3-d01accf2d47b", 3),
    ("7698a772-787b-4ac8-901f-60d6b08affd2", 3),
    ("c4e39bd9-1100-46d3-8c65-fb160da0071f", 3),
    (DIRECTORY_READERS, 3),
    ("11648597-926c-4cf3-9c36-bcebb0ba8dcc", 2),
    ("17315797-102d-40b4-93e0-432062caca18", 2),
    ("5f2222b1-57c3-48ba-8ad5-d4759f1fde6f", 2),
    (EXCHANGE_ADMINISTRATOR, 2),
    (SHAREPOINT_ADMINISTRATOR, 2),
    (USER_ADMINISTRATOR, 2),
    (SECURITY_ADMINISTRATOR, 1),
    (APPLICATION_ADMINISTRATOR, 1),
    (CLOUD_APPLICATION_ADMINISTRATOR, 1),
    (CONDITIONAL_ACCESS_ADMINISTRATOR, 1),
];

/// The built-in role with this template id.
pub fn role_by_id(template_id: &str) -> Option<&'static BuiltInRole> {
    BUILT_IN_ROLES.iter().find(|r| r.template_id == template_id)
}

/// A Microsoft first-party application present in every tenant.
pub(crate) struct FirstPartyApp {
    pub name: &'static str,
    pub app_id: &'static str,
}

/// Microsoft Graph's appId.
pub(crate) const MICROSOFT_GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";
/// Office 365 Exchange Online's appId.
pub(crate) const EXCHANGE_ONLINE_APP_ID: &str = "00000002-0000-0ff1-ce00-000000000000";
/// Office 365 SharePoint Online's appId.
pub(crate) const SHAREPOINT_ONLINE_APP_ID: &str = "00000003-0000-0ff1-ce00-000000000000";
/// Windows Azure Service Management API (the CA target "Azure management").
pub(crate) const AZURE_MANAGEMENT_APP_ID: &str = "797f4846-ba00-4fd7-ba43-dac1f8f63013";

pub(crate) const FIRST_PARTY_APPS: &[FirstPartyApp] = &[
    FirstPartyApp {
        name: "Microsoft Graph",
        app_id: MICROSOFT_GRAPH_APP_ID,
    },
    FirstPartyApp {
        name: "Office 365 Exchange Online",
        app_id: EXCHANGE_ONLINE_APP_ID,
    },
    FirstPartyApp {
        name: "Office 365 SharePoint Online",
        app_id: SHAREPOINT_ONLINE_APP_ID,
    },
    FirstPartyApp {
        name: "Windows Azure Active Directory",
        app_id: "00000002-0000-0000-c000-000000000000",
    },
    FirstPartyApp {
        name: "Microsoft Teams",
        app_id: "1fec8e78-bce4-4aaf-ab1b-5451cc387264",
    },
    FirstPartyApp {
        name: "Office 365 Management APIs",
        app_id: "c5393580-f805-4401-95e8-94b7a6ef2fc2",
    },
    FirstPartyApp {
        name: "Windows Azure Service Management API",
        app_id: AZURE_MANAGEMENT_APP_ID,
    },
    FirstPartyApp {
        name: "Microsoft Office",
        app_id: "d3590ed6-52b3-4102-aeff-aad2292ab01c",
    },
    FirstPartyApp {
        name: "Azure Portal",
        app_id: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
    },
    FirstPartyApp {
        name: "Microsoft Intune",
        app_id: "0000000a-0000-0000-c000-000000000000",
    },
    FirstPartyApp {
        name: "Microsoft Azure PowerShell",
        app_id: "1950a258-227b-4e31-a9cf-717495945fc2",
    },
    FirstPartyApp {
        name: "Microsoft Azure CLI",
        app_id: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
    },
    FirstPartyApp {
        name: "Microsoft Graph Command Line Tools",
        app_id: "14d82eec-204b-4c2f-b7e8-296a70dab67e",
    },
];

/// A third-party SaaS vendor whose multi-tenant apps users and admins consent to.
pub(crate) struct Vendor {
    pub publisher: &'static str,
    pub app: &'static str,
    pub verified: bool,
    /// Delegated Microsoft Graph scopes the app asks for.
    pub scopes: &'static str,
}

pub(crate) const VENDORS: &[Vendor] = &[
    Vendor {
        publisher: "Zoom Video Communications, Inc.",
        app: "Zoom",
        verified: true,
        scopes: "openid profile email offline_access User.Read Calendars.ReadWrite",
    },
    Vendor {
        publisher: "Slack Technologies, LLC",
        app: "Slack",
        verified: true,
        scopes: "openid profile email offline_access User.Read",
    },
    Vendor {
        publisher: "Salesforce.com, inc.",
        app: "Salesforce",
        verified: true,
        scopes: "openid profile email User.Read",
    },
    Vendor {
        publisher: "DocuSign Inc.",
        app: "DocuSign",
        verified: true,
        scopes: "openid profile email offline_access User.Read Files.Read.All",
    },
    Vendor {
        publisher: "Atlassian",
        app: "Atlassian Cloud",
        verified: true,
        scopes: "openid profile email User.Read",
    },
    Vendor {
        publisher: "GitHub, Inc.",
        app: "GitHub",
        verified: true,
        scopes: "openid profile email User.Read",
    },
    Vendor {
        publisher: "Dropbox, Inc.",
        app: "Dropbox",
        verified: true,
        scopes: "openid profile email offline_access User.Read Files.ReadWrite.All",
    },
    Vendor {
        publisher: "ServiceNow, Inc.",
        app: "ServiceNow",
        verified: true,
        scopes: "openid profile email User.Read",
    },
    Vendor {
        publisher: "Miro",
        app: "Miro",
        verified: true,
        scopes: "openid profile email User.Read",
    },
    Vendor {
        publisher: "Calendly LLC",
        app: "Calendly",
        verified: true,
        scopes: "openid profile email offline_access User.Read Calendars.ReadWrite",
    },
    Vendor {
        publisher: "Grammarly, Inc.",
        app: "Grammarly",
        verified: true,
        scopes: "openid profile email offline_access User.Read Mail.Read",
    },
    Vendor {
        publisher: "Adobe Inc.",
        app: "Adobe Acrobat Sign",
        verified: true,
        scopes: "openid profile email offline_access User.Read Files.ReadWrite.All",
    },
    Vendor {
        publisher: "Workday, Inc.",
        app: "Workday",
        verified: true,
        scopes: "openid profile email User.Read",
    },
    Vendor {
        publisher: "Notion Labs, Inc.",
        app: "Notion",
        verified: true,
        scopes: "openid profile email User.Read",
    },
    Vendor {
        publisher: "PDFTools Online",
        app: "PDF Converter Pro",
        verified: false,
        scopes: "openid profile email offline_access User.Read Mail.ReadWrite Files.ReadWrite.All",
    },
    Vendor {
        publisher: "MailMergeHelper",
        app: "Mail Merge Helper",
        verified: false,
        scopes: "offline_access User.Read Mail.Send Mail.ReadWrite Contacts.Read",
    },
    Vendor {
        publisher: "FreeCalSync",
        app: "Free Calendar Sync",
        verified: false,
        scopes: "offline_access User.Read Calendars.ReadWrite Mail.Read",
    },
    Vendor {
        publisher: "QuickNotes Dev",
        app: "QuickNotes",
        verified: false,
        scopes: "offline_access User.Read Notes.ReadWrite.All Files.Read.All",
    },
];

/// Suffixes that make more app names from a vendor at scale.
pub(crate) const APP_VARIANTS: &[&str] = &[
    "",
    " for Outlook",
    " Connector",
    " Sync",
    " SSO",
    " Reports",
    " Scheduler",
    " for Teams",
    " Admin",
    " Analytics",
];

/// Names of line-of-business apps the tenant registers itself.
pub(crate) const OWN_APPS: &[&str] = &[
    "HR Portal",
    "Expense Reporting",
    "Payroll Sync",
    "Intranet",
    "Data Warehouse ETL",
    "Build Pipeline",
    "Backup Service",
    "Monitoring Agent",
    "Customer Portal",
    "Sales Dashboard",
    "Mailbox Archiver",
    "Identity Sync Job",
    "Ticketing Integration",
    "Contract Manager",
    "Training Platform",
    "Visitor Management",
];

/// Environments appended to own app names at scale.
pub(crate) const ENVIRONMENTS: &[&str] = &["", " - Dev", " - Test", " - Staging", " - Prod"];

/// Microsoft Graph application permissions (`appRoles` ids), used in `requiredResourceAccess`.
pub(crate) const GRAPH_APP_ROLES: &[(&str, &str)] = &[
    ("User.Read.All", "df021288-bdef-4463-88db-98f22de89214"),
    (
        "Directory.ReadWrite.All",
        "19dbc75e-c2e2-444c-a770-ec69d8559fc7",
    ),
    ("Mail.Read", "810c84a8-4a9e-49e6-bf7d-12d183f40d01"),
    ("Mail.ReadWrite", "e2a3a72e-5f79-4c64-b1b1-878b674786c9"),
    ("Files.Read.All", "01d4889c-1287-42c6-ac1f-5d1e02578ef6"),
    ("Sites.Read.All", "332a536c-c7ef-4017-ab91-336970924f0d"),
    (
        "Application.ReadWrite.All",
        "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9",
    ),
    (
        "RoleManagement.ReadWrite.Directory",
        "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8",
    ),
];

/// Microsoft Graph `User.Read` delegated scope id.
pub(crate) const GRAPH_SCOPE_USER_READ: &str = "e1fe6dd8-ba31-4d61-89e7-88639da4683d";

/// Microsoft 365 E3 (`SPE_E3`).
pub(crate) const SKU_M365_E3: &str = "05e9a617-0261-4cee-bb44-138d3ef5d965";
/// Microsoft 365 E5 (`SPE_E5`).
pub(crate) const SKU_M365_E5: &str = "06ebc4ee-1bb5-47dd-8120-11324bc54e06";
/// Microsoft Entra ID P2 (`AAD_PREMIUM_P2`).
pub(crate) const SKU_ENTRA_P2: &str = "84a661c4-e949-4bd2-a560-ed7766fcaf2b";

/// Organization `assignedPlans`: (service, servicePlanId).
pub(crate) const PLAN_ENTRA_P1: (&str, &str) =
    ("AADPremiumService", "41781fb2-bc02-4b7c-bd55-b576c07bb09d");
pub(crate) const PLAN_ENTRA_P2: (&str, &str) =
    ("AADPremiumService", "eec0eb4f-6444-4f95-aba0-50c24d67f998");
pub(crate) const PLAN_EXCHANGE: (&str, &str) = ("exchange", "efb87545-963c-4e0d-99df-69c6916d9eb0");
pub(crate) const PLAN_SHAREPOINT: (&str, &str) =
    ("SharePoint", "5dbe027f-2339-4123-9542-606e4d348a72");

pub(crate) const FIRST_NAMES: &[&str] = &[
    "Adele",
    "Alex",
    "Allan",
    "Amara",
    "Ana",
    "Anders",
    "Bianca",
    "Brian",
    "Camille",
    "Carlos",
    "Chen",
    "Christie",
    "Daniel",
    "Diego",
    "Elena",
    "Emily",
    "Enrico",
    "Fatima",
    "Felix",
    "Grace",
    "Hannah",
    "Hiro",
    "Ibrahim",
    "Isaiah",
    "Jana",
    "Johanna",
    "Joni",
    "Jordan",
    "Kenji",
    "Lara",
    "Lee",
    "Lidia",
    "Lynne",
    "Marta",
    "Megan",
    "Miriam",
    "Nestor",
    "Nina",
    "Noah",
    "Olga",
    "Omar",
    "Patti",
    "Pradeep",
    "Priya",
    "Rafael",
    "Sara",
    "Sofia",
    "Tomas",
    "Valentina",
    "Wei",
    "Yusuf",
    "Zoe",
];

pub(crate) const LAST_NAMES: &[&str] = &[
    "Vance",
    "Wilber",
    "Deyoung",
    "Okafor",
    "Silva",
    "Lindqvist",
    "Pisani",
    "Johnson",
    "Laurent",
    "Mendez",
    "Wang",
    "Cline",
    "Becker",
    "Ramos",
    "Petrova",
    "Brown",
    "Rossi",
    "Haddad",
    "Schmidt",
    "Taylor",
    "Cohen",
    "Tanaka",
    "Khan",
    "Williams",
    "Novak",
    "Holgersson",
    "Sherman",
    "Lee",
    "Sato",
    "Moreau",
    "Park",
    "Holloway",
    "Robbins",
    "Bowen",
    "Goodwin",
    "Adams",
    "Gonzalez",
    "Ivanova",
    "Murphy",
    "Nowak",
    "Ali",
    "Fernandez",
    "Gupta",
    "Sharma",
    "Costa",
    "Berg",
    "Garcia",
    "Svoboda",
    "Bianchi",
    "Zhang",
    "Yilmaz",
    "Clarke",
];

pub(crate) const DEPARTMENTS: &[&str] = &[
    "Sales",
    "Marketing",
    "Finance",
    "Human Resources",
    "Engineering",
    "IT",
    "Legal",
    "Operations",
    "Support",
    "Research",
    "Procurement",
    "Executive",
];

pub(crate) const JOB_TITLES: &[&str] = &[
    "Account Manager",
    "Analyst",
    "Consultant",
    "Coordinator",
    "Developer",
    "Director",
    "Engineer",
    "Manager",
    "Specialist",
    "Team Lead",
    "Associate",
    "Administrator",
];

pub(crate) const GUEST_DOMAINS: &[&str] = &[
    "northwindtraders.com",
    "adventure-works.com",
    "wingtiptoys.com",
    "tailspintoys.com",
    "woodgrovebank.com",
    "litwareinc.com",
    "fourthcoffee.com",
    "gmail.com",
    "outlook.com",
];

pub(crate) const USAGE_LOCATIONS: &[&str] =
    &["US", "US", "US", "GB", "DE", "FR", "NL", "CA", "IN", "AU"];

/// Countries some noise CA policies block (ISO 3166-1 alpha-2).
pub(crate) const BLOCKED_COUNTRIES: &[&str] = &["KP", "IR", "SY", "CU", "RU", "BY"];
