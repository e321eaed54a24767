//! What tenant to simulate.

use std::collections::BTreeMap;

use sspm_model::Failure;

/// The collection time used when a spec does not set one.
pub const DEFAULT_COLLECTED_AT: &str = "2026-11-27T03:00:00Z";

/// How well the simulated tenant is configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Posture {
    /// A typical neglected tenant: legacy authentication not blocked, MFA with
    /// exclusions, SMS/voice allowed, user consent and app registration open,
    /// 12 Global Administrators, ~60% of users registered for MFA.
    Weak,
    /// What the CISA SCuBA Entra ID baseline asks for: legacy auth and high risk
    /// blocked, MFA for everyone without exclusions, weak methods off, consent
    /// locked down, 3–5 Global Administrators managed through PIM.
    Hardened,
}

/// The shape of a simulated Microsoft 365 tenant. Same spec ⇒ same tenant, byte for byte.
///
/// The posture guarantees (e.g. the Global Administrator count) hold when the
/// counts are at least those of [`M365Spec::small`]; below that the lists are
/// simply truncated to the requested counts.
#[derive(Debug, Clone, PartialEq)]
pub struct M365Spec {
    /// Number of users (members and ~5% guests).
    pub users: usize,
    /// Number of groups.
    pub groups: usize,
    /// Number of service principals (Microsoft, own, third-party apps, managed identities).
    pub service_principals: usize,
    /// Number of conditional access policies (posture policies first, then noise).
    pub ca_policies: usize,
    /// Number of active directory role assignments (`roleAssignments`).
    pub role_assignments: usize,
    /// Weak or hardened configuration.
    pub posture: Posture,
    /// Seed of every random choice.
    pub seed: u64,
    /// The snapshot's instance name, e.g. `contoso-prod`.
    pub instance: String,
    /// The tenant's initial domain, e.g. `contoso.onmicrosoft.com`.
    pub tenant_domain: String,
    /// RFC 3339 collection time; every generated date is relative to it.
    pub collected_at: String,
    /// Whether the tenant has Entra ID P2 (PIM). Without it there are no
    /// eligible role assignments and the PIM endpoints should be marked failed.
    pub entra_id_p2: bool,
    /// Calls to record as failed instead of returning data, keyed like snapshot
    /// resources (`graph:/v1.0/...`). See [`crate::failures`].
    pub failures: BTreeMap<String, Failure>,
}

impl M365Spec {
    /// A small tenant (40 users) of the given posture, instance `contoso-prod`.
    pub fn small(posture: Posture) -> Self {
        Self {
            users: 40,
            groups: 12,
            service_principals: 24,
            ca_policies: match posture {
                Posture::Weak => 6,
                Posture::Hardened => 8,
            },
            role_assignments: 24,
            posture,
            seed: 42,
            instance: "contoso-prod".to_string(),
            tenant_domain: "contoso.onmicrosoft.com".to_string(),
            collected_at: DEFAULT_COLLECTED_AT.to_string(),
            entra_id_p2: true,
            failures: BTreeMap::new(),
        }
    }

    /// The benchmark tenant: 100,000 users, 5,000 groups, 20,000 service
    /// principals, 300 CA policies, 50,000 role assignments, weak posture.
    /// Change `posture` for a hardened one.
    pub fn bench() -> Self {
        Self {
            users: 100_000,
            groups: 5_000,
            service_principals: 20_000,
            ca_policies: 300,
            role_assignments: 50_000,
            seed: 2026,
            instance: "bench".to_string(),
            tenant_domain: "bench.onmicrosoft.com".to_string(),
            ..Self::small(Posture::Weak)
        }
    }

    /// This spec for another instance and tenant domain.
    pub fn named(mut self, instance: &str, tenant_domain: &str) -> Self {
        self.instance = instance.to_string();
        self.tenant_domain = tenant_domain.to_string();
        self
    }

    /// This spec with one more call recorded as failed (`key` like `graph:/v1.0/...`).
    pub fn with_failure(mut self, key: &str, failure: Failure) -> Self {
        self.failures.insert(key.to_string(), failure);
        self
    }
}
