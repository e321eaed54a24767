//! Tenant-wide settings (authorization, authentication methods, consent, SharePoint):
//! weak, hardened, or drawn setting by setting for a mixed tenant.

use super::*;

fn settings_of(strong: bool, reviewers: Vec<String>, sync_domain: String) -> Settings {
    let method = |id, enabled| AuthMethod { id, enabled };
    let owned_resource = [
        "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-chat",
        "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team",
    ];
    match strong {
        false => Settings {
            allow_invites_from: "everyone",
            guest_user_role_id: GUEST_ROLE_MEMBER_LIKE,
            allowed_to_create_apps: true,
            allowed_to_create_security_groups: true,
            allowed_to_create_tenants: true,
            allowed_to_read_bitlocker_keys: true,
            allowed_to_read_other_users: true,
            permission_grant_policies_assigned: std::iter::once(
                "ManagePermissionGrantsForSelf.microsoft-user-default-legacy",
            )
            .chain(owned_resource)
            .collect(),
            allowed_to_sign_up_email_based_subscriptions: true,
            allowed_to_use_sspr: true,
            allow_email_verified_users_to_join: true,
            block_msol_powershell: false,
            security_defaults_enabled: false,
            auth_methods: vec![
                method("Fido2", false),
                method("MicrosoftAuthenticator", true),
                method("Sms", true),
                method("TemporaryAccessPass", false),
                method("SoftwareOath", true),
                method("Voice", true),
                method("Email", true),
                method("X509Certificate", false),
            ],
            authenticator_context_required: false,
            auth_methods_migration_state: "preMigration",
            registration_campaign_enabled: false,
            admin_consent_enabled: false,
            admin_consent_reviewers: Vec::new(),
            cross_tenant_customized: false,
            sharepoint_sharing_capability: "externalUserAndGuestSharing",
            sharepoint_domain_restriction_mode: "none",
            sharepoint_allowed_domains: Vec::new(),
            sharepoint_legacy_auth: true,
            sharepoint_resharing_by_external_users: true,
            sharepoint_idle_sign_out: false,
            sharepoint_sync_restricted: false,
            sharepoint_sync_domain_guids: Vec::new(),
        },
        true => Settings {
            allow_invites_from: "adminsAndGuestInviters",
            guest_user_role_id: GUEST_ROLE_RESTRICTED,
            allowed_to_create_apps: false,
            allowed_to_create_security_groups: false,
            allowed_to_create_tenants: false,
            allowed_to_read_bitlocker_keys: false,
            allowed_to_read_other_users: true,
            permission_grant_policies_assigned: owned_resource.to_vec(),
            allowed_to_sign_up_email_based_subscriptions: false,
            allowed_to_use_sspr: true,
            allow_email_verified_users_to_join: false,
            block_msol_powershell: true,
            security_defaults_enabled: false,
            auth_methods: vec![
                method("Fido2", true),
                method("MicrosoftAuthenticator", true),
                method("Sms", false),
                method("TemporaryAccessPass", true),
                method("SoftwareOath", true),
                method("Voice", false),
                method("Email", false),
                method("X509Certificate", false),
            ],
            authenticator_context_required: true,
            auth_methods_migration_state: "migrationComplete",
            registration_campaign_enabled: true,
            admin_consent_enabled: true,
            admin_consent_reviewers: reviewers,
            cross_tenant_customized: true,
            sharepoint_sharing_capability: "existingExternalUserSharingOnly",
            sharepoint_domain_restriction_mode: "allowList",
            sharepoint_allowed_domains: vec!["northwindtraders.com", "adventure-works.com"],
            sharepoint_legacy_auth: false,
            sharepoint_resharing_by_external_users: false,
            sharepoint_idle_sign_out: true,
            sharepoint_sync_restricted: true,
            sharepoint_sync_domain_guids: vec![sync_domain],
        },
    }
}

/// The tenant-wide settings: weak or hardened, or for a mixed tenant each setting (or
/// group of settings that go together) drawn from one or the other.
pub(super) fn settings(spec: &M365Spec, reviewers: Vec<String>, sync_domain: String) -> Settings {
    let w = settings_of(false, Vec::new(), sync_domain.clone());
    let h = settings_of(true, reviewers, sync_domain);
    match spec.posture {
        Posture::Weak => return w,
        Posture::Hardened => return h,
        Posture::Mixed => {}
    }
    let s = |area: &str| strong(spec, &format!("settings:{area}"));
    macro_rules! pick {
        ($area:literal: $($field:ident),+) => {{
            let on = s($area);
            $(let $field = if on { h.$field.clone() } else { w.$field.clone() };)+
            ($($field),+)
        }};
    }
    let allow_invites_from = pick!("invites": allow_invites_from);
    let guest_user_role_id = pick!("guests": guest_user_role_id);
    let allowed_to_create_apps = pick!("apps": allowed_to_create_apps);
    let allowed_to_create_security_groups = pick!("groups": allowed_to_create_security_groups);
    let allowed_to_create_tenants = pick!("tenants": allowed_to_create_tenants);
    let allowed_to_read_bitlocker_keys = pick!("bitlocker": allowed_to_read_bitlocker_keys);
    let permission_grant_policies_assigned = pick!("consent": permission_grant_policies_assigned);
    let (allowed_to_sign_up_email_based_subscriptions, allow_email_verified_users_to_join) = pick!(
        "self-service": allowed_to_sign_up_email_based_subscriptions,
        allow_email_verified_users_to_join
    );
    let block_msol_powershell = pick!("msol": block_msol_powershell);
    let auth_methods = pick!("methods": auth_methods);
    let authenticator_context_required = pick!("authenticator": authenticator_context_required);
    let (auth_methods_migration_state, registration_campaign_enabled) = pick!(
        "migration": auth_methods_migration_state,
        registration_campaign_enabled
    );
    let (admin_consent_enabled, admin_consent_reviewers) =
        pick!("admin-consent": admin_consent_enabled, admin_consent_reviewers);
    let cross_tenant_customized = pick!("cross-tenant": cross_tenant_customized);
    let (
        sharepoint_sharing_capability,
        sharepoint_domain_restriction_mode,
        sharepoint_allowed_domains,
    ) = pick!(
        "sharing": sharepoint_sharing_capability,
        sharepoint_domain_restriction_mode,
        sharepoint_allowed_domains
    );
    let sharepoint_legacy_auth = pick!("sp-legacy": sharepoint_legacy_auth);
    let sharepoint_resharing_by_external_users =
        pick!("resharing": sharepoint_resharing_by_external_users);
    let sharepoint_idle_sign_out = pick!("idle": sharepoint_idle_sign_out);
    let (sharepoint_sync_restricted, sharepoint_sync_domain_guids) =
        pick!("sync": sharepoint_sync_restricted, sharepoint_sync_domain_guids);
    Settings {
        allow_invites_from,
        guest_user_role_id,
        allowed_to_create_apps,
        allowed_to_create_security_groups,
        allowed_to_create_tenants,
        allowed_to_read_bitlocker_keys,
        allowed_to_read_other_users: h.allowed_to_read_other_users,
        permission_grant_policies_assigned,
        allowed_to_sign_up_email_based_subscriptions,
        allowed_to_use_sspr: h.allowed_to_use_sspr,
        allow_email_verified_users_to_join,
        block_msol_powershell,
        security_defaults_enabled: false,
        auth_methods,
        authenticator_context_required,
        auth_methods_migration_state,
        registration_campaign_enabled,
        admin_consent_enabled,
        admin_consent_reviewers,
        cross_tenant_customized,
        sharepoint_sharing_capability,
        sharepoint_domain_restriction_mode,
        sharepoint_allowed_domains,
        sharepoint_legacy_auth,
        sharepoint_resharing_by_external_users,
        sharepoint_idle_sign_out,
        sharepoint_sync_restricted,
        sharepoint_sync_domain_guids,
    }
}
