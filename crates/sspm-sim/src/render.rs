//! Graph v1.0 endpoints and the JSON each returns for a [`M365Tenant`].
//!
//! List endpoints render item by item ([`M365Tenant::item`]) so that large tenants
//! can be streamed and an HTTP simulator can page them.

use serde_json::{json, Value};

use crate::catalog::{AuthStrength, BUILT_IN_ROLES, GRAPH_SCOPE_USER_READ, MICROSOFT_GRAPH_APP_ID};
use crate::model::*;
use crate::time;

/// A Graph endpoint the simulator serves; its snapshot key is `graph:` + [`Resource::path`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Resource {
    /// `/v1.0/organization` (a list of one).
    Organization,
    /// `/v1.0/domains`.
    Domains,
    /// `/v1.0/policies/authorizationPolicy`.
    AuthorizationPolicy,
    /// `/v1.0/policies/identitySecurityDefaultsEnforcementPolicy`.
    SecurityDefaults,
    /// `/v1.0/identity/conditionalAccess/policies`.
    ConditionalAccessPolicies,
    /// `/v1.0/identity/conditionalAccess/namedLocations`.
    NamedLocations,
    /// `/v1.0/policies/authenticationMethodsPolicy`.
    AuthenticationMethodsPolicy,
    /// `/v1.0/policies/adminConsentRequestPolicy`.
    AdminConsentRequestPolicy,
    /// `/v1.0/policies/crossTenantAccessPolicy/default`.
    CrossTenantAccessDefault,
    /// `/v1.0/roleManagement/directory/roleDefinitions`.
    RoleDefinitions,
    /// `/v1.0/roleManagement/directory/roleAssignments`.
    RoleAssignments,
    /// `/v1.0/roleManagement/directory/roleEligibilityScheduleInstances` (needs Entra ID P2).
    RoleEligibilityScheduleInstances,
    /// `/v1.0/roleManagement/directory/roleAssignmentScheduleInstances` (needs Entra ID P2).
    RoleAssignmentScheduleInstances,
    /// `/v1.0/policies/roleManagementPolicyAssignments`: the PIM settings of each
    /// directory role (directory scope, policy and rules expanded; needs Entra ID P2).
    RoleManagementPolicyAssignments,
    /// `/v1.0/users` (with `signInActivity`).
    Users,
    /// `/v1.0/reports/authenticationMethods/userRegistrationDetails`.
    UserRegistrationDetails,
    /// `/v1.0/groups`.
    Groups,
    /// `/v1.0/applications`.
    Applications,
    /// `/v1.0/servicePrincipals`.
    ServicePrincipals,
    /// `/v1.0/oauth2PermissionGrants`.
    OAuth2PermissionGrants,
    /// `/v1.0/admin/sharepoint/settings`.
    SharePointSettings,
}

impl Resource {
    /// Every endpoint.
    pub const ALL: [Resource; 21] = [
        Resource::Organization,
        Resource::Domains,
        Resource::AuthorizationPolicy,
        Resource::SecurityDefaults,
        Resource::ConditionalAccessPolicies,
        Resource::NamedLocations,
        Resource::AuthenticationMethodsPolicy,
        Resource::AdminConsentRequestPolicy,
        Resource::CrossTenantAccessDefault,
        Resource::RoleDefinitions,
        Resource::RoleAssignments,
        Resource::RoleEligibilityScheduleInstances,
        Resource::RoleAssignmentScheduleInstances,
        Resource::RoleManagementPolicyAssignments,
        Resource::Users,
        Resource::UserRegistrationDetails,
        Resource::Groups,
        Resource::Applications,
        Resource::ServicePrincipals,
        Resource::OAuth2PermissionGrants,
        Resource::SharePointSettings,
    ];

    /// The request path, e.g. `/v1.0/identity/conditionalAccess/policies`.
    pub fn path(self) -> &'static str {
        match self {
            Resource::Organization => "/v1.0/organization",
            Resource::Domains => "/v1.0/domains",
            Resource::AuthorizationPolicy => "/v1.0/policies/authorizationPolicy",
            Resource::SecurityDefaults => {
                "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy"
            }
            Resource::ConditionalAccessPolicies => "/v1.0/identity/conditionalAccess/policies",
            Resource::NamedLocations => "/v1.0/identity/conditionalAccess/namedLocations",
            Resource::AuthenticationMethodsPolicy => "/v1.0/policies/authenticationMethodsPolicy",
            Resource::AdminConsentRequestPolicy => "/v1.0/policies/adminConsentRequestPolicy",
            Resource::CrossTenantAccessDefault => "/v1.0/policies/crossTenantAccessPolicy/default",
            Resource::RoleDefinitions => "/v1.0/roleManagement/directory/roleDefinitions",
            Resource::RoleAssignments => "/v1.0/roleManagement/directory/roleAssignments",
            Resource::RoleEligibilityScheduleInstances => {
                "/v1.0/roleManagement/directory/roleEligibilityScheduleInstances"
            }
            Resource::RoleAssignmentScheduleInstances => {
                "/v1.0/roleManagement/directory/roleAssignmentScheduleInstances"
            }
            Resource::RoleManagementPolicyAssignments => {
                "/v1.0/policies/roleManagementPolicyAssignments"
            }
            Resource::Users => "/v1.0/users",
            Resource::UserRegistrationDetails => {
                "/v1.0/reports/authenticationMethods/userRegistrationDetails"
            }
            Resource::Groups => "/v1.0/groups",
            Resource::Applications => "/v1.0/applications",
            Resource::ServicePrincipals => "/v1.0/servicePrincipals",
            Resource::OAuth2PermissionGrants => "/v1.0/oauth2PermissionGrants",
            Resource::SharePointSettings => "/v1.0/admin/sharepoint/settings",
        }
    }

    /// The snapshot key: `graph:` + path.
    pub fn key(self) -> String {
        format!("graph:{}", self.path())
    }

    /// The endpoint of a request path (query string ignored), if simulated.
    pub fn from_path(path: &str) -> Option<Resource> {
        let path = path.split('?').next().unwrap_or(path).trim_end_matches('/');
        Resource::ALL
            .into_iter()
            .find(|r| r.path().eq_ignore_ascii_case(path))
    }

    /// Whether the endpoint returns a collection (`value` array, paged).
    pub fn is_list(self) -> bool {
        !matches!(
            self,
            Resource::AuthorizationPolicy
                | Resource::SecurityDefaults
                | Resource::AuthenticationMethodsPolicy
                | Resource::AdminConsentRequestPolicy
                | Resource::CrossTenantAccessDefault
                | Resource::SharePointSettings
        )
    }
}

fn ts(t: i64) -> Value {
    Value::String(time::format(t))
}

fn opt_ts(t: Option<i64>) -> Value {
    t.map_or(Value::Null, ts)
}

fn strs<S: AsRef<str>>(items: &[S]) -> Value {
    Value::Array(
        items
            .iter()
            .map(|s| Value::String(s.as_ref().to_string()))
            .collect(),
    )
}

impl M365Tenant {
    /// Number of items of a list endpoint; `None` for object endpoints.
    pub fn len(&self, r: Resource) -> Option<usize> {
        Some(match r {
            Resource::Organization => 1,
            Resource::Domains => self.domains.len(),
            Resource::ConditionalAccessPolicies => self.ca_policies.len(),
            Resource::NamedLocations => self.named_locations.len(),
            Resource::RoleDefinitions => BUILT_IN_ROLES.len(),
            Resource::RoleAssignments | Resource::RoleAssignmentScheduleInstances => {
                self.role_assignments.len()
            }
            Resource::RoleEligibilityScheduleInstances => self.role_eligibilities.len(),
            Resource::RoleManagementPolicyAssignments => self.role_policies.len(),
            Resource::Users | Resource::UserRegistrationDetails => self.users.len(),
            Resource::Groups => self.groups.len(),
            Resource::Applications => self.applications.len(),
            Resource::ServicePrincipals => self.service_principals.len(),
            Resource::OAuth2PermissionGrants => self.oauth2_grants.len(),
            _ => return None,
        })
    }

    /// Item `i` of a list endpoint as Graph returns it; `None` past the end or for objects.
    pub fn item(&self, r: Resource, i: usize) -> Option<Value> {
        Some(match r {
            Resource::Organization => (i == 0).then(|| self.organization_json())?,
            Resource::Domains => domain_json(self.domains.get(i)?),
            Resource::ConditionalAccessPolicies => ca_json(self.ca_policies.get(i)?),
            Resource::NamedLocations => location_json(self.named_locations.get(i)?),
            Resource::RoleDefinitions => role_definition_json(BUILT_IN_ROLES.get(i)?),
            Resource::RoleAssignments => assignment_json(self.role_assignments.get(i)?),
            Resource::RoleAssignmentScheduleInstances => {
                assignment_instance_json(self.role_assignments.get(i)?)
            }
            Resource::RoleEligibilityScheduleInstances => {
                eligibility_json(self.role_eligibilities.get(i)?)
            }
            Resource::RoleManagementPolicyAssignments => {
                self.policy_assignment_json(self.role_policies.get(i)?)
            }
            Resource::Users => user_json(self.users.get(i)?),
            Resource::UserRegistrationDetails => self.registration_json(self.users.get(i)?),
            Resource::Groups => self.group_json(self.groups.get(i)?),
            Resource::Applications => application_json(self.applications.get(i)?),
            Resource::ServicePrincipals => service_principal_json(self.service_principals.get(i)?),
            Resource::OAuth2PermissionGrants => grant_json(self.oauth2_grants.get(i)?),
            _ => return None,
        })
    }

    /// The object of an object endpoint; `None` for list endpoints.
    pub fn object(&self, r: Resource) -> Option<Value> {
        Some(match r {
            Resource::AuthorizationPolicy => self.authorization_policy_json(),
            Resource::SecurityDefaults => json!({
                "id": "00000000-0000-0000-0000-000000000005",
                "displayName": "Security Defaults",
                "description": "Security defaults is a set of basic identity security mechanisms recommended by Microsoft. When enabled, these recommendations will be automatically enforced in your organization. Administrators and users will be better protected from common identity related attacks.",
                "isEnabled": self.settings.security_defaults_enabled,
            }),
            Resource::AuthenticationMethodsPolicy => self.auth_methods_json(),
            Resource::AdminConsentRequestPolicy => self.admin_consent_json(),
            Resource::CrossTenantAccessDefault => self.cross_tenant_json(),
            Resource::SharePointSettings => self.sharepoint_json(),
            _ => return None,
        })
    }

    /// The whole response of an endpoint: a JSON array of all items, or the object.
    pub fn render(&self, r: Resource) -> Value {
        match self.len(r) {
            Some(n) => Value::Array((0..n).filter_map(|i| self.item(r, i)).collect()),
            None => self.object(r).unwrap_or(Value::Null),
        }
    }

    fn default_domain(&self) -> &str {
        self.domains
            .iter()
            .find(|d| d.is_default)
            .map_or(self.tenant_domain.as_str(), |d| d.name.as_str())
    }

    fn organization_json(&self) -> Value {
        let o = &self.organization;
        let verified: Vec<Value> = self
            .domains
            .iter()
            .filter(|d| d.is_verified)
            .map(|d| {
                json!({
                    "capabilities": d.supported_services.join(", "),
                    "isDefault": d.is_default,
                    "isInitial": d.is_initial,
                    "name": d.name,
                    "type": d.authentication_type,
                })
            })
            .collect();
        let plans: Vec<Value> = o
            .assigned_plans
            .iter()
            .map(|(service, id)| {
                json!({
                    "assignedDateTime": ts(o.created + 30 * time::DAY),
                    "capabilityStatus": "Enabled",
                    "service": service,
                    "servicePlanId": id,
                })
            })
            .collect();
        json!({
            "id": self.tenant_id,
            "deletedDateTime": null,
            "businessPhones": ["+1 425 555 0100"],
            "city": "Redmond",
            "country": null,
            "countryLetterCode": "US",
            "createdDateTime": ts(o.created),
            "displayName": o.display_name,
            "marketingNotificationEmails": [],
            "onPremisesLastSyncDateTime": opt_ts(o.on_premises_last_sync),
            "onPremisesSyncEnabled": o.on_premises_sync_enabled.then_some(true),
            "postalCode": "98052",
            "preferredLanguage": "en",
            "privacyProfile": null,
            "securityComplianceNotificationMails": [],
            "securityComplianceNotificationPhones": [],
            "state": "WA",
            "street": "1 Example Way",
            "technicalNotificationMails": o.technical_notification_mails,
            "tenantType": "AAD",
            "directorySizeQuota": { "used": self.users.len() + self.groups.len() + self.service_principals.len(), "total": 300000 },
            "assignedPlans": plans,
            "verifiedDomains": verified,
        })
    }

    fn registration_json(&self, u: &User) -> Value {
        let m = &u.registration.methods;
        let has = |x: &str| m.contains(&x);
        let strong = [
            "microsoftAuthenticatorPush",
            "microsoftAuthenticatorPasswordless",
            "softwareOneTimePasscode",
            "hardwareOneTimePasscode",
            "mobilePhone",
            "alternateMobilePhone",
            "officePhone",
            "fido2",
            "windowsHelloForBusiness",
        ];
        let mfa_registered = m.iter().any(|x| strong.contains(x));
        let allowed = |method: &str| {
            let policy_id = match method {
                "mobilePhone" | "alternateMobilePhone" | "officePhone" => {
                    if self.method_enabled("Sms") || self.method_enabled("Voice") {
                        return true;
                    }
                    return false;
                }
                "microsoftAuthenticatorPush" | "microsoftAuthenticatorPasswordless" => {
                    "MicrosoftAuthenticator"
                }
                "softwareOneTimePasscode" => "SoftwareOath",
                "fido2" => "Fido2",
                _ => return true,
            };
            self.method_enabled(policy_id)
        };
        let mfa_capable = m.iter().any(|x| strong.contains(x) && allowed(x));
        let passwordless = [
            "fido2",
            "windowsHelloForBusiness",
            "microsoftAuthenticatorPasswordless",
        ]
        .iter()
        .any(|x| has(x) && allowed(x));
        let sspr_registered = !m.is_empty();
        let system: Vec<&str> = if has("microsoftAuthenticatorPush") {
            vec!["push"]
        } else if has("softwareOneTimePasscode") {
            vec!["oath"]
        } else if has("mobilePhone") {
            vec!["sms"]
        } else {
            Vec::new()
        };
        let preferred = if has("microsoftAuthenticatorPush") {
            "push"
        } else if has("mobilePhone") {
            if has("email") {
                "voiceMobile"
            } else {
                "sms"
            }
        } else if has("softwareOneTimePasscode") {
            "oath"
        } else {
            "none"
        };
        json!({
            "id": u.id,
            "userPrincipalName": u.user_principal_name,
            "userDisplayName": u.display_name,
            "userType": if u.guest { "guest" } else { "member" },
            "isAdmin": u.registration.is_admin,
            "isSsprRegistered": sspr_registered,
            "isSsprEnabled": u.registration.sspr_enabled,
            "isSsprCapable": sspr_registered && u.registration.sspr_enabled,
            "isMfaRegistered": mfa_registered,
            "isMfaCapable": mfa_capable,
            "isPasswordlessCapable": passwordless,
            "lastUpdatedDateTime": ts(u.registration.last_updated),
            "methodsRegistered": strs(m),
            "isSystemPreferredAuthenticationMethodEnabled": true,
            "systemPreferredAuthenticationMethods": strs(&system),
            "userPreferredMethodForSecondaryAuthentication": preferred,
        })
    }

    fn method_enabled(&self, id: &str) -> bool {
        self.settings
            .auth_methods
            .iter()
            .any(|m| m.id == id && m.enabled)
    }

    fn group_json(&self, g: &Group) -> Value {
        let (mail_enabled, security_enabled, types): (bool, bool, &[&str]) = match g.kind {
            GroupKind::Unified => (true, false, &["Unified"]),
            GroupKind::Security => (false, true, &[]),
            GroupKind::DynamicSecurity => (false, true, &["DynamicMembership"]),
            GroupKind::Distribution => (true, false, &[]),
            GroupKind::MailEnabledSecurity => (true, true, &[]),
        };
        let mail = mail_enabled.then(|| {
            format!(
                "{}@{}",
                g.mail_nickname.to_ascii_lowercase(),
                self.default_domain()
            )
        });
        json!({
            "id": g.id,
            "createdDateTime": ts(g.created),
            "description": g.description,
            "displayName": g.display_name,
            "groupTypes": strs(types),
            "isAssignableToRole": g.is_assignable_to_role.then_some(true),
            "mail": mail,
            "mailEnabled": mail_enabled,
            "mailNickname": g.mail_nickname,
            "membershipRule": g.membership_rule,
            "membershipRuleProcessingState": g.membership_rule.as_ref().map(|_| "On"),
            "onPremisesSyncEnabled": g.on_premises_sync_enabled.then_some(true),
            "securityEnabled": security_enabled,
            "visibility": g.visibility,
        })
    }

    fn authorization_policy_json(&self) -> Value {
        let s = &self.settings;
        json!({
            "id": "authorizationPolicy",
            "displayName": "Authorization Policy",
            "description": "Used to manage authorization related settings across the company.",
            "allowInvitesFrom": s.allow_invites_from,
            "allowedToSignUpEmailBasedSubscriptions": s.allowed_to_sign_up_email_based_subscriptions,
            "allowedToUseSSPR": s.allowed_to_use_sspr,
            "allowEmailVerifiedUsersToJoinOrganization": s.allow_email_verified_users_to_join,
            "blockMsolPowerShell": s.block_msol_powershell,
            "guestUserRoleId": s.guest_user_role_id,
            "defaultUserRolePermissions": {
                "allowedToCreateApps": s.allowed_to_create_apps,
                "allowedToCreateSecurityGroups": s.allowed_to_create_security_groups,
                "allowedToCreateTenants": s.allowed_to_create_tenants,
                "allowedToReadBitlockerKeysForOwnedDevice": s.allowed_to_read_bitlocker_keys,
                "allowedToReadOtherUsers": s.allowed_to_read_other_users,
                "permissionGrantPoliciesAssigned": strs(&s.permission_grant_policies_assigned),
            },
        })
    }

    fn auth_methods_json(&self) -> Value {
        let s = &self.settings;
        let all_users = |extra: Value| {
            let mut t = json!({ "targetType": "group", "id": "all_users", "isRegistrationRequired": false });
            if let (Some(obj), Value::Object(more)) = (t.as_object_mut(), extra) {
                obj.extend(more);
            }
            json!([t])
        };
        let feature = |on: bool| {
            json!({
                "state": if on { "enabled" } else { "default" },
                "includeTarget": { "targetType": "group", "id": "all_users" },
                "excludeTarget": { "targetType": "group", "id": "00000000-0000-0000-0000-000000000000" },
            })
        };
        let configs: Vec<Value> = s
            .auth_methods
            .iter()
            .map(|m| {
                let state = if m.enabled { "enabled" } else { "disabled" };
                match m.id {
                    "Fido2" => json!({
                        "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
                        "id": "Fido2",
                        "state": state,
                        "isSelfServiceRegistrationAllowed": true,
                        "isAttestationEnforced": m.enabled,
                        "keyRestrictions": { "isEnforced": false, "enforcementType": "block", "aaGuids": [] },
                        "includeTargets": all_users(json!({})),
                        "excludeTargets": [],
                    }),
                    "MicrosoftAuthenticator" => json!({
                        "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
                        "id": "MicrosoftAuthenticator",
                        "state": state,
                        "isSoftwareOathEnabled": false,
                        "featureSettings": {
                            "displayAppInformationRequiredState": feature(s.authenticator_context_required),
                            "displayLocationInformationRequiredState": feature(s.authenticator_context_required),
                        },
                        "includeTargets": all_users(json!({ "authenticationMode": "any" })),
                        "excludeTargets": [],
                    }),
                    "Sms" => json!({
                        "@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration",
                        "id": "Sms",
                        "state": state,
                        "includeTargets": all_users(json!({ "isUsableForSignIn": m.enabled })),
                        "excludeTargets": [],
                    }),
                    "TemporaryAccessPass" => json!({
                        "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration",
                        "id": "TemporaryAccessPass",
                        "state": state,
                        "defaultLifetimeInMinutes": 60,
                        "defaultLength": 8,
                        "minimumLifetimeInMinutes": 60,
                        "maximumLifetimeInMinutes": 480,
                        "isUsableOnce": m.enabled,
                        "includeTargets": all_users(json!({})),
                        "excludeTargets": [],
                    }),
                    "SoftwareOath" => json!({
                        "@odata.type": "#microsoft.graph.softwareOathAuthenticationMethodConfiguration",
                        "id": "SoftwareOath",
                        "state": state,
                        "includeTargets": all_users(json!({})),
                        "excludeTargets": [],
                    }),
                    "Voice" => json!({
                        "@odata.type": "#microsoft.graph.voiceAuthenticationMethodConfiguration",
                        "id": "Voice",
                        "state": state,
                        "isOfficePhoneAllowed": m.enabled,
                        "includeTargets": all_users(json!({})),
                        "excludeTargets": [],
                    }),
                    "Email" => json!({
                        "@odata.type": "#microsoft.graph.emailAuthenticationMethodConfiguration",
                        "id": "Email",
                        "state": state,
                        "allowExternalIdToUseEmailOtp": if m.enabled { "default" } else { "disabled" },
                        "includeTargets": if m.enabled { all_users(json!({})) } else { json!([]) },
                        "excludeTargets": [],
                    }),
                    _ => json!({
                        "@odata.type": "#microsoft.graph.x509CertificateAuthenticationMethodConfiguration",
                        "id": m.id,
                        "state": state,
                        "certificateUserBindings": [
                            { "x509CertificateField": "PrincipalName", "userProperty": "onPremisesUserPrincipalName", "priority": 1 },
                            { "x509CertificateField": "RFC822Name", "userProperty": "userPrincipalName", "priority": 2 },
                        ],
                        "authenticationModeConfiguration": {
                            "x509CertificateAuthenticationDefaultMode": "x509CertificateSingleFactor",
                            "rules": [],
                        },
                        "includeTargets": all_users(json!({})),
                        "excludeTargets": [],
                    }),
                }
            })
            .collect();
        json!({
            "id": "authenticationMethodsPolicy",
            "displayName": "Authentication Methods Policy",
            "description": "The tenant-wide policy that controls which authentication methods are allowed in the tenant, authentication method registration requirements, and self-service password reset settings",
            "lastModifiedDateTime": ts(self.now - 41 * time::DAY),
            "policyVersion": "1.5",
            "policyMigrationState": s.auth_methods_migration_state,
            "registrationEnforcement": {
                "authenticationMethodsRegistrationCampaign": {
                    "snoozeDurationInDays": 1,
                    "enforceRegistrationAfterAllowedSnoozes": true,
                    "state": if s.registration_campaign_enabled { "enabled" } else { "default" },
                    "excludeTargets": [],
                    "includeTargets": [
                        { "id": "all_users", "targetType": "group", "targetedAuthenticationMethod": "microsoftAuthenticator" }
                    ],
                },
            },
            "authenticationMethodConfigurations": configs,
        })
    }

    fn admin_consent_json(&self) -> Value {
        let s = &self.settings;
        let reviewers: Vec<Value> = s
            .admin_consent_reviewers
            .iter()
            .map(|id| json!({ "query": format!("/users/{id}"), "queryType": "MicrosoftGraph", "queryRoot": null }))
            .collect();
        json!({
            "isEnabled": s.admin_consent_enabled,
            "notifyReviewers": s.admin_consent_enabled,
            "remindersEnabled": s.admin_consent_enabled,
            "requestDurationInDays": if s.admin_consent_enabled { 30 } else { 0 },
            "version": if s.admin_consent_enabled { 2 } else { 0 },
            "reviewers": reviewers,
        })
    }

    fn cross_tenant_json(&self) -> Value {
        let custom = self.settings.cross_tenant_customized;
        let access = |allowed: bool| {
            let t = if allowed { "allowed" } else { "blocked" };
            json!({
                "usersAndGroups": { "accessType": t, "targets": [{ "target": "AllUsers", "targetType": "user" }] },
                "applications": { "accessType": t, "targets": [{ "target": "AllApplications", "targetType": "application" }] },
            })
        };
        json!({
            "isServiceDefault": !custom,
            "inboundTrust": {
                "isMfaAccepted": custom,
                "isCompliantDeviceAccepted": custom,
                "isHybridAzureADJoinedDeviceAccepted": custom,
            },
            "automaticUserConsentSettings": { "inboundAllowed": false, "outboundAllowed": false },
            "b2bCollaborationOutbound": access(true),
            "b2bCollaborationInbound": access(true),
            "b2bDirectConnectOutbound": access(false),
            "b2bDirectConnectInbound": access(false),
        })
    }

    fn sharepoint_json(&self) -> Value {
        let s = &self.settings;
        json!({
            "allowedDomainGuidsForSyncApp": strs(&s.sharepoint_sync_domain_guids),
            "availableManagedPathsForSiteCreation": ["/sites/", "/teams/"],
            "deletedUserPersonalSiteRetentionPeriodInDays": if s.sharepoint_idle_sign_out { 365 } else { 30 },
            "excludedFileExtensionsForSyncApp": [],
            "idleSessionSignOut": {
                "isEnabled": s.sharepoint_idle_sign_out,
                "warnAfterInSeconds": if s.sharepoint_idle_sign_out { 2700 } else { 0 },
                "signOutAfterInSeconds": if s.sharepoint_idle_sign_out { 3600 } else { 0 },
            },
            "imageTaggingOption": "basic",
            "isCommentingOnSitePagesEnabled": true,
            "isFileActivityNotificationEnabled": true,
            "isLegacyAuthProtocolsEnabled": s.sharepoint_legacy_auth,
            "isLoopEnabled": true,
            "isMacSyncAppEnabled": true,
            "isRequireAcceptingUserToMatchInvitedUserEnabled": !s.sharepoint_resharing_by_external_users,
            "isResharingByExternalUsersEnabled": s.sharepoint_resharing_by_external_users,
            "isSharePointMobileNotificationEnabled": true,
            "isSharePointNewsfeedEnabled": false,
            "isSiteCreationEnabled": !s.sharepoint_idle_sign_out,
            "isSiteCreationUIEnabled": !s.sharepoint_idle_sign_out,
            "isSitePagesCreationEnabled": true,
            "isSitesStorageLimitAutomatic": true,
            "isSyncButtonHiddenOnPersonalSite": false,
            "isUnmanagedSyncAppForTenantRestricted": s.sharepoint_sync_restricted,
            "personalSiteDefaultStorageLimitInMB": 1_048_576,
            "sharingAllowedDomainList": strs(&s.sharepoint_allowed_domains),
            "sharingBlockedDomainList": [],
            "sharingCapability": s.sharepoint_sharing_capability,
            "sharingDomainRestrictionMode": s.sharepoint_domain_restriction_mode,
            "siteCreationDefaultManagedPath": "/sites/",
            "siteCreationDefaultStorageLimitInMB": 26_214_400,
            "tenantDefaultTimezone": "(UTC-08:00) Pacific Time (US and Canada)",
        })
    }
}

fn domain_json(d: &Domain) -> Value {
    json!({
        "authenticationType": d.authentication_type,
        "availabilityStatus": null,
        "id": d.name,
        "isAdminManaged": true,
        "isDefault": d.is_default,
        "isInitial": d.is_initial,
        "isRoot": true,
        "isVerified": d.is_verified,
        "passwordNotificationWindowInDays": d.password_notification_days,
        "passwordValidityPeriodInDays": d.password_validity_days,
        "supportedServices": strs(&d.supported_services),
        "state": null,
    })
}

/// The properties sspm's Microsoft 365 connector asks Graph for on `/users` (`$select`):
/// what the checks read, and nothing else, since `/users` is the largest list of a tenant.
/// A collected snapshot holds exactly these, so the generated one does too.
pub const USER_SELECT: &[&str] = &[
    "id",
    "displayName",
    "userPrincipalName",
    "userType",
    "accountEnabled",
    "createdDateTime",
    "onPremisesSyncEnabled",
    "assignedLicenses",
    "signInActivity",
];

/// The properties sspm's Microsoft 365 connector asks Graph for on `/groups` (`$select`).
/// Snapshots hold exactly these; the server returns every property unless asked.
pub const GROUP_SELECT: &[&str] = &[
    "id",
    "displayName",
    "description",
    "createdDateTime",
    "groupTypes",
    "mailEnabled",
    "securityEnabled",
    "isAssignableToRole",
    "visibility",
    "membershipRule",
    "membershipRuleProcessingState",
    "onPremisesSyncEnabled",
];

impl M365Tenant {
    /// Item `i` of a list endpoint as a collection stores it: with the connector's
    /// `$select` applied where it sends one (`/groups`).
    pub fn snapshot_item(&self, r: Resource, i: usize) -> Option<Value> {
        let item = self.item(r, i)?;
        Some(match (r, item) {
            (Resource::Groups, Value::Object(map)) => Value::Object(
                map.into_iter()
                    .filter(|(k, _)| GROUP_SELECT.contains(&k.as_str()))
                    .collect(),
            ),
            (_, item) => item,
        })
    }
}

/// A user as `GET /users?$select=` [`USER_SELECT`] returns it.
fn user_json(u: &User) -> Value {
    let licenses: Vec<Value> = u
        .licenses
        .iter()
        .map(|sku| json!({ "disabledPlans": [], "skuId": sku }))
        .collect();
    let sign_in = u.sign_in.as_ref().map(|s| {
        json!({
            "lastSignInDateTime": ts(s.last_sign_in),
            "lastNonInteractiveSignInDateTime": ts(s.last_non_interactive),
            "lastSuccessfulSignInDateTime": ts(s.last_successful),
        })
    });
    json!({
        "id": u.id,
        "accountEnabled": u.account_enabled,
        "createdDateTime": ts(u.created),
        "displayName": u.display_name,
        "userPrincipalName": u.user_principal_name,
        "userType": if u.guest { "Guest" } else { "Member" },
        "onPremisesSyncEnabled": u.on_premises_sync_enabled.then_some(true),
        "assignedLicenses": licenses,
        "signInActivity": sign_in,
    })
}

fn strength_json(s: &AuthStrength) -> Value {
    json!({
        "id": s.id,
        "createdDateTime": "2021-12-01T00:00:00Z",
        "modifiedDateTime": "2021-12-01T00:00:00Z",
        "displayName": s.name,
        "description": s.description,
        "policyType": "builtIn",
        "requirementsSatisfied": "mfa",
        "allowedCombinations": strs(s.combinations),
    })
}

fn ca_json(p: &CaPolicy) -> Value {
    let guests = json!({
        "guestOrExternalUserTypes": "internalGuest,b2bCollaborationGuest,b2bCollaborationMember,b2bDirectConnectUser,otherExternalUser,serviceProvider",
        "externalTenants": { "@odata.type": "#microsoft.graph.conditionalAccessAllExternalTenants", "membershipKind": "all" },
    });
    let grant = p.grant.as_ref().map(|g| {
        json!({
            "operator": g.operator,
            "builtInControls": strs(&g.built_in_controls),
            "customAuthenticationFactors": [],
            "termsOfUse": [],
            "authenticationStrength": g.authentication_strength.map(strength_json),
        })
    });
    let session = p.session.as_ref().map(|s| {
        json!({
            "disableResilienceDefaults": null,
            "applicationEnforcedRestrictions": s.application_enforced_restrictions.then(|| json!({ "isEnabled": true })),
            "cloudAppSecurity": null,
            "persistentBrowser": s.persistent_browser_never.then(|| json!({ "mode": "never", "isEnabled": true })),
            "signInFrequency": s.sign_in_frequency_hours.map(|h| json!({
                "value": h,
                "type": "hours",
                "authenticationType": "primaryAndSecondaryAuthentication",
                "frequencyInterval": "timeBased",
                "isEnabled": true,
            })),
        })
    });
    json!({
        "id": p.id,
        "templateId": null,
        "displayName": p.display_name,
        "createdDateTime": ts(p.created),
        "modifiedDateTime": opt_ts(p.modified),
        "state": p.state,
        "sessionControls": session,
        "conditions": {
            "userRiskLevels": strs(&p.user_risk_levels),
            "signInRiskLevels": strs(&p.sign_in_risk_levels),
            "clientAppTypes": strs(&p.client_app_types),
            "servicePrincipalRiskLevels": [],
            "platforms": p.platforms.as_ref().map(|(inc, exc)| json!({ "includePlatforms": strs(inc), "excludePlatforms": strs(exc) })),
            "locations": p.locations.as_ref().map(|(inc, exc)| json!({ "includeLocations": strs(inc), "excludeLocations": strs(exc) })),
            "devices": null,
            "clientApplications": null,
            "authenticationFlows": p.transfer_methods.map(|t| json!({ "transferMethods": t })),
            "applications": {
                "includeApplications": strs(&p.include_applications),
                "excludeApplications": strs(&p.exclude_applications),
                "includeUserActions": strs(&p.include_user_actions),
                "includeAuthenticationContextClassReferences": [],
                "applicationFilter": null,
            },
            "users": {
                "includeUsers": strs(&p.include_users),
                "excludeUsers": strs(&p.exclude_users),
                "includeGroups": strs(&p.include_groups),
                "excludeGroups": strs(&p.exclude_groups),
                "includeRoles": strs(&p.include_roles),
                "excludeRoles": strs(&p.exclude_roles),
                "includeGuestsOrExternalUsers": p.include_guests_or_external_users.then_some(guests),
                "excludeGuestsOrExternalUsers": null,
            },
        },
        "grantControls": grant,
    })
}

fn location_json(l: &NamedLocation) -> Value {
    match l {
        NamedLocation::Ip {
            id,
            display_name,
            created,
            is_trusted,
            ranges,
        } => json!({
            "@odata.type": "#microsoft.graph.ipNamedLocation",
            "id": id,
            "displayName": display_name,
            "modifiedDateTime": ts(*created),
            "createdDateTime": ts(*created),
            "isTrusted": is_trusted,
            "ipRanges": ranges.iter().map(|r| json!({ "@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": r })).collect::<Vec<_>>(),
        }),
        NamedLocation::Country {
            id,
            display_name,
            created,
            countries,
            include_unknown,
        } => json!({
            "@odata.type": "#microsoft.graph.countryNamedLocation",
            "id": id,
            "displayName": display_name,
            "modifiedDateTime": ts(*created),
            "createdDateTime": ts(*created),
            "countriesAndRegions": strs(countries),
            "includeUnknownCountriesAndRegions": include_unknown,
            "countryLookupMethod": "clientIpAddress",
        }),
    }
}

fn role_definition_json(r: &crate::catalog::BuiltInRole) -> Value {
    json!({
        "id": r.template_id,
        "description": r.description,
        "displayName": r.name,
        "isBuiltIn": true,
        "isEnabled": true,
        "resourceScopes": ["/"],
        "templateId": r.template_id,
        "version": "1",
        "rolePermissions": [{ "allowedResourceActions": strs(r.actions), "condition": null }],
    })
}

fn assignment_json(a: &RoleAssignment) -> Value {
    json!({
        "id": a.id,
        "principalId": a.principal_id,
        "roleDefinitionId": a.role_definition_id,
        "directoryScopeId": "/",
    })
}

fn assignment_instance_json(a: &RoleAssignment) -> Value {
    json!({
        "id": a.id,
        "principalId": a.principal_id,
        "roleDefinitionId": a.role_definition_id,
        "directoryScopeId": "/",
        "appScopeId": null,
        // PIM shows no start time for assignments made outside it.
        "startDateTime": if a.outside_pim { Value::Null } else { ts(a.start) },
        "endDateTime": opt_ts(a.end),
        "assignmentType": match a.assignment_type {
            AssignmentType::Assigned => "Assigned",
            AssignmentType::Activated => "Activated",
        },
        "memberType": "Direct",
        "roleAssignmentOriginId": a.id,
        "roleAssignmentScheduleId": a.schedule_id,
    })
}

fn eligibility_json(e: &RoleEligibility) -> Value {
    json!({
        "id": e.id,
        "principalId": e.principal_id,
        "roleDefinitionId": e.role_definition_id,
        "directoryScopeId": "/",
        "appScopeId": null,
        "startDateTime": ts(e.start),
        "endDateTime": opt_ts(e.end),
        "memberType": "Direct",
        "roleEligibilityScheduleId": e.schedule_id,
    })
}

fn password_credentials(creds: &[Credential]) -> Value {
    Value::Array(
        creds
            .iter()
            .map(|c| {
                json!({
                    "customKeyIdentifier": null,
                    "displayName": c.display_name,
                    "endDateTime": ts(c.end),
                    "hint": c.hint,
                    "keyId": c.key_id,
                    "secretText": null,
                    "startDateTime": ts(c.start),
                })
            })
            .collect(),
    )
}

fn key_credentials(creds: &[Credential]) -> Value {
    Value::Array(
        creds
            .iter()
            .map(|c| {
                json!({
                    "customKeyIdentifier": c.thumbprint,
                    "displayName": c.display_name,
                    "endDateTime": ts(c.end),
                    "key": null,
                    "keyId": c.key_id,
                    "startDateTime": ts(c.start),
                    "type": "AsymmetricX509Cert",
                    "usage": "Verify",
                })
            })
            .collect(),
    )
}

fn application_json(a: &Application) -> Value {
    let mut access = vec![json!({ "id": GRAPH_SCOPE_USER_READ, "type": "Scope" })];
    access.extend(
        a.graph_app_roles
            .iter()
            .map(|(_, id)| json!({ "id": id, "type": "Role" })),
    );
    json!({
        "id": a.id,
        "appId": a.app_id,
        "displayName": a.display_name,
        "createdDateTime": ts(a.created),
        "description": null,
        "identifierUris": [],
        "publisherDomain": a.publisher_domain,
        "signInAudience": a.sign_in_audience,
        "tags": [],
        "verifiedPublisher": { "displayName": null, "verifiedPublisherId": null, "addedDateTime": null },
        "keyCredentials": key_credentials(&a.key_credentials),
        "passwordCredentials": password_credentials(&a.password_credentials),
        "requiredResourceAccess": [{ "resourceAppId": MICROSOFT_GRAPH_APP_ID, "resourceAccess": access }],
        "web": {
            "homePageUrl": null,
            "logoutUrl": null,
            "redirectUris": strs(&a.redirect_uris),
            "implicitGrantSettings": { "enableAccessTokenIssuance": false, "enableIdTokenIssuance": false },
        },
    })
}

fn service_principal_json(s: &ServicePrincipal) -> Value {
    let verified = match &s.verified_publisher {
        Some((name, id, added)) => {
            json!({ "displayName": name, "verifiedPublisherId": id, "addedDateTime": ts(*added) })
        }
        None => json!({ "displayName": null, "verifiedPublisherId": null, "addedDateTime": null }),
    };
    let mut names = vec![Value::String(s.app_id.clone())];
    if s.kind == SpKind::ManagedIdentity {
        if let Some(resource) = s.alternative_names.get(1) {
            names.push(Value::String(format!(
                "https://identity.azure.net/{}",
                resource.rsplit('/').next().unwrap_or("")
            )));
        }
    }
    json!({
        "id": s.id,
        "accountEnabled": s.account_enabled,
        "alternativeNames": strs(&s.alternative_names),
        "appDisplayName": s.display_name,
        "appDescription": null,
        "appId": s.app_id,
        "appOwnerOrganizationId": s.app_owner_organization_id,
        "appRoleAssignmentRequired": s.app_role_assignment_required,
        "description": null,
        "displayName": s.display_name,
        "homepage": s.homepage,
        "loginUrl": null,
        "logoutUrl": null,
        "notificationEmailAddresses": [],
        "preferredSingleSignOnMode": s.preferred_single_sign_on_mode,
        "publisherName": s.publisher_name,
        "replyUrls": strs(&s.reply_urls),
        "servicePrincipalNames": names,
        "servicePrincipalType": s.service_principal_type,
        "signInAudience": s.sign_in_audience,
        "tags": strs(&s.tags),
        "verifiedPublisher": verified,
        "keyCredentials": key_credentials(&s.key_credentials),
        "passwordCredentials": password_credentials(&s.password_credentials),
    })
}

fn grant_json(g: &OAuth2Grant) -> Value {
    json!({
        "clientId": g.client_id,
        "consentType": if g.principal_id.is_some() { "Principal" } else { "AllPrincipals" },
        "id": g.id,
        "principalId": g.principal_id,
        "resourceId": g.resource_id,
        "scope": g.scope,
    })
}
