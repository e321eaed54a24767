//! The simulated tenant's data model: typed entities that [`M365Tenant::render`] turns
//! into Graph v1.0 JSON. An HTTP simulator can serve (and page, filter) these.

use std::collections::BTreeMap;

use sspm_model::Failure;

use crate::catalog::AuthStrength;
use crate::spec::Posture;

/// A whole simulated Microsoft 365 tenant, generated from an [`crate::M365Spec`].
#[derive(Debug, Clone)]
pub struct M365Tenant {
    /// Weak, hardened or mixed.
    pub posture: Posture,
    /// The spec's seed (a mixed tenant's areas are drawn from it).
    pub seed: u64,
    /// Snapshot instance name.
    pub instance: String,
    /// Initial domain (`*.onmicrosoft.com`), the snapshot's `tenant`.
    pub tenant_domain: String,
    /// RFC 3339 collection time.
    pub collected_at: String,
    /// Unix seconds of `collected_at`; all dates are relative to it.
    pub now: i64,
    /// The directory (tenant) id.
    pub tenant_id: String,
    /// Whether the tenant is licensed for Entra ID P2.
    pub entra_id_p2: bool,
    /// The organization object.
    pub organization: Organization,
    /// Domains, initial first.
    pub domains: Vec<Domain>,
    /// Users; privileged and special accounts first.
    pub users: Vec<User>,
    /// Groups; groups referenced by policies first.
    pub groups: Vec<Group>,
    /// App registrations owned by the tenant.
    pub applications: Vec<Application>,
    /// Enterprise apps: Microsoft first-party, own, third-party, managed identities.
    pub service_principals: Vec<ServicePrincipal>,
    /// Delegated permission grants.
    pub oauth2_grants: Vec<OAuth2Grant>,
    /// Active directory role assignments (permanent and PIM-activated).
    pub role_assignments: Vec<RoleAssignment>,
    /// PIM role eligibilities (empty without Entra ID P2).
    pub role_eligibilities: Vec<RoleEligibility>,
    /// PIM role settings: one role management policy per directory role in scope.
    pub role_policies: Vec<RolePolicy>,
    /// Application permissions granted on resource service principals
    /// (`/servicePrincipals/{resource}/appRoleAssignedTo`).
    pub app_role_assignments: Vec<AppRoleAssignment>,
    /// Conditional access policies.
    pub ca_policies: Vec<CaPolicy>,
    /// Named locations.
    pub named_locations: Vec<NamedLocation>,
    /// Tenant-wide settings (authorization, authentication methods, consent, sharing).
    pub settings: Settings,
    /// Calls recorded as failed, keyed like snapshot resources.
    pub failures: BTreeMap<String, Failure>,
}

/// The organization (tenant) object.
#[derive(Debug, Clone)]
pub struct Organization {
    /// Display name, e.g. `Contoso`.
    pub display_name: String,
    /// Creation time (unix seconds).
    pub created: i64,
    /// Whether directory synchronisation is on.
    pub on_premises_sync_enabled: bool,
    /// Last directory sync (unix seconds).
    pub on_premises_last_sync: Option<i64>,
    /// Licensed service plans: (service, servicePlanId).
    pub assigned_plans: Vec<(&'static str, &'static str)>,
    /// Technical notification mail addresses.
    pub technical_notification_mails: Vec<String>,
}

/// A domain of the tenant.
#[derive(Debug, Clone)]
pub struct Domain {
    /// Fully qualified name (the Graph `id`).
    pub name: String,
    /// `Managed` or `Federated`.
    pub authentication_type: &'static str,
    /// The default domain for new users.
    pub is_default: bool,
    /// The `*.onmicrosoft.com` domain.
    pub is_initial: bool,
    /// Ownership verified.
    pub is_verified: bool,
    /// Password expiry in days (2147483647 = never).
    pub password_validity_days: i64,
    /// Days before expiry that users are notified.
    pub password_notification_days: i64,
    /// Services, e.g. `Email`, `OfficeCommunicationsOnline`.
    pub supported_services: Vec<&'static str>,
}

/// A user account.
#[derive(Debug, Clone)]
pub struct User {
    /// Object id.
    pub id: String,
    /// Display name.
    pub display_name: String,
    /// Given name.
    pub given_name: String,
    /// Surname.
    pub surname: String,
    /// UPN (guests: `local_domain#EXT#@tenant.onmicrosoft.com`).
    pub user_principal_name: String,
    /// Primary SMTP address.
    pub mail: Option<String>,
    /// Job title.
    pub job_title: Option<&'static str>,
    /// Department.
    pub department: Option<&'static str>,
    /// Usage location (ISO country).
    pub usage_location: Option<&'static str>,
    /// `userType` Guest rather than Member.
    pub guest: bool,
    /// Sign-in allowed.
    pub account_enabled: bool,
    /// Synchronised from on-premises AD.
    pub on_premises_sync_enabled: bool,
    /// Creation time.
    pub created: i64,
    /// Last sign-ins; `None` when the user never signed in.
    pub sign_in: Option<SignInActivity>,
    /// Assigned licence SKU ids.
    pub licenses: Vec<&'static str>,
    /// Authentication methods registration (`userRegistrationDetails`).
    pub registration: Registration,
}

/// A user's `signInActivity`.
#[derive(Debug, Clone)]
pub struct SignInActivity {
    /// Last interactive sign-in attempt.
    pub last_sign_in: i64,
    /// Last non-interactive sign-in attempt.
    pub last_non_interactive: i64,
    /// Last successful sign-in of either kind.
    pub last_successful: i64,
}

/// A user's authentication methods registration.
#[derive(Debug, Clone)]
pub struct Registration {
    /// `methodsRegistered`, e.g. `microsoftAuthenticatorPush`, `mobilePhone`, `fido2`.
    pub methods: Vec<&'static str>,
    /// Holds an active or eligible directory role.
    pub is_admin: bool,
    /// In scope of self-service password reset.
    pub sspr_enabled: bool,
    /// Last update of the record.
    pub last_updated: i64,
}

/// Group flavours as Graph distinguishes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKind {
    /// Microsoft 365 group (`groupTypes: ["Unified"]`).
    Unified,
    /// Assigned security group.
    Security,
    /// Dynamic security group (`groupTypes: ["DynamicMembership"]`).
    DynamicSecurity,
    /// Distribution list.
    Distribution,
    /// Mail-enabled security group.
    MailEnabledSecurity,
}

/// A group.
#[derive(Debug, Clone)]
pub struct Group {
    /// Object id.
    pub id: String,
    /// Display name.
    pub display_name: String,
    /// Description.
    pub description: Option<String>,
    /// Flavour.
    pub kind: GroupKind,
    /// Mail nickname.
    pub mail_nickname: String,
    /// `Public`/`Private` for Microsoft 365 groups.
    pub visibility: Option<&'static str>,
    /// Can be assigned to directory roles.
    pub is_assignable_to_role: bool,
    /// Creation time.
    pub created: i64,
    /// Dynamic membership rule.
    pub membership_rule: Option<String>,
    /// Synchronised from on-premises AD.
    pub on_premises_sync_enabled: bool,
    /// Members, as indexes into [`M365Tenant::users`] (kept for role-assignable groups,
    /// whose members are collected).
    pub members: Vec<usize>,
}

/// A password or certificate credential (metadata only, as Graph returns it).
#[derive(Debug, Clone)]
pub struct Credential {
    /// Key id.
    pub key_id: String,
    /// Friendly name.
    pub display_name: Option<String>,
    /// Valid from.
    pub start: i64,
    /// Valid until.
    pub end: i64,
    /// First characters of a secret (`hint`), passwords only.
    pub hint: Option<String>,
    /// Base64 thumbprint (`customKeyIdentifier`), certificates only.
    pub thumbprint: Option<String>,
}

/// An app registration.
#[derive(Debug, Clone)]
pub struct Application {
    /// Object id.
    pub id: String,
    /// Application (client) id.
    pub app_id: String,
    /// Display name.
    pub display_name: String,
    /// Creation time.
    pub created: i64,
    /// `AzureADMyOrg` or `AzureADMultipleOrgs`.
    pub sign_in_audience: &'static str,
    /// Publisher domain.
    pub publisher_domain: String,
    /// Client secrets.
    pub password_credentials: Vec<Credential>,
    /// Certificates.
    pub key_credentials: Vec<Credential>,
    /// Microsoft Graph application permissions requested: (name, appRole id).
    pub graph_app_roles: Vec<(&'static str, &'static str)>,
    /// Redirect URIs.
    pub redirect_uris: Vec<String>,
    /// Owners, as indexes into [`M365Tenant::users`].
    pub owners: Vec<usize>,
}

/// What a service principal stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpKind {
    /// A Microsoft first-party app.
    Microsoft,
    /// The tenant's own app registration (index into `applications`).
    Own(usize),
    /// A third-party multi-tenant app.
    ThirdParty,
    /// An Azure managed identity.
    ManagedIdentity,
}

/// A service principal (enterprise app).
#[derive(Debug, Clone)]
pub struct ServicePrincipal {
    /// Object id.
    pub id: String,
    /// Application id.
    pub app_id: String,
    /// Display name.
    pub display_name: String,
    /// What it stands for.
    pub kind: SpKind,
    /// Tenant that owns the app.
    pub app_owner_organization_id: Option<String>,
    /// Publisher name.
    pub publisher_name: Option<String>,
    /// Verified publisher: (display name, MPN id, added).
    pub verified_publisher: Option<(String, String, i64)>,
    /// Sign-in enabled.
    pub account_enabled: bool,
    /// Users need an assignment to sign in.
    pub app_role_assignment_required: bool,
    /// Tags.
    pub tags: Vec<&'static str>,
    /// Audience.
    pub sign_in_audience: Option<&'static str>,
    /// `Application`, `ManagedIdentity`, …
    pub service_principal_type: &'static str,
    /// Secrets on the service principal itself.
    pub password_credentials: Vec<Credential>,
    /// Certificates (e.g. SAML signing).
    pub key_credentials: Vec<Credential>,
    /// Alternative names (managed identities: resource id).
    pub alternative_names: Vec<String>,
    /// `saml`, `password`, … or none.
    pub preferred_single_sign_on_mode: Option<&'static str>,
    /// Home page.
    pub homepage: Option<String>,
    /// Reply URLs.
    pub reply_urls: Vec<String>,
    /// Owners, as indexes into [`M365Tenant::users`].
    pub owners: Vec<usize>,
}

/// An application permission (app role) granted to a service principal on a resource
/// service principal, as `appRoleAssignedTo` lists it.
#[derive(Debug, Clone)]
pub struct AppRoleAssignment {
    /// Assignment id.
    pub id: String,
    /// The client service principal's object id.
    pub principal_id: String,
    /// The client's display name.
    pub principal_display_name: String,
    /// The resource service principal's object id (Microsoft Graph, Exchange Online …).
    pub resource_id: String,
    /// The resource's display name.
    pub resource_display_name: String,
    /// The app role id.
    pub app_role_id: &'static str,
    /// When it was granted.
    pub created: i64,
}

/// The PIM settings of one directory role: its `unifiedRoleManagementPolicy` (assigned at
/// directory scope) with the rules Graph expands.
#[derive(Debug, Clone)]
pub struct RolePolicy {
    /// The role definition (template) id.
    pub role_definition_id: &'static str,
    /// `DirectoryRole_{tenant id}_{guid}`.
    pub policy_id: String,
    /// Eligible assignments must expire (`Expiration_Admin_Eligibility`).
    pub eligibility_expiration_required: bool,
    /// Longest eligible assignment, ISO 8601 duration (`P365D`).
    pub eligibility_max: &'static str,
    /// Active assignments must expire (`Expiration_Admin_Assignment`).
    pub assignment_expiration_required: bool,
    /// Longest active assignment (`P180D`).
    pub assignment_max: &'static str,
    /// Longest activation (`Expiration_EndUser_Assignment`, e.g. `PT8H`).
    pub activation_max: &'static str,
    /// What activation asks for (`Enablement_EndUser_Assignment`): `MultiFactorAuthentication`, `Justification`, `Ticketing`.
    pub activation_requirements: Vec<&'static str>,
    /// What an admin's active assignment asks for (`Enablement_Admin_Assignment`).
    pub assignment_requirements: Vec<&'static str>,
    /// Activation needs approval (`Approval_EndUser_Assignment`).
    pub approval_required: bool,
    /// Approvers: (user id, display name).
    pub approvers: Vec<(String, String)>,
    /// Additional recipients of the admin notifications (eligible and active assignment,
    /// activation); empty means only the default recipients.
    pub alert_recipients: Vec<String>,
    /// Last change and by whom (`None`: Microsoft's defaults, never edited).
    pub modified: Option<(i64, String, String)>,
}

/// A delegated permission grant.
#[derive(Debug, Clone)]
pub struct OAuth2Grant {
    /// Opaque id.
    pub id: String,
    /// The client service principal's object id.
    pub client_id: String,
    /// `AllPrincipals` (admin consent) when `principal_id` is `None`, else `Principal`.
    pub principal_id: Option<String>,
    /// The resource service principal's object id.
    pub resource_id: String,
    /// Space-separated scopes.
    pub scope: String,
}

/// How an active role assignment came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignmentType {
    /// Permanent or time-bound active assignment.
    Assigned,
    /// Activated from a PIM eligibility.
    Activated,
}

/// An active directory role assignment.
#[derive(Debug, Clone)]
pub struct RoleAssignment {
    /// Graph's assignment id (base64url of role and principal ids, `-1`).
    pub id: String,
    /// Role definition (template) id.
    pub role_definition_id: &'static str,
    /// Assigned principal's object id.
    pub principal_id: String,
    /// Assigned or Activated.
    pub assignment_type: AssignmentType,
    /// Start.
    pub start: i64,
    /// End (`None` = permanent).
    pub end: Option<i64>,
    /// The schedule this instance came from.
    pub schedule_id: String,
    /// Made outside PIM (admin centre, PowerShell, the roleAssignments API): PIM shows
    /// no start time for it.
    pub outside_pim: bool,
}

/// A PIM role eligibility.
#[derive(Debug, Clone)]
pub struct RoleEligibility {
    /// Instance id.
    pub id: String,
    /// Role definition (template) id.
    pub role_definition_id: &'static str,
    /// Eligible principal's object id.
    pub principal_id: String,
    /// Start.
    pub start: i64,
    /// End (`None` = permanently eligible).
    pub end: Option<i64>,
    /// The eligibility schedule id.
    pub schedule_id: String,
}

/// Grant controls of a CA policy.
#[derive(Debug, Clone)]
pub struct Grant {
    /// `OR` or `AND`.
    pub operator: &'static str,
    /// `block`, `mfa`, `compliantDevice`, `domainJoinedDevice`, `approvedApplication`, …
    pub built_in_controls: Vec<&'static str>,
    /// Required authentication strength.
    pub authentication_strength: Option<&'static AuthStrength>,
}

/// Session controls of a CA policy.
#[derive(Debug, Clone, Default)]
pub struct Session {
    /// Sign-in frequency in hours.
    pub sign_in_frequency_hours: Option<u32>,
    /// Persistent browser sessions never allowed.
    pub persistent_browser_never: bool,
    /// Application enforced restrictions (SharePoint/Exchange).
    pub application_enforced_restrictions: bool,
}

/// A conditional access policy.
#[derive(Debug, Clone)]
pub struct CaPolicy {
    /// Id.
    pub id: String,
    /// Display name.
    pub display_name: String,
    /// Creation time.
    pub created: i64,
    /// Last modification.
    pub modified: Option<i64>,
    /// `enabled`, `disabled` or `enabledForReportingButNotEnforced`.
    pub state: &'static str,
    /// `includeUsers` (`All`, `None`, `GuestsOrExternalUsers` or ids).
    pub include_users: Vec<String>,
    /// `excludeUsers`.
    pub exclude_users: Vec<String>,
    /// `includeGroups`.
    pub include_groups: Vec<String>,
    /// `excludeGroups`.
    pub exclude_groups: Vec<String>,
    /// `includeRoles` (role template ids).
    pub include_roles: Vec<String>,
    /// `excludeRoles`.
    pub exclude_roles: Vec<String>,
    /// Includes all guests and external users.
    pub include_guests_or_external_users: bool,
    /// `includeApplications` (`All`, `Office365`, app ids).
    pub include_applications: Vec<String>,
    /// `excludeApplications`.
    pub exclude_applications: Vec<String>,
    /// `includeUserActions`.
    pub include_user_actions: Vec<&'static str>,
    /// `clientAppTypes`.
    pub client_app_types: Vec<&'static str>,
    /// `userRiskLevels`.
    pub user_risk_levels: Vec<&'static str>,
    /// `signInRiskLevels`.
    pub sign_in_risk_levels: Vec<&'static str>,
    /// Platforms: (include, exclude).
    pub platforms: Option<(Vec<&'static str>, Vec<&'static str>)>,
    /// Locations: (include, exclude) — `All`, `AllTrusted` or named location ids.
    pub locations: Option<(Vec<String>, Vec<String>)>,
    /// Grant controls.
    pub grant: Option<Grant>,
    /// Session controls.
    pub session: Option<Session>,
    /// `authenticationFlows.transferMethods` (`deviceCodeFlow`, `authenticationTransfer`).
    pub transfer_methods: Option<&'static str>,
}

/// A named location.
#[derive(Debug, Clone)]
pub enum NamedLocation {
    /// `#microsoft.graph.ipNamedLocation`.
    Ip {
        /// Id.
        id: String,
        /// Display name.
        display_name: String,
        /// Creation time.
        created: i64,
        /// Marked as trusted.
        is_trusted: bool,
        /// IPv4 CIDR ranges.
        ranges: Vec<&'static str>,
    },
    /// `#microsoft.graph.countryNamedLocation`.
    Country {
        /// Id.
        id: String,
        /// Display name.
        display_name: String,
        /// Creation time.
        created: i64,
        /// ISO 3166-1 alpha-2 codes.
        countries: Vec<&'static str>,
        /// Include IPs that map to no country.
        include_unknown: bool,
    },
}

impl M365Tenant {
    /// Whether the area named `area` of this tenant is configured well (see
    /// [`Posture::strong`]).
    pub fn strong(&self, area: &str) -> bool {
        self.posture.strong(self.seed, area)
    }
}

impl NamedLocation {
    /// The location's id.
    pub fn id(&self) -> &str {
        match self {
            NamedLocation::Ip { id, .. } | NamedLocation::Country { id, .. } => id,
        }
    }
}

/// One entry of the authentication methods policy.
#[derive(Debug, Clone, Copy)]
pub struct AuthMethod {
    /// `Sms`, `Voice`, `Email`, `MicrosoftAuthenticator`, `Fido2`, `TemporaryAccessPass`, `SoftwareOath`, `X509Certificate`.
    pub id: &'static str,
    /// `enabled` or `disabled`.
    pub enabled: bool,
}

/// Tenant-wide settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `authorizationPolicy.allowInvitesFrom`.
    pub allow_invites_from: &'static str,
    /// `authorizationPolicy.guestUserRoleId`.
    pub guest_user_role_id: &'static str,
    /// Users may register applications.
    pub allowed_to_create_apps: bool,
    /// Users may create security groups.
    pub allowed_to_create_security_groups: bool,
    /// Users may create tenants.
    pub allowed_to_create_tenants: bool,
    /// Users may read BitLocker keys of their devices.
    pub allowed_to_read_bitlocker_keys: bool,
    /// Users may read other users.
    pub allowed_to_read_other_users: bool,
    /// `permissionGrantPoliciesAssigned` of the default user role.
    pub permission_grant_policies_assigned: Vec<&'static str>,
    /// Users may sign up for email-based subscriptions.
    pub allowed_to_sign_up_email_based_subscriptions: bool,
    /// SSPR usable.
    pub allowed_to_use_sspr: bool,
    /// Email-verified users may join.
    pub allow_email_verified_users_to_join: bool,
    /// MSOnline PowerShell blocked.
    pub block_msol_powershell: bool,
    /// Security defaults on.
    pub security_defaults_enabled: bool,
    /// Authentication methods and their state.
    pub auth_methods: Vec<AuthMethod>,
    /// Authenticator shows app name and location and requires number matching.
    pub authenticator_context_required: bool,
    /// `policyMigrationState` of the authentication methods policy.
    pub auth_methods_migration_state: &'static str,
    /// Registration campaign (nudge to Authenticator) on.
    pub registration_campaign_enabled: bool,
    /// Admin consent workflow on.
    pub admin_consent_enabled: bool,
    /// Admin consent reviewers (user ids).
    pub admin_consent_reviewers: Vec<String>,
    /// Cross-tenant default trusts MFA/devices and blocks B2B direct connect.
    pub cross_tenant_customized: bool,
    /// SharePoint `sharingCapability`.
    pub sharepoint_sharing_capability: &'static str,
    /// SharePoint `sharingDomainRestrictionMode`.
    pub sharepoint_domain_restriction_mode: &'static str,
    /// SharePoint `sharingAllowedDomainList`.
    pub sharepoint_allowed_domains: Vec<&'static str>,
    /// SharePoint legacy auth protocols allowed.
    pub sharepoint_legacy_auth: bool,
    /// Guests may reshare.
    pub sharepoint_resharing_by_external_users: bool,
    /// Idle session sign-out on.
    pub sharepoint_idle_sign_out: bool,
    /// The OneDrive sync app only runs on domain-joined computers.
    pub sharepoint_sync_restricted: bool,
    /// `allowedDomainGuidsForSyncApp`: the trusted on-premises AD domains.
    pub sharepoint_sync_domain_guids: Vec<String>,
}
