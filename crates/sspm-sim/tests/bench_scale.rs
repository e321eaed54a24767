//! The benchmark tenant keeps its shape at scale. Slow in debug builds, hence ignored:
//! `cargo test --release -p sspm-sim --test bench_scale -- --ignored`.

use std::collections::HashSet;
use std::time::Instant;

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

#[test]
#[ignore = "generates the 100k-user benchmark tenant; run in release"]
fn bench_tenant_has_the_requested_shape() {
    let spec = M365Spec::bench();
    let started = Instant::now();
    let tenant = M365Tenant::generate(&spec);
    let generated = started.elapsed();
    let mut json = Vec::new();
    tenant.write_snapshot_json(&mut json).unwrap();
    let written = started.elapsed();
    assert_eq!(json, generate_m365_json(&spec).into_bytes());
    eprintln!(
        "bench tenant: generated in {generated:?}, serialized ({} bytes) at {written:?}",
        json.len()
    );
    let snapshot: Snapshot = serde_json::from_slice(&json).unwrap();
    let count = |r: Resource| snapshot.resources[&r.key()].as_array().map_or(0, Vec::len);
    assert_eq!(count(Resource::Users), 100_000);
    assert_eq!(count(Resource::UserRegistrationDetails), 100_000);
    assert_eq!(count(Resource::Groups), 5_000);
    assert_eq!(count(Resource::ServicePrincipals), 20_000);
    assert_eq!(count(Resource::ConditionalAccessPolicies), 300);
    assert_eq!(count(Resource::RoleAssignments), 50_000);
    drop(snapshot);
    assert!(global_admins(&tenant) > 8);
    let hardened = M365Tenant::generate(&M365Spec {
        posture: Posture::Hardened,
        ..M365Spec::bench()
    });
    assert!(
        (2..=8).contains(&global_admins(&hardened)),
        "{}",
        global_admins(&hardened)
    );
    assert_eq!(hardened.role_assignments.len(), 50_000);
}
