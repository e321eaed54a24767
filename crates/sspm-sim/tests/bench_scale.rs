//! The benchmark tenant keeps its shape at scale: the bench spec's proportions at a
//! twentieth of its size, so that it runs in every `cargo test` (the full 100,000-user
//! tenant is generated and counted by `sspm bench assess`).

use std::collections::HashSet;

use sspm_model::Snapshot;
use sspm_sim::catalog::GLOBAL_ADMINISTRATOR;
use sspm_sim::{generate_m365_json, M365Spec, M365Tenant, Posture, Resource};

fn global_admins(t: &M365Tenant) -> usize {
    t.role_assignments
        .iter()
        .filter(|a| a.role_definition_id == GLOBAL_ADMINISTRATOR)
        .map(|a| a.principal_id.as_str())
        .chain(
            t.role_eligibilities
                .iter()
                .filter(|e| e.role_definition_id == GLOBAL_ADMINISTRATOR)
                .map(|e| e.principal_id.as_str()),
        )
        .collect::<HashSet<_>>()
        .len()
}

/// The bench spec divided by 20 (CA policies kept: they do not grow with users).
fn scaled(posture: Posture) -> M365Spec {
    let bench = M365Spec::bench();
    M365Spec {
        users: bench.users / 20,
        groups: bench.groups / 20,
        service_principals: bench.service_principals / 20,
        role_assignments: bench.role_assignments / 20,
        posture,
        ..bench
    }
}

#[test]
fn bench_shaped_tenant_has_the_requested_shape() {
    let spec = scaled(Posture::Weak);
    let tenant = M365Tenant::generate(&spec);
    let mut json = Vec::new();
    tenant.write_snapshot_json(&mut json).unwrap();
    assert_eq!(json, generate_m365_json(&spec).into_bytes());
    let snapshot: Snapshot = serde_json::from_slice(&json).unwrap();
    let count = |r: Resource| snapshot.resources[&r.key()].as_array().map_or(0, Vec::len);
    assert_eq!(count(Resource::Users), spec.users);
    assert_eq!(count(Resource::UserRegistrationDetails), spec.users);
    assert_eq!(count(Resource::Groups), spec.groups);
    assert_eq!(count(Resource::ServicePrincipals), spec.service_principals);
    assert_eq!(count(Resource::ConditionalAccessPolicies), spec.ca_policies);
    assert_eq!(count(Resource::RoleAssignments), spec.role_assignments);
    assert!(global_admins(&tenant) > 8);
    let hardened_spec = scaled(Posture::Hardened);
    let hardened = M365Tenant::generate(&hardened_spec);
    assert!(
        (2..=8).contains(&global_admins(&hardened)),
        "{}",
        global_admins(&hardened)
    );
    assert_eq!(
        hardened.role_assignments.len(),
        hardened_spec.role_assignments
    );
}
