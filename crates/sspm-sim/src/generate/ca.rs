//! Conditional access: the posture policies of a weak, hardened or mixed tenant, then
//! posture-neutral noise up to the requested count; and the named locations they use.

use super::*;

pub(super) fn named_locations(spec: &M365Spec, now: i64) -> Vec<NamedLocation> {
    let mut rng = Rng::stream(spec.seed, "locations");
    vec![
        NamedLocation::Ip {
            id: rng.guid(),
            display_name: "Headquarters".to_string(),
            created: now - 900 * DAY,
            is_trusted: true,
            ranges: vec!["203.0.113.0/24"],
        },
        NamedLocation::Ip {
            id: rng.guid(),
            display_name: "Branch offices".to_string(),
            created: now - 600 * DAY,
            is_trusted: spec.posture == Posture::Hardened,
            ranges: vec!["198.51.100.0/24", "192.0.2.0/26"],
        },
        NamedLocation::Country {
            id: rng.guid(),
            display_name: "Allowed countries".to_string(),
            created: now - 500 * DAY,
            countries: vec!["US", "CA", "GB", "DE", "FR", "NL", "IN", "AU"],
            include_unknown: false,
        },
        NamedLocation::Country {
            id: rng.guid(),
            display_name: "High-risk countries".to_string(),
            created: now - 400 * DAY,
            countries: BLOCKED_COUNTRIES.to_vec(),
            include_unknown: true,
        },
    ]
}

/// A CA policy with empty conditions; callers fill in what they need.
fn policy(rng: &mut Rng, name: String, state: &'static str, now: i64) -> CaPolicy {
    let created = ago(rng, now, 30, 900);
    CaPolicy {
        id: rng.guid(),
        display_name: name,
        created,
        modified: rng
            .percent(70)
            .then(|| created + rng.range(1, 29) * DAY + rng.range(0, DAY - 1)),
        state,
        include_users: Vec::new(),
        exclude_users: Vec::new(),
        include_groups: Vec::new(),
        exclude_groups: Vec::new(),
        include_roles: Vec::new(),
        exclude_roles: Vec::new(),
        include_guests_or_external_users: false,
        include_applications: vec!["All".to_string()],
        exclude_applications: Vec::new(),
        include_user_actions: Vec::new(),
        client_app_types: vec!["all"],
        user_risk_levels: Vec::new(),
        sign_in_risk_levels: Vec::new(),
        platforms: None,
        locations: None,
        grant: None,
        session: None,
        transfer_methods: None,
    }
}

fn block() -> Option<Grant> {
    Some(Grant {
        operator: "OR",
        built_in_controls: vec!["block"],
        authentication_strength: None,
    })
}

fn require(controls: Vec<&'static str>) -> Option<Grant> {
    Some(Grant {
        operator: "OR",
        built_in_controls: controls,
        authentication_strength: None,
    })
}

fn strength(s: &'static AuthStrength) -> Option<Grant> {
    Some(Grant {
        operator: "OR",
        built_in_controls: Vec::new(),
        authentication_strength: Some(s),
    })
}

const ALL: &str = "All";
const LEGACY_CLIENTS: [&str; 2] = ["exchangeActiveSync", "other"];
/// The administrator roles a neglected tenant's MFA policy names.
const WEAK_ADMIN_ROLES: [&str; 8] = [
    GLOBAL_ADMINISTRATOR,
    PRIVILEGED_ROLE_ADMINISTRATOR,
    SECURITY_ADMINISTRATOR,
    EXCHANGE_ADMINISTRATOR,
    SHAREPOINT_ADMINISTRATOR,
    USER_ADMINISTRATOR,
    APPLICATION_ADMINISTRATOR,
    CLOUD_APPLICATION_ADMINISTRATOR,
];
/// The administrator roles a hardened tenant's policies name: the 15 that CIS Microsoft
/// 365 Foundations 5.2.2.1/5.2.2.4 list, plus the highly privileged roles of the CISA
/// SCuBA baseline that CIS leaves out (Hybrid Identity Administrator).
const ADMIN_ROLES: [&str; 16] = [
    APPLICATION_ADMINISTRATOR,
    "c4e39bd9-1100-46d3-8c65-fb160da0071f", // Authentication Administrator
    "b0f54661-2d74-4c50-afa3-1ec803f12efe", // Billing Administrator
    CLOUD_APPLICATION_ADMINISTRATOR,
    CONDITIONAL_ACCESS_ADMINISTRATOR,
    EXCHANGE_ADMINISTRATOR,
    GLOBAL_ADMINISTRATOR,
    GLOBAL_READER,
    HELPDESK_ADMINISTRATOR,
    "966707d0-3269-4727-9be2-8c3a10f19b9d", // Password Administrator
    PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
    PRIVILEGED_ROLE_ADMINISTRATOR,
    SECURITY_ADMINISTRATOR,
    SHAREPOINT_ADMINISTRATOR,
    USER_ADMINISTRATOR,
    HYBRID_IDENTITY_ADMINISTRATOR,
];

fn role_ids(roles: &[&str]) -> Vec<String> {
    roles.iter().map(|r| r.to_string()).collect()
}

pub(super) fn ca_policies(
    spec: &M365Spec,
    users: &[User],
    groups: &[Group],
    locations: &[NamedLocation],
    now: i64,
) -> Vec<CaPolicy> {
    let mut rng = Rng::stream(spec.seed, "ca");
    let loc = |i: usize| {
        locations
            .get(i)
            .map(|l| l.id().to_string())
            .unwrap_or_default()
    };
    let mut out = match spec.posture {
        Posture::Weak => weak_ca(&mut rng, users, groups, &loc, now),
        Posture::Hardened => hardened_ca(&mut rng, &loc, now),
        Posture::Mixed => {
            // The hardened set, each policy left report-only or with an exclusion
            // unless the seed says it was finished.
            let mut out = hardened_ca(&mut rng, &loc, now);
            let excluded: Vec<String> = users
                .iter()
                .skip(RESERVED_USERS)
                .find(|u| !u.guest)
                .map(|u| u.id.clone())
                .into_iter()
                .collect();
            for (i, p) in out.iter_mut().enumerate() {
                if strong(spec, &format!("ca:{i}")) {
                    continue;
                }
                if i % 2 == 0 || excluded.is_empty() {
                    p.state = "enabledForReportingButNotEnforced";
                } else {
                    p.exclude_users = excluded.clone();
                }
            }
            out
        }
    };
    out.truncate(spec.ca_policies);

    // Noise up to the requested count: varied but posture-neutral (a neglected tenant
    // enforces none of it).
    let hardened = spec.posture == Posture::Hardened;
    let all = || vec![ALL.to_string()];
    let apps = [
        (EXCHANGE_ONLINE_APP_ID, "Exchange Online"),
        (SHAREPOINT_ONLINE_APP_ID, "SharePoint Online"),
        (AZURE_MANAGEMENT_APP_ID, "Azure management"),
        ("1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams"),
        ("Office365", "Office 365"),
    ];
    let mut k = out.len();
    while out.len() < spec.ca_policies {
        k += 1;
        let group = (!groups.is_empty()).then(|| rng.pick(groups).id.clone());
        let (app_id, app_name) = *rng.pick(&apps);
        let dept = *rng.pick(DEPARTMENTS);
        let report_only = if rng.percent(50) {
            "enabledForReportingButNotEnforced"
        } else {
            "enabled"
        };
        let mut p = match k % 7 {
            0 => {
                let country = *rng.pick(BLOCKED_COUNTRIES);
                let mut p = policy(
                    &mut rng,
                    format!("CA{k:03} - BLOCK - Sign-ins from {country}"),
                    report_only,
                    now,
                );
                p.include_users = all();
                if !hardened && rng.percent(30) && !users.is_empty() {
                    p.exclude_users = vec![rng.pick(users).id.clone()];
                }
                p.locations = Some((vec![loc(3)], Vec::new()));
                p.grant = block();
                p
            }
            1 => {
                let mut p = policy(
                    &mut rng,
                    format!("CA{k:03} - GRANT - MFA for {app_name}"),
                    "enabledForReportingButNotEnforced",
                    now,
                );
                p.include_groups = group.into_iter().collect();
                p.include_applications = vec![app_id.to_string()];
                p.grant = require(vec!["mfa"]);
                p
            }
            2 => {
                let mut p = policy(
                    &mut rng,
                    format!("CA{k:03} - LEGACY - Old block policy"),
                    "disabled",
                    now,
                );
                p.include_users = all();
                p.client_app_types = LEGACY_CLIENTS.to_vec();
                p.grant = block();
                p
            }
            3 => {
                let mut p = policy(
                    &mut rng,
                    format!("CA{k:03} - GRANT - Compliant mobile device for {dept}"),
                    "enabled",
                    now,
                );
                p.include_groups = group.into_iter().collect();
                p.include_applications = vec!["Office365".to_string()];
                p.platforms = Some((vec!["android", "iOS"], Vec::new()));
                p.grant = require(vec!["compliantDevice", "approvedApplication"]);
                p
            }
            4 => {
                let mut p = policy(
                    &mut rng,
                    format!("CA{k:03} - SESSION - Sign-in frequency for {app_name}"),
                    report_only,
                    now,
                );
                p.include_groups = group.into_iter().collect();
                p.include_applications = vec![app_id.to_string()];
                p.session = Some(Session {
                    sign_in_frequency_hours: Some(*rng.pick(&[8, 12, 24])),
                    persistent_browser_never: false,
                    application_enforced_restrictions: app_id == SHAREPOINT_ONLINE_APP_ID,
                });
                p
            }
            5 => {
                let mut p = policy(
                    &mut rng,
                    format!("CA{k:03} - GRANT - MFA for guests ({app_name})"),
                    "enabled",
                    now,
                );
                p.include_guests_or_external_users = true;
                p.include_applications = vec![app_id.to_string()];
                p.grant = require(vec!["mfa"]);
                p
            }
            _ => {
                let mut p = policy(
                    &mut rng,
                    format!("CA{k:03} - BLOCK - Untrusted locations for {dept}"),
                    report_only,
                    now,
                );
                p.include_groups = group.into_iter().collect();
                p.locations = Some((all(), vec!["AllTrusted".to_string()]));
                p.grant = block();
                p
            }
        };
        if spec.posture == Posture::Weak && p.state == "enabled" {
            p.state = "enabledForReportingButNotEnforced";
        }
        out.push(p);
    }
    out
}

/// A neglected tenant's conditional access: policies created and never switched on
/// (report-only or disabled), with exclusions.
fn weak_ca(
    rng: &mut Rng,
    users: &[User],
    groups: &[Group],
    loc: &dyn Fn(usize) -> String,
    now: i64,
) -> Vec<CaPolicy> {
    let all = || vec![ALL.to_string()];
    let mut out = Vec::new();
    let exclusions: Vec<String> = groups
        .get(GROUP_CA_EXCLUSIONS)
        .map(|g| g.id.clone())
        .into_iter()
        .collect();
    let svc: Vec<String> = users.get(20).map(|u| u.id.clone()).into_iter().collect();

    let mut p = policy(
        rng,
        "Require MFA for all users".into(),
        "enabledForReportingButNotEnforced",
        now,
    );
    p.include_users = all();
    p.exclude_groups = exclusions.clone();
    p.grant = require(vec!["mfa"]);
    out.push(p);

    let mut p = policy(
        rng,
        "Block legacy authentication".into(),
        "enabledForReportingButNotEnforced",
        now,
    );
    p.include_users = all();
    p.client_app_types = LEGACY_CLIENTS.to_vec();
    p.grant = block();
    out.push(p);

    let mut p = policy(
        rng,
        "Block legacy authentication (except scanner)".into(),
        "enabledForReportingButNotEnforced",
        now,
    );
    p.include_users = all();
    p.exclude_users = svc;
    p.client_app_types = LEGACY_CLIENTS.to_vec();
    p.grant = block();
    out.push(p);

    let mut p = policy(
        rng,
        "Require MFA for administrators".into(),
        "enabledForReportingButNotEnforced",
        now,
    );
    p.include_roles = role_ids(&WEAK_ADMIN_ROLES);
    p.grant = require(vec!["mfa"]);
    out.push(p);

    let mut p = policy(
        rng,
        "Require compliant device for Office 365".into(),
        "disabled",
        now,
    );
    p.include_users = all();
    p.include_applications = vec!["Office365".to_string()];
    p.grant = require(vec!["compliantDevice", "domainJoinedDevice"]);
    out.push(p);

    let mut p = policy(
        rng,
        "Block sign-ins from high-risk countries".into(),
        "enabledForReportingButNotEnforced",
        now,
    );
    p.include_users = all();
    p.exclude_groups = exclusions;
    p.locations = Some((vec![loc(3)], Vec::new()));
    p.grant = block();
    out.push(p);
    out
}

/// What the CISA SCuBA and CIS baselines ask for, one policy per requirement.
fn hardened_ca(rng: &mut Rng, loc: &dyn Fn(usize) -> String, now: i64) -> Vec<CaPolicy> {
    let all = || vec![ALL.to_string()];
    let mut out = Vec::new();
    let mut p = policy(rng, "BLOCK - Legacy authentication".into(), "enabled", now);
    p.include_users = all();
    p.client_app_types = LEGACY_CLIENTS.to_vec();
    p.grant = block();
    out.push(p);

    let mut p = policy(rng, "BLOCK - High user risk".into(), "enabled", now);
    p.include_users = all();
    p.user_risk_levels = vec!["high"];
    p.grant = block();
    out.push(p);

    let mut p = policy(rng, "BLOCK - High sign-in risk".into(), "enabled", now);
    p.include_users = all();
    p.sign_in_risk_levels = vec!["high"];
    p.grant = block();
    out.push(p);

    let mut p = policy(
        rng,
        "GRANT - Phishing-resistant MFA for all users".into(),
        "enabled",
        now,
    );
    p.include_users = all();
    p.grant = strength(&STRENGTH_PHISHING_RESISTANT);
    out.push(p);

    let mut p = policy(
        rng,
        "GRANT - Phishing-resistant MFA for administrators".into(),
        "enabled",
        now,
    );
    p.include_roles = role_ids(&ADMIN_ROLES);
    p.grant = strength(&STRENGTH_PHISHING_RESISTANT);
    out.push(p);

    let mut p = policy(
        rng,
        "GRANT - Managed device to register security info".into(),
        "enabled",
        now,
    );
    p.include_users = all();
    p.include_applications = Vec::new();
    p.include_user_actions = vec!["urn:user:registersecurityinfo"];
    p.grant = require(vec!["compliantDevice", "domainJoinedDevice"]);
    out.push(p);

    let mut p = policy(
        rng,
        "SESSION - Administrator sign-in frequency".into(),
        "enabled",
        now,
    );
    p.include_roles = role_ids(&ADMIN_ROLES);
    p.session = Some(Session {
        sign_in_frequency_hours: Some(4),
        persistent_browser_never: true,
        application_enforced_restrictions: false,
    });
    out.push(p);

    let mut p = policy(rng, "BLOCK - Countries not allowed".into(), "enabled", now);
    p.include_users = all();
    p.locations = Some((all(), vec![loc(2), "AllTrusted".to_string()]));
    p.grant = block();
    out.push(p);

    let mut p = policy(rng, "BLOCK - Device code flow".into(), "enabled", now);
    p.include_users = all();
    p.transfer_methods = Some("deviceCodeFlow");
    p.grant = block();
    out.push(p);

    let mut p = policy(
        rng,
        "GRANT - Compliant or hybrid joined device".into(),
        "enabled",
        now,
    );
    p.include_users = all();
    p.grant = require(vec!["compliantDevice", "domainJoinedDevice"]);
    out.push(p);
    out
}
