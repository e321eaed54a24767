//! What tenant to simulate.

use std::collections::BTreeMap;

use sspm_model::Failure;

/// The collection time used when a spec does not set one.
pub const DEFAULT_COLLECTED_AT: &str = "2026-11-27T03:00:00Z";

/// How well the simulated tenant is configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Posture {
    /// A typical neglected tenant, failing every check: security defaults off and
    /// conditional access policies never switched on (report-only, with exclusions),
    /// SMS/voice allowed, user consent and app registration open, 12 Global
    /// Administrators made outside PIM, PIM settings at Microsoft's defaults, ~60% of
    /// users registered for MFA, over-privileged and unverified apps, Exchange Online
    /// without the SCuBA settings.
    Weak,
    /// What the CISA SCuBA (Entra ID, Exchange Online) and CIS Microsoft 365 baselines
    /// ask for, meeting every check: legacy auth, high risk and the device code flow
    /// blocked, phishing-resistant MFA and managed devices for everyone without
    /// exclusions, weak methods off, consent locked down, 4 Global Administrators
    /// managed through PIM with approval and alerts, apps with certificates only.
    Hardened,
    /// A realistic half-done tenant: each area (a conditional access policy, a tenant
    /// setting, an Exchange cmdlet's configuration, the PIM settings of a role, the
    /// administrators, the apps) is configured as in [`Posture::Hardened`] or left as
    /// in [`Posture::Weak`], decided by the seed, so some checks pass and some fail.
    Mixed,
}

impl Posture {
    /// Whether the part of the tenant named `area` is configured well: always for
    /// [`Posture::Hardened`], never for [`Posture::Weak`], and for [`Posture::Mixed`]
    /// a draw from `seed` and `area` (same seed and area, same answer).
    pub fn strong(self, seed: u64, area: &str) -> bool {
        match self {
            Posture::Weak => false,
            Posture::Hardened => true,
            Posture::Mixed => crate::rng::Rng::stream(seed, &format!("mixed:{area}")).percent(55),
        }
    }
}

/// Which directory roles the PIM role management policies are rendered for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RolePolicyScope {
    /// One policy per role definition, as Graph returns them.
    AllRoles,
    /// Only the highly privileged roles of the CISA SCuBA baseline (to keep committed
    /// example files small).
    HighlyPrivileged,
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
    /// The roles whose PIM policies (`/policies/roleManagementPolicyAssignments`) exist.
    pub role_policy_scope: RolePolicyScope,
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
                Posture::Hardened | Posture::Mixed => 10,
            },
            role_assignments: 24,
            posture,
            seed: 42,
            instance: "contoso-prod".to_string(),
            tenant_domain: "contoso.onmicrosoft.com".to_string(),
            collected_at: DEFAULT_COLLECTED_AT.to_string(),
            entra_id_p2: true,
            failures: BTreeMap::new(),
            role_policy_scope: RolePolicyScope::AllRoles,
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
