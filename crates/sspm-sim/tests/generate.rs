//! Behaviour of the Microsoft 365 snapshot generator.

use std::collections::HashSet;

use serde_json::Value;
use sspm_model::Snapshot;
use sspm_sim::catalog::GLOBAL_ADMINISTRATOR;
use sspm_sim::{
    failures, generate_m365, generate_m365_json, with_failure, M365Spec, M365Tenant, Posture,
    Resource, EXO_CMDLETS, USER_SELECT,
};

fn list<'a>(s: &'a Snapshot, path: &str) -> &'a Vec<Value> {
    s.resources
        .get(&format!("graph:{path}"))
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("{path} missing or not a list"))
}

fn object<'a>(s: &'a Snapshot, path: &str) -> &'a Value {
    let v = s
        .resources
        .get(&format!("graph:{path}"))
        .unwrap_or_else(|| panic!("{path} missing"));
    assert!(v.is_object(), "{path} is not an object");
    v
}

fn medium(posture: Posture) -> M365Spec {
    M365Spec {
        users: 600,
        groups: 80,
        service_principals: 150,
        ca_policies: 40,
        role_assignments: 120,
        ..M365Spec::small(posture)
    }
}

fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && parts.iter().all(|p| {
            p.chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        })
}

/// Distinct principals holding Global Administrator, active or eligible.
fn global_admins(s: &Snapshot) -> HashSet<String> {
    let mut out = HashSet::new();
    for path in [
        "/v1.0/roleManagement/directory/roleAssignments",
        "/v1.0/roleManagement/directory/roleEligibilityScheduleInstances",
    ] {
        if let Some(Value::Array(items)) = s.resources.get(&format!("graph:{path}")) {
            for a in items {
                if a["roleDefinitionId"] == GLOBAL_ADMINISTRATOR {
                    out.insert(a["principalId"].as_str().unwrap_or_default().to_string());
                }
            }
        }
    }
    out
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let spec = M365Spec::small(Posture::Weak);
    let a = serde_json::to_string(&generate_m365(&spec)).unwrap();
    let b = serde_json::to_string(&generate_m365(&spec)).unwrap();
    assert_eq!(a, b);
    let c = serde_json::to_string(&generate_m365(&M365Spec { seed: 43, ..spec })).unwrap();
    assert_ne!(a, c);
}

#[test]
fn streamed_json_equals_serialized_snapshot() {
    for posture in [Posture::Weak, Posture::Hardened] {
        let spec = medium(posture).with_failure(
            failures::USER_REGISTRATION_DETAILS,
            failures::registration_details_forbidden(),
        );
        let streamed = generate_m365_json(&spec);
        assert_eq!(
            streamed,
            serde_json::to_string(&generate_m365(&spec)).unwrap()
        );
        let back: Snapshot = serde_json::from_str(&streamed).unwrap();
        assert_eq!(back, generate_m365(&spec));
    }
}

#[test]
fn counts_match_the_spec() {
    for posture in [Posture::Weak, Posture::Hardened, Posture::Mixed] {
        for spec in [M365Spec::small(posture), medium(posture)] {
            let s = generate_m365(&spec);
            let tenant = M365Tenant::generate(&spec);
            assert_eq!(list(&s, "/v1.0/users").len(), spec.users);
            assert_eq!(
                list(
                    &s,
                    "/v1.0/reports/authenticationMethods/userRegistrationDetails"
                )
                .len(),
                spec.users
            );
            assert_eq!(list(&s, "/v1.0/groups").len(), spec.groups);
            assert_eq!(
                list(&s, "/v1.0/servicePrincipals").len(),
                spec.service_principals
            );
            assert_eq!(
                list(&s, "/v1.0/identity/conditionalAccess/policies").len(),
                spec.ca_policies
            );
            assert_eq!(
                list(&s, "/v1.0/roleManagement/directory/roleAssignments").len(),
                spec.role_assignments
            );
            assert_eq!(
                list(
                    &s,
                    "/v1.0/roleManagement/directory/roleAssignmentScheduleInstances"
                )
                .len(),
                spec.role_assignments
            );
            assert_eq!(list(&s, "/v1.0/organization").len(), 1);
            assert_eq!(
                list(&s, "/v1.0/policies/roleManagementPolicyAssignments").len(),
                sspm_sim::catalog::BUILT_IN_ROLES.len()
            );
            // Every endpoint, every per-object list the connector reads, every cmdlet.
            assert_eq!(
                s.resources.len(),
                Resource::ALL.len() + tenant.sub_lists().len() + EXO_CMDLETS.len()
            );
        }
    }
}

#[test]
fn keys_are_graph_paths_without_query() {
    let spec = M365Spec::small(Posture::Hardened);
    let s = generate_m365(&spec);
    let tenant = M365Tenant::generate(&spec);
    let mut subs = 0;
    for key in s.resources.keys() {
        if let Some(cmdlet) = key.strip_prefix("exo:") {
            assert!(EXO_CMDLETS.contains(&cmdlet), "{key}");
            assert!(s.resources[key].is_array(), "{key}");
            continue;
        }
        assert!(key.starts_with("graph:/v1.0/"), "{key}");
        assert!(!key.contains('?'), "{key}");
        let path = &key["graph:".len()..];
        if Resource::from_path(path).is_none() {
            let sub = tenant.sub_list(path);
            assert!(sub.is_some(), "{key}");
            assert!(s.resources[key].is_array(), "{key}");
            subs += 1;
        }
    }
    // Members of the role-assignable group, owners of every app and of their service
    // principals, and the permissions granted on Graph, Exchange and SharePoint.
    assert_eq!(subs, tenant.sub_lists().len());
    assert!(s.resources.keys().any(|k| k.ends_with("/members")));
    assert_eq!(
        s.resources
            .keys()
            .filter(|k| k.ends_with("/appRoleAssignedTo"))
            .count(),
        3
    );
    for r in Resource::ALL {
        assert_eq!(r.is_list(), s.resources[&r.key()].is_array(), "{r:?}");
    }
}

#[test]
fn ids_are_guids_and_unique() {
    let s = generate_m365(&medium(Posture::Weak));
    for path in [
        "/v1.0/users",
        "/v1.0/groups",
        "/v1.0/servicePrincipals",
        "/v1.0/applications",
        "/v1.0/identity/conditionalAccess/policies",
        "/v1.0/identity/conditionalAccess/namedLocations",
        "/v1.0/roleManagement/directory/roleDefinitions",
    ] {
        let items = list(&s, path);
        let mut seen = HashSet::new();
        for item in items {
            let id = item["id"].as_str().unwrap();
            assert!(is_guid(id), "{path}: {id}");
            assert!(seen.insert(id), "{path}: duplicate {id}");
        }
    }
    for sp in list(&s, "/v1.0/servicePrincipals") {
        assert!(is_guid(sp["appId"].as_str().unwrap()));
    }
    let org = &list(&s, "/v1.0/organization")[0];
    assert!(is_guid(org["id"].as_str().unwrap()));
    // Role assignment ids are Graph's base64url form and unique.
    let mut seen = HashSet::new();
    for a in list(&s, "/v1.0/roleManagement/directory/roleAssignments") {
        let id = a["id"].as_str().unwrap();
        assert!(id.ends_with("-1") && id.len() == 45, "{id}");
        assert!(seen.insert(id.to_string()), "duplicate assignment {id}");
    }
}

#[test]
fn references_point_at_existing_objects() {
    let s = generate_m365(&medium(Posture::Weak));
    let ids = |path: &str| -> HashSet<String> {
        list(&s, path)
            .iter()
            .map(|v| v["id"].as_str().unwrap().to_string())
            .collect()
    };
    let users = ids("/v1.0/users");
    let groups = ids("/v1.0/groups");
    let sps = ids("/v1.0/servicePrincipals");
    let roles = ids("/v1.0/roleManagement/directory/roleDefinitions");
    for a in list(&s, "/v1.0/roleManagement/directory/roleAssignments") {
        let p = a["principalId"].as_str().unwrap();
        assert!(users.contains(p) || groups.contains(p) || sps.contains(p));
        assert!(roles.contains(a["roleDefinitionId"].as_str().unwrap()));
    }
    for g in list(&s, "/v1.0/oauth2PermissionGrants") {
        assert!(sps.contains(g["clientId"].as_str().unwrap()));
        assert!(sps.contains(g["resourceId"].as_str().unwrap()));
        match g["consentType"].as_str().unwrap() {
            "AllPrincipals" => assert!(g["principalId"].is_null()),
            "Principal" => assert!(users.contains(g["principalId"].as_str().unwrap())),
            other => panic!("consentType {other}"),
        }
    }
    for p in list(&s, "/v1.0/identity/conditionalAccess/policies") {
        for g in p["conditions"]["users"]["excludeGroups"]
            .as_array()
            .unwrap()
        {
            assert!(groups.contains(g.as_str().unwrap()));
        }
    }
    let details = list(
        &s,
        "/v1.0/reports/authenticationMethods/userRegistrationDetails",
    );
    for (u, d) in list(&s, "/v1.0/users").iter().zip(details) {
        assert_eq!(u["id"], d["id"]);
        assert_eq!(
            d["userType"],
            if u["userType"] == "Guest" {
                "guest"
            } else {
                "member"
            }
        );
    }
}

#[test]
fn weak_posture_invariants() {
    for spec in [M365Spec::small(Posture::Weak), medium(Posture::Weak)] {
        let s = generate_m365(&spec);
        assert_eq!(global_admins(&s).len(), 12, "12 global admins");
        let domains = list(&s, "/v1.0/domains");
        assert!(domains
            .iter()
            .any(|d| d["isVerified"] == true && d["passwordValidityPeriodInDays"] == 90));
        let auth = object(&s, "/v1.0/policies/authorizationPolicy");
        assert_eq!(auth["allowInvitesFrom"], "everyone");
        assert_eq!(
            auth["guestUserRoleId"],
            "a0b1b346-4d3e-4e8b-98f8-753987be4970"
        );
        assert_eq!(
            auth["defaultUserRolePermissions"]["allowedToCreateApps"],
            true
        );
        assert!(
            auth["defaultUserRolePermissions"]["permissionGrantPoliciesAssigned"]
                .as_array()
                .unwrap()
                .contains(&Value::from(
                    "ManagePermissionGrantsForSelf.microsoft-user-default-legacy"
                ))
        );
        assert_eq!(
            object(&s, "/v1.0/policies/adminConsentRequestPolicy")["isEnabled"],
            false
        );
        let methods = &object(&s, "/v1.0/policies/authenticationMethodsPolicy")
            ["authenticationMethodConfigurations"];
        for id in ["Sms", "Voice"] {
            assert!(methods
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["id"] == id && m["state"] == "enabled"));
        }
        let policies = list(&s, "/v1.0/identity/conditionalAccess/policies");
        let legacy_block_for_all = policies.iter().any(|p| {
            p["state"] == "enabled"
                && p["conditions"]["users"]["includeUsers"] == serde_json::json!(["All"])
                && p["conditions"]["users"]["excludeUsers"]
                    .as_array()
                    .unwrap()
                    .is_empty()
                && p["conditions"]["clientAppTypes"]
                    .as_array()
                    .unwrap()
                    .contains(&Value::from("other"))
                && p["grantControls"]["builtInControls"] == serde_json::json!(["block"])
        });
        assert!(
            !legacy_block_for_all,
            "legacy auth must not be fully blocked"
        );
        assert!(policies.iter().all(|p| p["conditions"]["userRiskLevels"]
            .as_array()
            .unwrap()
            .is_empty()));
        let details = list(
            &s,
            "/v1.0/reports/authenticationMethods/userRegistrationDetails",
        );
        let members: Vec<_> = details
            .iter()
            .filter(|d| d["userType"] == "member")
            .collect();
        let registered = members
            .iter()
            .filter(|d| d["isMfaRegistered"] == true)
            .count();
        let pct = registered * 100 / members.len();
        assert!((45..=80).contains(&pct), "{pct}% registered");
    }
}

#[test]
fn hardened_posture_invariants() {
    for spec in [
        M365Spec::small(Posture::Hardened),
        medium(Posture::Hardened),
        M365Spec {
            entra_id_p2: false,
            ..M365Spec::small(Posture::Hardened)
        },
    ] {
        let s = generate_m365(&spec);
        let gas = global_admins(&s);
        assert!((2..=8).contains(&gas.len()), "{} global admins", gas.len());
        let active_gas = list(&s, "/v1.0/roleManagement/directory/roleAssignments")
            .iter()
            .filter(|a| a["roleDefinitionId"] == GLOBAL_ADMINISTRATOR)
            .count();
        assert!((2..=8).contains(&active_gas));
        for d in list(&s, "/v1.0/domains")
            .iter()
            .filter(|d| d["isVerified"] == true)
        {
            assert_eq!(d["passwordValidityPeriodInDays"], 2_147_483_647);
        }
        let auth = object(&s, "/v1.0/policies/authorizationPolicy");
        assert_eq!(auth["allowInvitesFrom"], "adminsAndGuestInviters");
        assert_eq!(
            auth["guestUserRoleId"],
            "2af84b1e-32c8-42b7-82bc-daa82404023b"
        );
        assert_eq!(
            auth["defaultUserRolePermissions"]["allowedToCreateApps"],
            false
        );
        for p in auth["defaultUserRolePermissions"]["permissionGrantPoliciesAssigned"]
            .as_array()
            .unwrap()
        {
            assert!(p
                .as_str()
                .unwrap()
                .starts_with("ManagePermissionGrantsForOwnedResource."));
        }
        let consent = object(&s, "/v1.0/policies/adminConsentRequestPolicy");
        assert_eq!(consent["isEnabled"], true);
        assert!(!consent["reviewers"].as_array().unwrap().is_empty());
        let methods = &object(&s, "/v1.0/policies/authenticationMethodsPolicy")
            ["authenticationMethodConfigurations"];
        for id in ["Sms", "Voice", "Email"] {
            assert!(methods
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["id"] == id && m["state"] == "disabled"));
        }
        let policies = list(&s, "/v1.0/identity/conditionalAccess/policies");
        let for_all = |p: &&Value| {
            p["state"] == "enabled"
                && p["conditions"]["users"]["includeUsers"] == serde_json::json!(["All"])
                && p["conditions"]["users"]["excludeUsers"]
                    .as_array()
                    .unwrap()
                    .is_empty()
                && p["conditions"]["users"]["excludeGroups"]
                    .as_array()
                    .unwrap()
                    .is_empty()
                && p["conditions"]["users"]["excludeRoles"]
                    .as_array()
                    .unwrap()
                    .is_empty()
                && p["conditions"]["applications"]["includeApplications"]
                    == serde_json::json!(["All"])
        };
        let blocks =
            |p: &&Value| p["grantControls"]["builtInControls"] == serde_json::json!(["block"]);
        assert!(policies.iter().filter(for_all).filter(blocks).any(|p| {
            p["conditions"]["clientAppTypes"] == serde_json::json!(["exchangeActiveSync", "other"])
        }));
        assert!(policies
            .iter()
            .filter(for_all)
            .filter(blocks)
            .any(|p| p["conditions"]["userRiskLevels"] == serde_json::json!(["high"])));
        assert!(policies
            .iter()
            .filter(for_all)
            .filter(blocks)
            .any(|p| p["conditions"]["signInRiskLevels"] == serde_json::json!(["high"])));
        assert!(policies
            .iter()
            .filter(for_all)
            .any(|p| !p["grantControls"]["authenticationStrength"].is_null()));
        let users = list(&s, "/v1.0/users");
        let details = list(
            &s,
            "/v1.0/reports/authenticationMethods/userRegistrationDetails",
        );
        for (u, d) in users.iter().zip(details) {
            if u["userType"] == "Member" && u["accountEnabled"] == true {
                assert_eq!(d["isMfaRegistered"], true, "{}", u["userPrincipalName"]);
                assert_eq!(d["isMfaCapable"], true, "{}", u["userPrincipalName"]);
            }
        }
    }
}

#[test]
fn guests_and_disabled_users_look_like_graph() {
    let s = generate_m365(&medium(Posture::Weak));
    let users = list(&s, "/v1.0/users");
    let guests: Vec<_> = users.iter().filter(|u| u["userType"] == "Guest").collect();
    assert!(!guests.is_empty());
    for g in &guests {
        assert!(g["userPrincipalName"].as_str().unwrap().contains("#EXT#@"));
    }
    let pct = guests.len() * 100 / users.len();
    assert!((2..=9).contains(&pct), "{pct}% guests");
    let disabled = users
        .iter()
        .filter(|u| u["accountEnabled"] == false)
        .count();
    assert!(disabled > 0 && disabled * 100 / users.len() <= 7);
}

#[test]
fn users_hold_exactly_the_selected_properties() {
    let s = generate_m365(&medium(Posture::Weak));
    let selected: HashSet<&str> = USER_SELECT.iter().copied().collect();
    for user in list(&s, "/v1.0/users") {
        let keys: HashSet<&str> = user
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, selected, "{user}");
    }
}

#[test]
fn failures_replace_resources() {
    let spec = M365Spec {
        entra_id_p2: false,
        ..M365Spec::small(Posture::Weak)
    }
    .with_failure(
        failures::ROLE_ELIGIBILITY_SCHEDULE_INSTANCES,
        failures::pim_licence_required(),
    );
    let s = generate_m365(&spec);
    assert!(!s
        .resources
        .contains_key(failures::ROLE_ELIGIBILITY_SCHEDULE_INSTANCES));
    assert_eq!(
        s.failures[failures::ROLE_ELIGIBILITY_SCHEDULE_INSTANCES].status,
        400
    );
    assert_eq!(
        global_admins(&s).len(),
        12,
        "without PIM all GAs are permanent"
    );

    let s = with_failure(
        s,
        failures::USER_REGISTRATION_DETAILS,
        failures::registration_details_forbidden(),
    );
    assert!(!s
        .resources
        .contains_key(failures::USER_REGISTRATION_DETAILS));
    let f = &s.failures[failures::USER_REGISTRATION_DETAILS];
    assert_eq!(
        (f.status, f.code.as_deref()),
        (403, Some("Authorization_RequestDenied"))
    );
    assert_eq!(f.needs.as_deref(), Some("AuditLog.Read.All; Entra ID P1"));
}

#[test]
fn tenant_model_serves_pages() {
    let tenant = M365Tenant::generate(&medium(Posture::Hardened));
    let n = tenant.len(Resource::Users).unwrap();
    assert_eq!(n, 600);
    assert!(tenant.item(Resource::Users, n).is_none());
    assert_eq!(
        tenant.item(Resource::Users, 0).unwrap()["id"],
        tenant.users[0].id
    );
    assert!(tenant.len(Resource::AuthorizationPolicy).is_none());
    assert_eq!(
        tenant.object(Resource::AuthorizationPolicy).unwrap()["id"],
        "authorizationPolicy"
    );
    assert_eq!(
        Resource::from_path("/v1.0/users?$select=id&$top=999"),
        Some(Resource::Users)
    );
    assert_eq!(Resource::from_path("/beta/users"), None);
}

#[test]
fn collected_at_drives_dates() {
    let spec = M365Spec {
        collected_at: "2030-01-01T00:00:00Z".to_string(),
        ..M365Spec::small(Posture::Weak)
    };
    let s = generate_m365(&spec);
    assert_eq!(s.collected_at, "2030-01-01T00:00:00Z");
    for u in list(&s, "/v1.0/users") {
        let created = u["createdDateTime"].as_str().unwrap();
        assert!(created < "2030-01-01T00:00:00Z", "{created}");
        if let Some(last) = u["signInActivity"]["lastSignInDateTime"].as_str() {
            assert!(
                last <= "2030-01-01T00:00:00Z" && last >= created,
                "{last} vs {created}"
            );
        }
    }
}

#[test]
fn mixed_tenants_are_deterministic_and_half_configured() {
    let spec = M365Spec::small(Posture::Mixed);
    let a = generate_m365_json(&spec);
    assert_eq!(a, generate_m365_json(&spec), "same seed, same bytes");
    assert_ne!(
        a,
        generate_m365_json(&M365Spec {
            seed: 7,
            ..spec.clone()
        })
    );
    // Every area is drawn from the seed: over many areas, both outcomes occur.
    let draws: Vec<bool> = (0..40)
        .map(|i| Posture::Mixed.strong(spec.seed, &format!("area{i}")))
        .collect();
    assert!(draws.contains(&true) && draws.contains(&false));
    assert!(Posture::Hardened.strong(1, "x") && !Posture::Weak.strong(1, "x"));
    // Some posture policies are enforced as the hardened tenant has them, others are
    // left report-only or carry an exclusion.
    let tenant = M365Tenant::generate(&spec);
    let finished = tenant
        .ca_policies
        .iter()
        .filter(|p| p.state == "enabled" && p.exclude_users.is_empty())
        .count();
    let unfinished = tenant
        .ca_policies
        .iter()
        .filter(|p| p.state != "enabled" || !p.exclude_users.is_empty())
        .count();
    assert!(finished > 0 && unfinished > 0, "{finished} / {unfinished}");
    // Exchange: some cmdlets configured to the baseline, some not.
    let configured: Vec<bool> = EXO_CMDLETS
        .iter()
        .map(|c| tenant.strong(&format!("exo:{c}")))
        .collect();
    assert!(configured.contains(&true) && configured.contains(&false));
}

#[test]
fn weak_and_hardened_tenants_carry_what_their_checks_look_for() {
    let weak = M365Tenant::generate(&M365Spec::small(Posture::Weak));
    let hard = M365Tenant::generate(&M365Spec::small(Posture::Hardened));
    // Weak: no conditional access policy enforced; standing admins made outside PIM.
    assert!(weak.ca_policies.iter().all(|p| p.state != "enabled"));
    assert!(weak.role_assignments.iter().any(|a| a.outside_pim));
    // Hardened: no permanent active assignment of Global Administrator, no app secret,
    // device code flow blocked, every secret or certificate still valid.
    assert!(hard
        .role_assignments
        .iter()
        .filter(|a| a.role_definition_id == GLOBAL_ADMINISTRATOR)
        .all(|a| a.end.is_some()));
    assert!(hard
        .applications
        .iter()
        .all(|a| a.password_credentials.is_empty()));
    assert!(hard
        .applications
        .iter()
        .flat_map(|a| &a.key_credentials)
        .all(|c| c.end > hard.now));
    assert!(hard
        .ca_policies
        .iter()
        .any(|p| p.transfer_methods == Some("deviceCodeFlow") && p.state == "enabled"));
    // Owners and members are users of the tenant.
    for t in [&weak, &hard] {
        for app in &t.applications {
            assert!(!app.owners.is_empty());
            assert!(app.owners.iter().all(|i| *i < t.users.len()));
        }
        let role_groups: Vec<_> = t
            .groups
            .iter()
            .filter(|g| g.is_assignable_to_role)
            .collect();
        assert!(!role_groups.is_empty());
        assert!(role_groups.iter().all(|g| !g.members.is_empty()));
    }
}
