//! Builds an [`M365Tenant`] from an [`M365Spec`].

use std::collections::{HashMap, HashSet};

use crate::catalog::*;
use crate::model::*;
use crate::rng::{base64url, guid_dotnet_bytes, Rng};
use crate::spec::{M365Spec, Posture, DEFAULT_COLLECTED_AT};
use crate::time::{self, DAY};

mod apps;
mod ca;
mod settings;

use apps::{app_role_assignments, apps, grants, owners};
use ca::{ca_policies, named_locations};
use settings::settings;

/// Users reserved at the start of the list for admins and service accounts.
const RESERVED_USERS: usize = 21;

impl M365Tenant {
    /// Generate the tenant described by `spec` (deterministic for a spec).
    pub fn generate(spec: &M365Spec) -> Self {
        let now = time::parse(&spec.collected_at)
            .or_else(|| time::parse(DEFAULT_COLLECTED_AT))
            .unwrap_or(0);
        let tenant_id = Rng::stream(spec.seed, "tenant").guid();
        let names = DomainNames::new(&spec.tenant_domain);

        let organization = organization(spec, &names, now);
        let domains = domains(strong(spec, "domains"), &names);
        let plan = AdminPlan::new(strong(spec, "admins"), spec.entra_id_p2);
        let mut users = users(spec, &names, &plan, now);
        let mut groups = groups(spec, plan.strong, now);
        group_members(spec, &plan, &users, &mut groups);
        let (mut applications, mut service_principals) = apps(spec, &tenant_id, &names, now);
        owners(spec, &users, &mut applications, &mut service_principals);
        let app_role_assignments =
            app_role_assignments(spec, &applications, &service_principals, now);
        let (role_assignments, role_eligibilities) =
            roles(spec, &plan, &users, &groups, &service_principals, now);
        let role_policies =
            crate::pim::role_policies(spec, &tenant_id, &users, &names.default, now);

        // isAdmin = holds any active or eligible directory role.
        let admins: HashSet<&str> = role_assignments
            .iter()
            .map(|a| a.principal_id.as_str())
            .chain(role_eligibilities.iter().map(|e| e.principal_id.as_str()))
            .collect();
        let admin_flags: Vec<bool> = users
            .iter()
            .map(|u| admins.contains(u.id.as_str()))
            .collect();
        for (u, flag) in users.iter_mut().zip(admin_flags) {
            u.registration.is_admin = flag;
        }

        let named_locations = named_locations(spec, now);
        let ca_policies = ca_policies(spec, &users, &groups, &named_locations, now);
        let oauth2_grants = grants(spec, &users, &service_principals);
        // Two security admins review consent requests.
        let reviewers = users.iter().skip(4).take(2).map(|u| u.id.clone()).collect();
        let sync_domain = Rng::stream(spec.seed, "ad-domain").guid();
        let settings = settings(spec, reviewers, sync_domain);

        M365Tenant {
            posture: spec.posture,
            seed: spec.seed,
            instance: spec.instance.clone(),
            tenant_domain: spec.tenant_domain.clone(),
            collected_at: spec.collected_at.clone(),
            now,
            tenant_id,
            entra_id_p2: spec.entra_id_p2,
            organization,
            domains,
            users,
            groups,
            applications,
            service_principals,
            oauth2_grants,
            role_assignments,
            role_eligibilities,
            role_policies,
            app_role_assignments,
            ca_policies,
            named_locations,
            settings,
            failures: spec.failures.clone(),
        }
    }
}

/// Whether the area `area` of the spec's tenant is configured well (see [`Posture::strong`]).
pub(crate) fn strong(spec: &M365Spec, area: &str) -> bool {
    spec.posture.strong(spec.seed, area)
}

/// Names derived from the initial domain.
struct DomainNames {
    /// `contoso`
    label: String,
    /// `Contoso`
    org: String,
    /// `contoso.onmicrosoft.com`
    initial: String,
    /// `contoso.com`
    default: String,
}

impl DomainNames {
    fn new(tenant_domain: &str) -> Self {
        let lower = tenant_domain.to_ascii_lowercase();
        let label: String = lower
            .split('.')
            .next()
            .unwrap_or("contoso")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let label = if label.is_empty() {
            "contoso".to_string()
        } else {
            label
        };
        let initial = if lower.ends_with(".onmicrosoft.com") {
            lower.clone()
        } else {
            format!("{label}.onmicrosoft.com")
        };
        let default = if lower.ends_with(".onmicrosoft.com") {
            format!("{label}.com")
        } else {
            lower
        };
        let mut org = String::new();
        for (i, c) in label.chars().enumerate() {
            org.push(if i == 0 { c.to_ascii_uppercase() } else { c });
        }
        Self {
            label,
            org,
            initial,
            default,
        }
    }
}

fn organization(spec: &M365Spec, names: &DomainNames, now: i64) -> Organization {
    let mut plans = vec![PLAN_EXCHANGE, PLAN_SHAREPOINT, PLAN_ENTRA_P1];
    if spec.entra_id_p2 {
        plans.push(PLAN_ENTRA_P2);
    }
    Organization {
        display_name: names.org.clone(),
        created: now - 2_400 * DAY,
        on_premises_sync_enabled: true,
        on_premises_last_sync: Some(now - 1_260),
        assigned_plans: plans,
        technical_notification_mails: vec![format!("it-admins@{}", names.default)],
    }
}

fn domains(strong: bool, names: &DomainNames) -> Vec<Domain> {
    const NEVER: i64 = 2_147_483_647;
    let services = vec!["Email", "OfficeCommunicationsOnline"];
    let mut out = vec![
        Domain {
            name: names.initial.clone(),
            authentication_type: "Managed",
            is_default: false,
            is_initial: true,
            is_verified: true,
            password_validity_days: NEVER,
            password_notification_days: 14,
            supported_services: services.clone(),
        },
        Domain {
            name: names.default.clone(),
            authentication_type: "Managed",
            is_default: true,
            is_initial: false,
            is_verified: true,
            password_validity_days: if strong { NEVER } else { 90 },
            password_notification_days: 14,
            supported_services: vec!["Email", "OfficeCommunicationsOnline", "Intune"],
        },
    ];
    match strong {
        false => out.push(Domain {
            name: format!("{}-legacy.com", names.label),
            authentication_type: "Managed",
            is_default: false,
            is_initial: false,
            is_verified: false,
            password_validity_days: NEVER,
            password_notification_days: 14,
            supported_services: Vec::new(),
        }),
        true => out.push(Domain {
            name: format!("mail.{}", names.default),
            authentication_type: "Managed",
            is_default: false,
            is_initial: false,
            is_verified: true,
            password_validity_days: NEVER,
            password_notification_days: 14,
            supported_services: vec!["Email"],
        }),
    }
    out
}

/// Which of the first users hold which roles, and how.
struct AdminPlan {
    /// Administrators are managed as the hardened posture asks.
    strong: bool,
    /// (user index, role, how).
    entries: Vec<(usize, &'static str, Hold)>,
    /// Users that are break-glass accounts.
    break_glass: Vec<usize>,
    /// Admins without MFA registration (weak).
    no_mfa: Vec<usize>,
    /// Admins synchronised from on-premises (weak).
    synced: Vec<usize>,
    /// The service account excluded from the weak legacy-auth policy.
    service_account: Option<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Hold {
    /// Permanent active assignment.
    Permanent,
    /// PIM eligible.
    Eligible,
    /// PIM eligible and currently activated.
    EligibleActivated,
    /// Active assignment made through PIM with an end date (break-glass accounts).
    TimeBound,
}

impl AdminPlan {
    fn new(strong: bool, p2: bool) -> Self {
        // Without P2 there is no PIM: eligible roles become permanent ones.
        let el = |h: Hold| if p2 { h } else { Hold::Permanent };
        match strong {
            false => {
                let mut entries: Vec<(usize, &'static str, Hold)> = (0..10)
                    .map(|i| (i, GLOBAL_ADMINISTRATOR, Hold::Permanent))
                    .collect();
                entries.push((10, GLOBAL_ADMINISTRATOR, el(Hold::Eligible)));
                entries.push((11, GLOBAL_ADMINISTRATOR, el(Hold::Eligible)));
                for (i, role) in [
                    EXCHANGE_ADMINISTRATOR,
                    SHAREPOINT_ADMINISTRATOR,
                    SECURITY_ADMINISTRATOR,
                    PRIVILEGED_ROLE_ADMINISTRATOR,
                    USER_ADMINISTRATOR,
                    APPLICATION_ADMINISTRATOR,
                    HELPDESK_ADMINISTRATOR,
                    GLOBAL_READER,
                ]
                .into_iter()
                .enumerate()
                {
                    entries.push((12 + i, role, Hold::Permanent));
                }
                Self {
                    strong,
                    entries,
                    break_glass: Vec::new(),
                    no_mfa: vec![3, 7, 15],
                    synced: vec![2, 5, 8, 13],
                    service_account: Some(20),
                }
            }
            true => {
                // Break-glass accounts hold Global Administrator actively, through PIM
                // with an end date that is renewed before it comes.
                let mut entries = vec![
                    (0, GLOBAL_ADMINISTRATOR, el(Hold::TimeBound)),
                    (1, GLOBAL_ADMINISTRATOR, el(Hold::TimeBound)),
                    (2, GLOBAL_ADMINISTRATOR, el(Hold::EligibleActivated)),
                    (3, GLOBAL_ADMINISTRATOR, el(Hold::Eligible)),
                ];
                for (i, (role, hold)) in [
                    (SECURITY_ADMINISTRATOR, Hold::EligibleActivated),
                    (PRIVILEGED_ROLE_ADMINISTRATOR, Hold::Eligible),
                    (EXCHANGE_ADMINISTRATOR, Hold::Eligible),
                    (SHAREPOINT_ADMINISTRATOR, Hold::Eligible),
                    (USER_ADMINISTRATOR, Hold::Eligible),
                    (APPLICATION_ADMINISTRATOR, Hold::Eligible),
                    (CONDITIONAL_ACCESS_ADMINISTRATOR, Hold::Eligible),
                ]
                .into_iter()
                .enumerate()
                {
                    entries.push((4 + i, role, el(hold)));
                }
                for (i, role) in [HELPDESK_ADMINISTRATOR, GLOBAL_READER, SECURITY_READER]
                    .into_iter()
                    .enumerate()
                {
                    entries.push((11 + i, role, Hold::Permanent));
                }
                Self {
                    strong,
                    entries,
                    break_glass: vec![0, 1],
                    no_mfa: Vec::new(),
                    synced: Vec::new(),
                    service_account: None,
                }
            }
        }
    }

    fn is_admin_index(&self, i: usize) -> bool {
        self.entries.iter().any(|e| e.0 == i)
    }
}

fn users(spec: &M365Spec, names: &DomainNames, plan: &AdminPlan, now: i64) -> Vec<User> {
    let mut rng = Rng::stream(spec.seed, "users");
    // Registration, licences and stale accounts follow the "users" area; admin
    // accounts (dedicated cloud-only accounts or not) follow the plan.
    let hardened = strong(spec, "users");
    let mut taken: HashMap<String, u32> = HashMap::new();
    let mut out = Vec::with_capacity(spec.users);
    for i in 0..spec.users {
        let first = *rng.pick(FIRST_NAMES);
        let last = *rng.pick(LAST_NAMES);
        let is_admin = plan.is_admin_index(i);
        let is_break_glass = plan.break_glass.contains(&i);
        let is_service = plan.service_account == Some(i);
        // Spread evenly so that even small tenants have some: every 19th regular
        // user is a guest (~5%), every 31st is disabled (~3%); the last user of a
        // tenant is a guest too.
        let regular = i.checked_sub(RESERVED_USERS);
        let guest = regular.is_some_and(|r| r % 19 == 2 || (i + 1 == spec.users && r > 3));
        let enabled = regular.is_none_or(|r| r % 31 != 5);

        let (given, sur, display, upn, mail) = if is_break_glass {
            let n = plan.break_glass.iter().position(|b| *b == i).unwrap_or(0) + 1;
            let upn = format!("breakglass{n:02}@{}", names.initial);
            (
                "Emergency".to_string(),
                format!("Access {n:02}"),
                format!("Emergency Access {n:02}"),
                upn,
                None,
            )
        } else if is_service {
            let upn = format!("svc.scanner@{}", names.default);
            (
                "MFP".to_string(),
                "Scanner".to_string(),
                "MFP Scanner (service account)".to_string(),
                upn.clone(),
                Some(upn),
            )
        } else if guest {
            let domain = *rng.pick(GUEST_DOMAINS);
            let local = unique(
                &mut taken,
                &format!("{}.{}", first, last).to_ascii_lowercase(),
                domain,
            );
            let upn = format!("{local}_{domain}#EXT#@{}", names.initial);
            (
                first.to_string(),
                last.to_string(),
                format!("{first} {last}"),
                upn,
                Some(format!("{local}@{domain}")),
            )
        } else if plan.strong && is_admin {
            let local = unique(
                &mut taken,
                &format!("adm.{}.{}", first, last).to_ascii_lowercase(),
                "adm",
            );
            let upn = format!("{local}@{}", names.initial);
            (
                first.to_string(),
                last.to_string(),
                format!("{first} {last} (Admin)"),
                upn,
                None,
            )
        } else {
            let local = unique(
                &mut taken,
                &format!("{}.{}", first, last).to_ascii_lowercase(),
                "",
            );
            let upn = format!("{local}@{}", names.default);
            (
                first.to_string(),
                last.to_string(),
                format!("{first} {last}"),
                upn.clone(),
                Some(upn),
            )
        };

        let cloud_only = guest || is_break_glass || (plan.strong && is_admin);
        let synced = !cloud_only
            && if is_admin {
                plan.synced.contains(&i)
            } else {
                rng.percent(if hardened { 80 } else { 65 })
            };
        let created = if i < RESERVED_USERS {
            ago(&mut rng, now, 700, 2_200)
        } else {
            ago(&mut rng, now, 10, 2_200)
        };

        // Sign-in activity: stale accounts, never-used invitations, break-glass monthly tests.
        let never = (guest && rng.percent(30)) || (!guest && rng.permille(8) && !is_admin);
        let stale = !never && !is_admin && rng.percent(if hardened { 2 } else { 10 });
        let sign_in = if never {
            None
        } else {
            let last = if is_break_glass {
                ago(&mut rng, now, 20, 30)
            } else if stale {
                ago(&mut rng, now, 91, 400)
            } else {
                now - rng.range(0, 30 * DAY)
            };
            let non_interactive = (last + rng.range(0, 3 * DAY)).min(now);
            let successful = last.max(non_interactive);
            Some(SignInActivity {
                last_sign_in: last.max(created),
                last_non_interactive: non_interactive.max(created),
                last_successful: successful.max(created),
            })
        };

        let licenses = if guest || is_break_glass || is_service || (plan.strong && is_admin) {
            Vec::new()
        } else if hardened {
            vec![SKU_M365_E5]
        } else if is_admin && spec.entra_id_p2 {
            vec![SKU_M365_E3, SKU_ENTRA_P2]
        } else {
            vec![SKU_M365_E3]
        };

        let methods = methods(
            &mut rng,
            hardened,
            i,
            guest,
            enabled,
            is_break_glass,
            is_admin,
            plan,
        );
        let sspr_enabled = !guest && !is_break_glass && (hardened || rng.percent(50));
        let last_updated = ago(&mut rng, now, 0, 200);

        out.push(User {
            id: rng.guid(),
            display_name: display,
            given_name: given,
            surname: sur,
            user_principal_name: upn,
            mail,
            job_title: if guest || is_break_glass || is_service {
                None
            } else if is_admin {
                Some("Administrator")
            } else {
                Some(*rng.pick(JOB_TITLES))
            },
            department: if guest || is_break_glass {
                None
            } else if is_admin || is_service {
                Some("IT")
            } else {
                Some(*rng.pick(DEPARTMENTS))
            },
            usage_location: if guest {
                None
            } else {
                Some(*rng.pick(USAGE_LOCATIONS))
            },
            guest,
            account_enabled: enabled,
            on_premises_sync_enabled: synced,
            created,
            sign_in,
            licenses,
            registration: Registration {
                methods,
                is_admin: false,
                sspr_enabled,
                last_updated,
            },
        });
    }
    out
}

/// A time `lo..=hi` days before `now`, at a random time of day.
fn ago(rng: &mut Rng, now: i64, lo: i64, hi: i64) -> i64 {
    now - rng.range(lo, hi) * DAY - rng.range(0, DAY - 1)
}

/// A unique local part: `base`, then `base2`, `base3`, … (per `scope`).
fn unique(taken: &mut HashMap<String, u32>, base: &str, scope: &str) -> String {
    let key = format!("{scope}/{base}");
    let n = taken.entry(key).or_insert(0);
    *n += 1;
    if *n == 1 {
        base.to_string()
    } else {
        format!("{base}{n}")
    }
}

#[allow(clippy::too_many_arguments)]
fn methods(
    rng: &mut Rng,
    strong: bool,
    i: usize,
    guest: bool,
    enabled: bool,
    break_glass: bool,
    admin: bool,
    plan: &AdminPlan,
) -> Vec<&'static str> {
    let roll = rng.below(100);
    match strong {
        true => {
            if break_glass {
                return vec!["fido2"];
            }
            if admin {
                return vec![
                    "fido2",
                    "microsoftAuthenticatorPush",
                    "windowsHelloForBusiness",
                ];
            }
            let registered = if guest {
                roll < 20
            } else {
                enabled || roll < 50
            };
            if !registered {
                return if guest { Vec::new() } else { vec!["email"] };
            }
            // Phishing-resistant MFA is required of everyone: Windows Hello for
            // Business on managed devices, passkeys elsewhere.
            match rng.below(10) {
                0..=5 => vec!["windowsHelloForBusiness", "microsoftAuthenticatorPush"],
                6..=8 => vec!["fido2", "microsoftAuthenticatorPush"],
                _ => vec![
                    "fido2",
                    "microsoftAuthenticatorPasswordless",
                    "softwareOneTimePasscode",
                ],
            }
        }
        false => {
            if plan.no_mfa.contains(&i) {
                return Vec::new();
            }
            let registered = if admin {
                true
            } else if guest {
                roll < 5
            } else {
                rng.permille(600)
            };
            if !registered {
                return if !guest && rng.percent(30) {
                    vec!["email"]
                } else {
                    Vec::new()
                };
            }
            match rng.below(10) {
                0..=3 => vec!["mobilePhone"],
                4..=6 => vec!["microsoftAuthenticatorPush", "softwareOneTimePasscode"],
                7 | 8 => vec!["mobilePhone", "email"],
                _ => vec!["microsoftAuthenticatorPush", "mobilePhone", "email"],
            }
        }
    }
}

/// Groups referenced by policies sit at fixed indexes.
pub(crate) const GROUP_CA_EXCLUSIONS: usize = 0;

fn groups(spec: &M365Spec, hardened: bool, now: i64) -> Vec<Group> {
    let mut rng = Rng::stream(spec.seed, "groups");
    let mut out = Vec::with_capacity(spec.groups);
    let mut names: HashMap<String, u32> = HashMap::new();
    let special: &[(&str, &str, GroupKind, bool)] = if hardened {
        &[
            (
                "Tier 0 Administrators",
                "Role-assignable group for tier 0 administrators",
                GroupKind::Security,
                true,
            ),
            (
                "All Company",
                "Everyone in the organisation",
                GroupKind::Unified,
                false,
            ),
            (
                "SSPR Users",
                "Users in scope of self-service password reset",
                GroupKind::Security,
                false,
            ),
        ]
    } else {
        &[
            (
                "CA - MFA Exclusions",
                "Users excluded from the MFA conditional access policy",
                GroupKind::Security,
                false,
            ),
            (
                "All Company",
                "Everyone in the organisation",
                GroupKind::Unified,
                false,
            ),
            (
                "SSPR Users",
                "Users in scope of self-service password reset",
                GroupKind::Security,
                false,
            ),
            (
                "IT Admins",
                "Role-assignable group for the IT team",
                GroupKind::Security,
                true,
            ),
        ]
    };
    for i in 0..spec.groups {
        let id = rng.guid();
        let created = ago(&mut rng, now, 30, 2_000);
        if let Some((name, desc, kind, role_assignable)) = special.get(i) {
            out.push(Group {
                id,
                display_name: name.to_string(),
                description: Some(desc.to_string()),
                kind: *kind,
                mail_nickname: nickname(name),
                visibility: if *kind == GroupKind::Unified {
                    Some("Public")
                } else {
                    None
                },
                is_assignable_to_role: *role_assignable,
                created,
                membership_rule: None,
                on_premises_sync_enabled: false,
                members: Vec::new(),
            });
            continue;
        }
        let dept = *rng.pick(DEPARTMENTS);
        let d = dept.replace(' ', "");
        let roll = rng.below(100);
        let (kind, base) = match roll {
            0..=39 => (GroupKind::Unified, format!("{dept} Team")),
            40..=74 => (GroupKind::Security, format!("SG-{d}-Users")),
            75..=84 => (GroupKind::DynamicSecurity, format!("Dyn-{d}")),
            85..=94 => (GroupKind::Distribution, format!("DL-{d}")),
            _ => (GroupKind::MailEnabledSecurity, format!("MESG-{d}")),
        };
        let name = match *names
            .entry(base.clone())
            .and_modify(|n| *n += 1)
            .or_insert(1)
        {
            1 => base,
            n => format!("{base} {n}"),
        };
        let role_assignable = kind == GroupKind::Security && rng.percent(3);
        out.push(Group {
            id,
            mail_nickname: nickname(&name),
            description: Some(format!("{dept} ({})", kind_label(kind))),
            display_name: name,
            kind,
            visibility: if kind == GroupKind::Unified {
                Some(if rng.percent(70) { "Private" } else { "Public" })
            } else {
                None
            },
            is_assignable_to_role: role_assignable,
            created,
            membership_rule: (kind == GroupKind::DynamicSecurity).then(|| {
                format!("(user.department -eq \"{dept}\") and (user.accountEnabled -eq true)")
            }),
            on_premises_sync_enabled: matches!(kind, GroupKind::Security | GroupKind::Distribution)
                && !role_assignable
                && rng.percent(40),
            members: Vec::new(),
        });
    }
    out
}

/// Members of the role-assignable groups (the only ones whose members are collected):
/// the tier 0 group holds the dedicated admin accounts; other role-assignable groups a
/// few enabled members of the directory.
fn group_members(spec: &M365Spec, plan: &AdminPlan, users: &[User], groups: &mut [Group]) {
    let mut rng = Rng::stream(spec.seed, "members");
    let pool: Vec<usize> = (RESERVED_USERS..users.len())
        .filter(|&i| !users[i].guest && users[i].account_enabled)
        .collect();
    for (gi, g) in groups.iter_mut().enumerate() {
        if !g.is_assignable_to_role {
            continue;
        }
        if gi == 0 && plan.strong {
            // The dedicated cloud-only accounts of the Global Administrators.
            g.members = (2..4).filter(|&i| i < users.len()).collect();
            continue;
        }
        if pool.is_empty() {
            continue;
        }
        for _ in 0..1 + rng.below(4) {
            let i = *rng.pick(&pool);
            if !g.members.contains(&i) {
                g.members.push(i);
            }
        }
    }
}

fn kind_label(kind: GroupKind) -> &'static str {
    match kind {
        GroupKind::Unified => "Microsoft 365 group",
        GroupKind::Security => "security group",
        GroupKind::DynamicSecurity => "dynamic security group",
        GroupKind::Distribution => "distribution list",
        GroupKind::MailEnabledSecurity => "mail-enabled security group",
    }
}

fn nickname(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

/// Graph's id of a role assignment: base64url(role ‖ principal) in .NET byte order, `-1`.
fn assignment_id(role: &str, principal: &str, suffix: &str) -> String {
    let mut bytes = Vec::with_capacity(32);
    if let Some(b) = guid_dotnet_bytes(role) {
        bytes.extend_from_slice(&b);
    }
    if let Some(b) = guid_dotnet_bytes(principal) {
        bytes.extend_from_slice(&b);
    }
    format!("{}{suffix}", base64url(&bytes))
}

fn roles(
    spec: &M365Spec,
    plan: &AdminPlan,
    users: &[User],
    groups: &[Group],
    sps: &[ServicePrincipal],
    now: i64,
) -> (Vec<RoleAssignment>, Vec<RoleEligibility>) {
    let mut rng = Rng::stream(spec.seed, "roles");
    let hardened = plan.strong;
    let mut active: Vec<RoleAssignment> = Vec::new();
    let mut eligible: Vec<RoleEligibility> = Vec::new();
    let mut seen_active: HashSet<(&'static str, String)> = HashSet::new();
    let mut seen_eligible: HashSet<(&'static str, String)> = HashSet::new();

    let eligibility = |rng: &mut Rng, role: &'static str, principal: &str| RoleEligibility {
        id: assignment_id(role, principal, "-1-e"),
        role_definition_id: role,
        principal_id: principal.to_string(),
        start: ago(rng, now, 30, 400),
        end: if hardened {
            Some(now + rng.range(30, 365) * DAY)
        } else {
            None
        },
        schedule_id: rng.guid(),
    };

    for &(i, role, hold) in &plan.entries {
        let Some(user) = users.get(i) else { continue };
        match hold {
            Hold::Permanent | Hold::TimeBound => {
                if active.len() < spec.role_assignments
                    && seen_active.insert((role, user.id.clone()))
                {
                    let (start, end) = if hold == Hold::TimeBound {
                        let start = ago(&mut rng, now, 10, 60);
                        (start, Some(start + 180 * DAY))
                    } else {
                        (user.created + DAY, None)
                    };
                    active.push(RoleAssignment {
                        id: assignment_id(role, &user.id, "-1"),
                        role_definition_id: role,
                        principal_id: user.id.clone(),
                        assignment_type: AssignmentType::Assigned,
                        start,
                        end,
                        schedule_id: rng.guid(),
                        // A neglected tenant's standing admins were made in the admin
                        // centre, before (or around) PIM.
                        outside_pim: !hardened,
                    });
                }
            }
            Hold::Eligible | Hold::EligibleActivated => {
                if seen_eligible.insert((role, user.id.clone())) {
                    eligible.push(eligibility(&mut rng, role, &user.id));
                }
                if hold == Hold::EligibleActivated
                    && active.len() < spec.role_assignments
                    && seen_active.insert((role, user.id.clone()))
                {
                    let start = now - rng.range(600, 7_000);
                    active.push(RoleAssignment {
                        id: assignment_id(role, &user.id, "-1"),
                        role_definition_id: role,
                        principal_id: user.id.clone(),
                        assignment_type: AssignmentType::Activated,
                        start,
                        end: Some(start + 8 * 3_600),
                        schedule_id: rng.guid(),
                        outside_pim: false,
                    });
                }
            }
        }
    }

    // Noise: other roles spread over the rest of the directory.
    let weighted: Vec<&'static str> = NOISE_ROLE_WEIGHTS
        .iter()
        .filter(|(role, _)| !hardened || !role_by_id(role).is_some_and(|r| r.privileged))
        .flat_map(|(role, w)| std::iter::repeat_n(*role, *w as usize))
        .collect();
    let eligible_weighted: Vec<&'static str> = NOISE_ROLE_WEIGHTS
        .iter()
        .flat_map(|(role, w)| std::iter::repeat_n(*role, *w as usize))
        .collect();
    let sp_pool: Vec<&ServicePrincipal> = sps
        .iter()
        .filter(|s| matches!(s.kind, SpKind::Own(_) | SpKind::ManagedIdentity))
        .collect();
    let group_pool: Vec<&Group> = groups.iter().filter(|g| g.is_assignable_to_role).collect();
    let user_lo = RESERVED_USERS.min(users.len());
    let pick_principal = |rng: &mut Rng| -> Option<String> {
        let roll = rng.below(100);
        if roll < 5 && !sp_pool.is_empty() {
            return Some(rng.pick(&sp_pool).id.clone());
        }
        if roll < 7 && !group_pool.is_empty() {
            return Some(rng.pick(&group_pool).id.clone());
        }
        if users.is_empty() {
            return None;
        }
        let members = &users[user_lo..];
        let pool = if members.is_empty() { users } else { members };
        let u = rng.pick(pool);
        (!u.guest).then(|| u.id.clone())
    };

    let mut tries = 0usize;
    while active.len() < spec.role_assignments && !weighted.is_empty() {
        tries += 1;
        let role = *rng.pick(&weighted);
        let Some(principal) = pick_principal(&mut rng) else {
            if users.is_empty() && sp_pool.is_empty() && group_pool.is_empty() {
                break;
            }
            continue;
        };
        // Give up on uniqueness only if the directory is too small for the count.
        if !seen_active.insert((role, principal.clone())) && tries < spec.role_assignments * 20 {
            continue;
        }
        let start = ago(&mut rng, now, 1, 1_500);
        active.push(RoleAssignment {
            id: assignment_id(role, &principal, "-1"),
            role_definition_id: role,
            principal_id: principal,
            assignment_type: AssignmentType::Assigned,
            start,
            end: None,
            schedule_id: rng.guid(),
            outside_pim: !hardened && rng.percent(50),
        });
    }

    if spec.entra_id_p2 {
        let extra = spec.role_assignments / if hardened { 10 } else { 20 };
        let target = eligible.len() + extra;
        let mut tries = 0usize;
        while eligible.len() < target && tries < extra * 20 + 20 {
            tries += 1;
            let role = *rng.pick(&eligible_weighted);
            let Some(principal) = pick_principal(&mut rng) else {
                continue;
            };
            if seen_eligible.insert((role, principal.clone())) {
                eligible.push(eligibility(&mut rng, role, &principal));
            }
        }
    } else {
        eligible.clear();
    }
    (active, eligible)
}
