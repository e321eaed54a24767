//! Builds an [`M365Tenant`] from an [`M365Spec`].

use std::collections::{HashMap, HashSet};

use crate::catalog::*;
use crate::model::*;
use crate::rng::{base64url, guid_dotnet_bytes, Rng};
use crate::spec::{M365Spec, Posture, DEFAULT_COLLECTED_AT};
use crate::time::{self, DAY};

/// Users reserved at the start of the list for admins and service accounts.
const RESERVED_USERS: usize = 21;

impl M365Tenant {
    /// Generate the tenant described by `spec` (deterministic for a spec).
    pub fn generate(spec: &M365Spec) -> Self {
        let now = time::parse(&spec.collected_at)
            .or_else(|| time::parse(DEFAULT_COLLECTED_AT))
            .unwrap_or(0);
        let hardened = spec.posture == Posture::Hardened;
        let tenant_id = Rng::stream(spec.seed, "tenant").guid();
        let names = DomainNames::new(&spec.tenant_domain);

        let organization = organization(spec, &names, now);
        let domains = domains(spec.posture, &names);
        let plan = AdminPlan::new(spec.posture, spec.entra_id_p2);
        let mut users = users(spec, &names, &plan, now);
        let groups = groups(spec, now);
        let (applications, service_principals) = apps(spec, &tenant_id, &names, now);
        let (role_assignments, role_eligibilities) =
            roles(spec, &plan, &users, &groups, &service_principals, now);

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
        let reviewers = if hardened {
            // Two security admins review consent requests.
            users.iter().skip(4).take(2).map(|u| u.id.clone()).collect()
        } else {
            Vec::new()
        };
        let settings = settings(spec.posture, reviewers);

        M365Tenant {
            posture: spec.posture,
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
            ca_policies,
            named_locations,
            settings,
            failures: spec.failures.clone(),
        }
    }
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

fn domains(posture: Posture, names: &DomainNames) -> Vec<Domain> {
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
            password_validity_days: match posture {
                Posture::Weak => 90,
                Posture::Hardened => NEVER,
            },
            password_notification_days: 14,
            supported_services: vec!["Email", "OfficeCommunicationsOnline", "Intune"],
        },
    ];
    match posture {
        Posture::Weak => out.push(Domain {
            name: format!("{}-legacy.com", names.label),
            authentication_type: "Managed",
            is_default: false,
            is_initial: false,
            is_verified: false,
            password_validity_days: NEVER,
            password_notification_days: 14,
            supported_services: Vec::new(),
        }),
        Posture::Hardened => out.push(Domain {
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
}

impl AdminPlan {
    fn new(posture: Posture, p2: bool) -> Self {
        // Without P2 there is no PIM: eligible roles become permanent ones.
        let el = |h: Hold| if p2 { h } else { Hold::Permanent };
        match posture {
            Posture::Weak => {
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
                    entries,
                    break_glass: Vec::new(),
                    no_mfa: vec![3, 7, 15],
                    synced: vec![2, 5, 8, 13],
                    service_account: Some(20),
                }
            }
            Posture::Hardened => {
                let mut entries = vec![
                    (0, GLOBAL_ADMINISTRATOR, Hold::Permanent),
                    (1, GLOBAL_ADMINISTRATOR, Hold::Permanent),
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
                for (i, role) in [
                    HELPDESK_ADMINISTRATOR,
                    GLOBAL_READER,
                    "5d6b6bb7-de71-4623-b4af-96380a352509",
                ]
                .into_iter()
                .enumerate()
                {
                    entries.push((11 + i, role, Hold::Permanent));
                }
                Self {
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
    let hardened = spec.posture == Posture::Hardened;
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
        } else if hardened && is_admin {
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

        let cloud_only = guest || is_break_glass || (hardened && is_admin);
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

        let licenses = if guest || is_break_glass || is_service || (hardened && is_admin) {
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
            spec.posture,
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
    posture: Posture,
    i: usize,
    guest: bool,
    enabled: bool,
    break_glass: bool,
    admin: bool,
    plan: &AdminPlan,
) -> Vec<&'static str> {
    let roll = rng.below(100);
    match posture {
        Posture::Hardened => {
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
            match rng.below(10) {
                0..=6 => vec!["microsoftAuthenticatorPush", "softwareOneTimePasscode"],
                7 | 8 => vec![
                    "microsoftAuthenticatorPasswordless",
                    "microsoftAuthenticatorPush",
                ],
                _ => vec!["windowsHelloForBusiness", "microsoftAuthenticatorPush"],
            }
        }
        Posture::Weak => {
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

fn groups(spec: &M365Spec, now: i64) -> Vec<Group> {
    let mut rng = Rng::stream(spec.seed, "groups");
    let hardened = spec.posture == Posture::Hardened;
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
        });
    }
    out
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

fn apps(
    spec: &M365Spec,
    tenant_id: &str,
    names: &DomainNames,
    now: i64,
) -> (Vec<Application>, Vec<ServicePrincipal>) {
    let mut rng = Rng::stream(spec.seed, "apps");
    let hardened = spec.posture == Posture::Hardened;
    let n = spec.service_principals;
    let first_party = FIRST_PARTY_APPS.len().min((n / 4).max(4)).min(n);
    let rest = n - first_party;
    let own = rest * 40 / 100;
    let third = rest * 40 / 100;
    let mi = rest - own - third;

    let mut applications = Vec::with_capacity(own);
    let mut sps = Vec::with_capacity(n);

    for app in &FIRST_PARTY_APPS[..first_party] {
        sps.push(ServicePrincipal {
            id: rng.guid(),
            app_id: app.app_id.to_string(),
            display_name: app.name.to_string(),
            kind: SpKind::Microsoft,
            app_owner_organization_id: Some(MICROSOFT_TENANT_ID.to_string()),
            publisher_name: Some("Microsoft Services".to_string()),
            verified_publisher: None,
            account_enabled: true,
            app_role_assignment_required: false,
            tags: Vec::new(),
            sign_in_audience: Some("AzureADMultipleOrgs"),
            service_principal_type: "Application",
            password_credentials: Vec::new(),
            key_credentials: Vec::new(),
            alternative_names: Vec::new(),
            preferred_single_sign_on_mode: None,
            homepage: None,
            reply_urls: Vec::new(),
        });
    }

    for j in 0..own {
        let base = OWN_APPS[j % OWN_APPS.len()];
        let env = ENVIRONMENTS[(j / OWN_APPS.len()) % ENVIRONMENTS.len()];
        let round = j / (OWN_APPS.len() * ENVIRONMENTS.len());
        let name = if round > 0 {
            format!("{} {base}{env} {}", names.org, round + 1)
        } else {
            format!("{} {base}{env}", names.org)
        };
        let created = ago(&mut rng, now, 20, 1_800);
        let multi_tenant = rng.percent(if hardened { 5 } else { 20 });
        let mut password_credentials = Vec::new();
        let mut key_credentials = Vec::new();
        let secrets = if hardened {
            usize::from(rng.percent(40))
        } else {
            1 + rng.below(2)
        };
        for s in 0..secrets {
            let start = ago(&mut rng, now, 1, 700);
            let lifetime = if hardened {
                rng.range(90, 180)
            } else if rng.percent(15) {
                36_500 // "never expires" in the old portal
            } else {
                *rng.pick(&[365, 730, 730])
            };
            password_credentials.push(Credential {
                key_id: rng.guid(),
                display_name: Some(if s == 0 {
                    "client secret".to_string()
                } else {
                    format!("secret {}", s + 1)
                }),
                start,
                end: start + lifetime * DAY,
                hint: Some(rng.token(3)),
                thumbprint: None,
            });
        }
        if hardened || rng.percent(25) {
            let start = ago(&mut rng, now, 1, 300);
            key_credentials.push(Credential {
                key_id: rng.guid(),
                display_name: Some(format!("CN={}", nickname(&name).to_ascii_lowercase())),
                start,
                end: start + 365 * DAY,
                hint: None,
                thumbprint: Some(rng.token(27) + "="),
            });
        }
        let mut graph_app_roles = vec![GRAPH_APP_ROLES[0]];
        if hardened {
            if rng.percent(30) {
                graph_app_roles.push(GRAPH_APP_ROLES[5]);
            }
        } else {
            for role in &GRAPH_APP_ROLES[1..] {
                if rng.percent(12) {
                    graph_app_roles.push(*role);
                }
            }
        }
        let app_id = rng.guid();
        let app = Application {
            id: rng.guid(),
            app_id: app_id.clone(),
            display_name: name.clone(),
            created,
            sign_in_audience: if multi_tenant {
                "AzureADMultipleOrgs"
            } else {
                "AzureADMyOrg"
            },
            publisher_domain: names.default.clone(),
            password_credentials,
            key_credentials,
            graph_app_roles,
            redirect_uris: vec![format!(
                "https://{}.{}/signin-oidc",
                nickname(base).to_ascii_lowercase(),
                names.default
            )],
        };
        sps.push(ServicePrincipal {
            id: rng.guid(),
            app_id,
            display_name: name,
            kind: SpKind::Own(applications.len()),
            app_owner_organization_id: Some(tenant_id.to_string()),
            publisher_name: Some(names.org.clone()),
            verified_publisher: None,
            account_enabled: true,
            app_role_assignment_required: hardened || rng.percent(20),
            tags: vec!["HideApp", "WindowsAzureActiveDirectoryIntegratedApp"],
            sign_in_audience: Some(app.sign_in_audience),
            service_principal_type: "Application",
            password_credentials: Vec::new(),
            key_credentials: Vec::new(),
            alternative_names: Vec::new(),
            preferred_single_sign_on_mode: None,
            homepage: None,
            reply_urls: app.redirect_uris.clone(),
        });
        applications.push(app);
    }

    for j in 0..third {
        let vendor = &VENDORS[(j * 7) % VENDORS.len()];
        let round = j / VENDORS.len();
        let variant = APP_VARIANTS[round % APP_VARIANTS.len()];
        let cycle = round / APP_VARIANTS.len();
        let name = if cycle > 0 {
            format!("{}{variant} {}", vendor.app, cycle + 1)
        } else {
            format!("{}{variant}", vendor.app)
        };
        let saml = vendor.verified && rng.percent(30);
        let key_credentials = if saml {
            let start = ago(&mut rng, now, 1, 900);
            vec![Credential {
                key_id: rng.guid(),
                display_name: Some("CN=Microsoft Azure Federated SSO Certificate".to_string()),
                start,
                end: start + 3 * 365 * DAY,
                hint: None,
                thumbprint: Some(rng.token(27) + "="),
            }]
        } else {
            Vec::new()
        };
        // Secrets added directly to a third-party service principal: a persistence red flag.
        let password_credentials = if !hardened && rng.percent(4) {
            let start = ago(&mut rng, now, 1, 60);
            vec![Credential {
                key_id: rng.guid(),
                display_name: None,
                start,
                end: start + 730 * DAY,
                hint: Some(rng.token(3)),
                thumbprint: None,
            }]
        } else {
            Vec::new()
        };
        let slug: String = vendor
            .app
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        sps.push(ServicePrincipal {
            id: rng.guid(),
            app_id: rng.guid(),
            display_name: name,
            kind: SpKind::ThirdParty,
            app_owner_organization_id: Some(
                Rng::stream(spec.seed ^ (j as u64 % VENDORS.len() as u64), vendor.app).guid(),
            ),
            publisher_name: Some(vendor.publisher.to_string()),
            verified_publisher: vendor.verified.then(|| {
                (
                    vendor.publisher.to_string(),
                    format!("{}", 1_000_000 + (j % VENDORS.len()) * 7_919),
                    now - 900 * DAY,
                )
            }),
            account_enabled: true,
            app_role_assignment_required: hardened && rng.percent(70),
            tags: if saml {
                vec![
                    "WindowsAzureActiveDirectoryCustomSingleSignOnApplication",
                    "WindowsAzureActiveDirectoryIntegratedApp",
                ]
            } else {
                vec!["WindowsAzureActiveDirectoryIntegratedApp"]
            },
            sign_in_audience: Some("AzureADMultipleOrgs"),
            service_principal_type: "Application",
            password_credentials,
            key_credentials,
            alternative_names: Vec::new(),
            preferred_single_sign_on_mode: saml.then_some("saml"),
            homepage: Some(format!("https://www.{slug}.example")),
            reply_urls: vec![format!("https://login.{slug}.example/oauth2/callback")],
        });
    }

    let sub = Rng::stream(spec.seed, "subscription").guid();
    for j in 0..mi {
        let kind = *rng.pick(&[
            "sites",
            "virtualMachines",
            "automationAccounts",
            "workflows",
        ]);
        let provider = match kind {
            "sites" => "Microsoft.Web",
            "virtualMachines" => "Microsoft.Compute",
            "automationAccounts" => "Microsoft.Automation",
            _ => "Microsoft.Logic",
        };
        let name = format!(
            "{}-{}-{:03}",
            names.label,
            kind.trim_end_matches('s').to_ascii_lowercase(),
            j + 1
        );
        let app_id = rng.guid();
        sps.push(ServicePrincipal {
            id: rng.guid(),
            app_id: app_id.clone(),
            display_name: name.clone(),
            kind: SpKind::ManagedIdentity,
            app_owner_organization_id: None,
            publisher_name: None,
            verified_publisher: None,
            account_enabled: true,
            app_role_assignment_required: false,
            tags: Vec::new(),
            sign_in_audience: None,
            service_principal_type: "ManagedIdentity",
            password_credentials: Vec::new(),
            key_credentials: Vec::new(),
            alternative_names: vec![
                "isExplicit=False".to_string(),
                format!(
                    "/subscriptions/{sub}/resourcegroups/rg-{}/providers/{provider}/{kind}/{name}",
                    names.label
                ),
            ],
            preferred_single_sign_on_mode: None,
            homepage: None,
            reply_urls: Vec::new(),
        });
    }
    (applications, sps)
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
    let hardened = spec.posture == Posture::Hardened;
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
            Hold::Permanent => {
                if active.len() < spec.role_assignments
                    && seen_active.insert((role, user.id.clone()))
                {
                    active.push(RoleAssignment {
                        id: assignment_id(role, &user.id, "-1"),
                        role_definition_id: role,
                        principal_id: user.id.clone(),
                        assignment_type: AssignmentType::Assigned,
                        start: user.created + DAY,
                        end: None,
                        schedule_id: rng.guid(),
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

fn named_locations(spec: &M365Spec, now: i64) -> Vec<NamedLocation> {
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
const ADMIN_ROLES: [&str; 8] = [
    GLOBAL_ADMINISTRATOR,
    PRIVILEGED_ROLE_ADMINISTRATOR,
    SECURITY_ADMINISTRATOR,
    EXCHANGE_ADMINISTRATOR,
    SHAREPOINT_ADMINISTRATOR,
    USER_ADMINISTRATOR,
    APPLICATION_ADMINISTRATOR,
    CLOUD_APPLICATION_ADMINISTRATOR,
];

fn ca_policies(
    spec: &M365Spec,
    users: &[User],
    groups: &[Group],
    locations: &[NamedLocation],
    now: i64,
) -> Vec<CaPolicy> {
    let mut rng = Rng::stream(spec.seed, "ca");
    let all = || vec![ALL.to_string()];
    let roles = || {
        ADMIN_ROLES
            .iter()
            .map(|r| r.to_string())
            .collect::<Vec<_>>()
    };
    let loc = |i: usize| {
        locations
            .get(i)
            .map(|l| l.id().to_string())
            .unwrap_or_default()
    };
    let mut out: Vec<CaPolicy> = Vec::new();
    match spec.posture {
        Posture::Weak => {
            let exclusions: Vec<String> = groups
                .get(GROUP_CA_EXCLUSIONS)
                .map(|g| g.id.clone())
                .into_iter()
                .collect();
            let svc: Vec<String> = users.get(20).map(|u| u.id.clone()).into_iter().collect();

            let mut p = policy(&mut rng, "Require MFA for all users".into(), "enabled", now);
            p.include_users = all();
            p.exclude_groups = exclusions.clone();
            p.grant = require(vec!["mfa"]);
            out.push(p);

            let mut p = policy(
                &mut rng,
                "Block legacy authentication".into(),
                "enabledForReportingButNotEnforced",
                now,
            );
            p.include_users = all();
            p.client_app_types = LEGACY_CLIENTS.to_vec();
            p.grant = block();
            out.push(p);

            let mut p = policy(
                &mut rng,
                "Block legacy authentication (except scanner)".into(),
                "enabled",
                now,
            );
            p.include_users = all();
            p.exclude_users = svc;
            p.client_app_types = LEGACY_CLIENTS.to_vec();
            p.grant = block();
            out.push(p);

            let mut p = policy(
                &mut rng,
                "Require MFA for administrators".into(),
                "enabled",
                now,
            );
            p.include_roles = roles();
            p.grant = require(vec!["mfa"]);
            out.push(p);

            let mut p = policy(
                &mut rng,
                "Require compliant device for Office 365".into(),
                "disabled",
                now,
            );
            p.include_users = all();
            p.include_applications = vec!["Office365".to_string()];
            p.grant = require(vec!["compliantDevice", "domainJoinedDevice"]);
            out.push(p);

            let mut p = policy(
                &mut rng,
                "Block sign-ins from high-risk countries".into(),
                "enabled",
                now,
            );
            p.include_users = all();
            p.exclude_groups = exclusions;
            p.locations = Some((vec![loc(3)], Vec::new()));
            p.grant = block();
            out.push(p);
        }
        Posture::Hardened => {
            let mut p = policy(
                &mut rng,
                "BLOCK - Legacy authentication".into(),
                "enabled",
                now,
            );
            p.include_users = all();
            p.client_app_types = LEGACY_CLIENTS.to_vec();
            p.grant = block();
            out.push(p);

            let mut p = policy(&mut rng, "BLOCK - High user risk".into(), "enabled", now);
            p.include_users = all();
            p.user_risk_levels = vec!["high"];
            p.grant = block();
            out.push(p);

            let mut p = policy(&mut rng, "BLOCK - High sign-in risk".into(), "enabled", now);
            p.include_users = all();
            p.sign_in_risk_levels = vec!["high"];
            p.grant = block();
            out.push(p);

            let mut p = policy(&mut rng, "GRANT - MFA for all users".into(), "enabled", now);
            p.include_users = all();
            p.grant = strength(&STRENGTH_MFA);
            out.push(p);

            let mut p = policy(
                &mut rng,
                "GRANT - Phishing-resistant MFA for administrators".into(),
                "enabled",
                now,
            );
            p.include_roles = roles();
            p.grant = strength(&STRENGTH_PHISHING_RESISTANT);
            out.push(p);

            let mut p = policy(
                &mut rng,
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
                &mut rng,
                "SESSION - Administrator sign-in frequency".into(),
                "enabled",
                now,
            );
            p.include_roles = roles();
            p.session = Some(Session {
                sign_in_frequency_hours: Some(4),
                persistent_browser_never: true,
                application_enforced_restrictions: false,
            });
            out.push(p);

            let mut p = policy(
                &mut rng,
                "BLOCK - Countries not allowed".into(),
                "enabled",
                now,
            );
            p.include_users = all();
            p.locations = Some((all(), vec![loc(2), "AllTrusted".to_string()]));
            p.grant = block();
            out.push(p);
        }
    }
    out.truncate(spec.ca_policies);

    // Noise up to the requested count: varied but posture-neutral.
    let hardened = spec.posture == Posture::Hardened;
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
        let p = match k % 7 {
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
        out.push(p);
    }
    out
}

fn grants(spec: &M365Spec, users: &[User], sps: &[ServicePrincipal]) -> Vec<OAuth2Grant> {
    let mut rng = Rng::stream(spec.seed, "grants");
    let hardened = spec.posture == Posture::Hardened;
    let graph = sps.iter().find(|s| s.app_id == MICROSOFT_GRAPH_APP_ID);
    let Some(graph) = graph else {
        return Vec::new();
    };
    let members: Vec<&User> = users
        .iter()
        .filter(|u| !u.guest && u.account_enabled)
        .collect();
    let mut out = Vec::new();
    let mut third_index = 0usize;
    for sp in sps {
        match sp.kind {
            SpKind::Own(_) => {
                if rng.percent(80) {
                    out.push(OAuth2Grant {
                        id: rng.token(43),
                        client_id: sp.id.clone(),
                        principal_id: None,
                        resource_id: graph.id.clone(),
                        scope: "openid profile email User.Read".to_string(),
                    });
                }
            }
            SpKind::ThirdParty => {
                let vendor = &VENDORS[(third_index * 7) % VENDORS.len()];
                third_index += 1;
                let admin_consent = if hardened {
                    vendor.verified && rng.percent(70)
                } else {
                    rng.percent(50)
                };
                if admin_consent {
                    out.push(OAuth2Grant {
                        id: rng.token(43),
                        client_id: sp.id.clone(),
                        principal_id: None,
                        resource_id: graph.id.clone(),
                        scope: vendor.scopes.to_string(),
                    });
                }
                if !hardened && !members.is_empty() {
                    let n = if vendor.verified {
                        rng.below(4)
                    } else {
                        2 + rng.below(5)
                    };
                    let mut chosen = HashSet::new();
                    for _ in 0..n {
                        let u = rng.pick(&members);
                        if chosen.insert(u.id.as_str()) {
                            out.push(OAuth2Grant {
                                id: rng.token(43),
                                client_id: sp.id.clone(),
                                principal_id: Some(u.id.clone()),
                                resource_id: graph.id.clone(),
                                scope: vendor.scopes.to_string(),
                            });
                        }
                    }
                }
            }
            SpKind::Microsoft | SpKind::ManagedIdentity => {}
        }
    }
    out
}

fn settings(posture: Posture, reviewers: Vec<String>) -> Settings {
    let method = |id, enabled| AuthMethod { id, enabled };
    let owned_resource = [
        "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-chat",
        "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team",
    ];
    match posture {
        Posture::Weak => Settings {
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
            admin_consent_reviewers: reviewers,
            cross_tenant_customized: false,
            sharepoint_sharing_capability: "externalUserAndGuestSharing",
            sharepoint_domain_restriction_mode: "none",
            sharepoint_allowed_domains: Vec::new(),
            sharepoint_legacy_auth: true,
            sharepoint_resharing_by_external_users: true,
            sharepoint_idle_sign_out: false,
        },
        Posture::Hardened => Settings {
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
        },
    }
}
