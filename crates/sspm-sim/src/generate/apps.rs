//! Applications: app registrations and service principals (Microsoft, the tenant's own,
//! third-party, managed identities), their owners, the application permissions granted
//! on the first-party APIs and the delegated permission grants.

use super::*;

pub(super) fn apps(
    spec: &M365Spec,
    tenant_id: &str,
    names: &DomainNames,
    now: i64,
) -> (Vec<Application>, Vec<ServicePrincipal>) {
    let mut rng = Rng::stream(spec.seed, "apps");
    let hardened = strong(spec, "apps");
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
            owners: Vec::new(),
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
        // A hardened tenant's apps authenticate with certificates only.
        let secrets = if hardened { 0 } else { 1 + rng.below(2) };
        for s in 0..secrets {
            let lifetime = if hardened {
                rng.range(90, 180)
            } else if rng.percent(15) {
                36_500 // "never expires" in the old portal
            } else {
                *rng.pick(&[365, 730, 730])
            };
            // Hardened secrets are rotated before they expire; a weak tenant's first
            // app still carries a secret that expired weeks ago.
            let start = if hardened {
                ago(&mut rng, now, 1, lifetime - 1)
            } else if j == 0 && s == 0 {
                now - (lifetime + rng.range(20, 90)) * DAY
            } else {
                ago(&mut rng, now, 1, 700)
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
            for (k, role) in GRAPH_APP_ROLES.iter().enumerate().skip(1) {
                // The weak tenant's first app was given Directory.ReadWrite.All "to make
                // it work".
                if rng.percent(12) || (j == 0 && k == 1) {
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
            owners: Vec::new(),
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
            owners: Vec::new(),
        });
        applications.push(app);
    }

    let mut foreign_secret = false;
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
        // Secrets added directly to a third-party service principal: a persistence red
        // flag (always on one of a weak tenant's, the first that is not set up for SAML).
        let password_credentials = if !hardened && !saml && (!foreign_secret || rng.percent(4)) {
            foreign_secret = true;
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
            owners: Vec::new(),
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
            owners: Vec::new(),
        });
    }
    (applications, sps)
}

/// Owners of the app registrations and of their service principals: members of the
/// directory (and, in a hardened tenant, the Application Administrator).
pub(super) fn owners(
    spec: &M365Spec,
    users: &[User],
    applications: &mut [Application],
    sps: &mut [ServicePrincipal],
) {
    let mut rng = Rng::stream(spec.seed, "owners");
    let hardened = strong(spec, "apps");
    let mut pool: Vec<usize> = (RESERVED_USERS..users.len())
        .filter(|&i| !users[i].guest && users[i].account_enabled)
        .collect();
    if pool.is_empty() {
        pool = (0..users.len()).filter(|&i| !users[i].guest).collect();
    }
    // The hardened plan's Application Administrator owns every registration.
    let app_admin = (hardened && users.len() > 9).then_some(9);
    for app in applications.iter_mut() {
        app.owners.extend(app_admin);
        if !pool.is_empty() {
            for _ in 0..1 + rng.below(2) {
                let i = *rng.pick(&pool);
                if !app.owners.contains(&i) {
                    app.owners.push(i);
                }
            }
        }
    }
    for sp in sps.iter_mut() {
        if let SpKind::Own(j) = sp.kind {
            if let Some(app) = applications.get(j) {
                if hardened || rng.percent(40) {
                    sp.owners = app.owners.iter().take(1).copied().collect();
                }
            }
        }
    }
}

/// Exchange Online's `Exchange.ManageAsApp` application permission.
const EXCHANGE_MANAGE_AS_APP: &str = "dc50a0fb-09a3-484d-be87-e023b12c6440";
/// SharePoint Online's `Sites.FullControl.All` application permission.
const SHAREPOINT_SITES_FULL_CONTROL: &str = "678536fe-1083-478a-9c59-b99265e6b0d3";
/// Microsoft Graph's `Mail.Read` application permission.
const GRAPH_MAIL_READ: &str = "810c84a8-4a9e-49e6-bf7d-12d183f40d01";

/// The application permissions granted (admin consent) on Microsoft Graph, Exchange
/// Online and SharePoint Online: what the tenant's own apps request, and what some
/// third-party apps and managed identities were given.
pub(super) fn app_role_assignments(
    spec: &M365Spec,
    applications: &[Application],
    sps: &[ServicePrincipal],
    now: i64,
) -> Vec<AppRoleAssignment> {
    let mut rng = Rng::stream(spec.seed, "app-role-assignments");
    let hardened = strong(spec, "apps");
    let resource = |app_id: &str| sps.iter().find(|s| s.app_id == app_id);
    let (graph, exchange, sharepoint) = (
        resource(MICROSOFT_GRAPH_APP_ID),
        resource(EXCHANGE_ONLINE_APP_ID),
        resource(SHAREPOINT_ONLINE_APP_ID),
    );
    let mut out = Vec::new();
    let mut grant = |rng: &mut Rng,
                     client: &ServicePrincipal,
                     res: Option<&ServicePrincipal>,
                     role: &'static str| {
        let Some(res) = res else { return };
        let mut bytes = guid_dotnet_bytes(&client.id).unwrap_or_default().to_vec();
        bytes.extend_from_slice(&rng.bytes16());
        out.push(AppRoleAssignment {
            id: base64url(&bytes),
            principal_id: client.id.clone(),
            principal_display_name: client.display_name.clone(),
            resource_id: res.id.clone(),
            resource_display_name: res.display_name.clone(),
            app_role_id: role,
            created: ago(rng, now, 5, 900),
        });
    };
    let mut own = 0usize;
    let mut third = 0usize;
    for sp in sps {
        match sp.kind {
            SpKind::Own(j) => {
                if let Some(app) = applications.get(j) {
                    for (_, role) in &app.graph_app_roles {
                        grant(&mut rng, sp, graph, role);
                    }
                }
                // The first app reads Exchange settings (app-only Exchange PowerShell);
                // a weak tenant's second one was given full control of every site.
                if own == 0 {
                    grant(&mut rng, sp, exchange, EXCHANGE_MANAGE_AS_APP);
                }
                if own == 1 && !hardened {
                    grant(&mut rng, sp, sharepoint, SHAREPOINT_SITES_FULL_CONTROL);
                }
                own += 1;
            }
            SpKind::ThirdParty => {
                let vendor = &VENDORS[(third * 7) % VENDORS.len()];
                third += 1;
                if !vendor.verified && !hardened {
                    grant(&mut rng, sp, graph, GRAPH_MAIL_READ);
                } else if vendor.verified && rng.percent(30) {
                    grant(&mut rng, sp, graph, GRAPH_APP_ROLES[0].1);
                }
            }
            SpKind::ManagedIdentity => {
                if rng.percent(50) {
                    grant(&mut rng, sp, graph, GRAPH_APP_ROLES[0].1);
                }
            }
            SpKind::Microsoft => {}
        }
    }
    out
}

pub(super) fn grants(
    spec: &M365Spec,
    users: &[User],
    sps: &[ServicePrincipal],
) -> Vec<OAuth2Grant> {
    let mut rng = Rng::stream(spec.seed, "grants");
    let hardened = strong(spec, "apps");
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
                // A hardened tenant's admins consent for everyone only to verified apps
                // that read no mail or files; a weak one's consented to every
                // unverified app that asked.
                let admin_consent = if hardened {
                    vendor.verified && !risky_scopes(vendor.scopes) && rng.percent(70)
                } else {
                    !vendor.verified || rng.percent(50)
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

/// Delegated scopes that reach every consenting user's mail or files, or write the
/// directory.
fn risky_scopes(scopes: &str) -> bool {
    scopes.split(' ').any(|s| {
        s.starts_with("Mail.")
            || s.starts_with("Files.")
            || s.starts_with("Sites.")
            || s.ends_with(".ReadWrite.All") && !s.starts_with("Calendars.")
            || s == "Directory.AccessAsUser.All"
    })
}
