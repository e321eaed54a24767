//! The example snapshots committed under `examples/` at the workspace root.
//!
//! The test `tests/examples.rs` checks that the files equal [`Example::render`];
//! run it with `SSPM_UPDATE_EXAMPLES=1` to rewrite them.

use crate::failures;
use crate::spec::{M365Spec, Posture, RolePolicyScope};

/// One committed example snapshot.
#[derive(Debug, Clone)]
pub struct Example {
    /// File name under `examples/`.
    pub file_name: &'static str,
    /// One line on what it shows.
    pub description: &'static str,
    /// The spec it is generated from.
    pub spec: M365Spec,
}

impl Example {
    /// The file's content: snapshot JSON pretty-printed with a one-space indent
    /// (to keep the files small) and a final newline.
    pub fn render(&self) -> String {
        use serde::Serialize;
        let snapshot = crate::generate_m365(&self.spec);
        let mut buf = Vec::new();
        let mut ser = serde_json::Serializer::with_formatter(
            &mut buf,
            serde_json::ser::PrettyFormatter::with_indent(b" "),
        );
        if snapshot.serialize(&mut ser).is_err() {
            return String::new();
        }
        let mut text = String::from_utf8(buf).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// A 40-user tenant trimmed so that its pretty-printed snapshot stays small: PIM
/// settings only for the highly privileged roles (the ones the checks read).
fn compact(posture: Posture, instance: &str, tenant: &str, seed: u64) -> M365Spec {
    M365Spec {
        groups: 8,
        service_principals: 12,
        role_assignments: match posture {
            Posture::Weak => 22,
            Posture::Hardened | Posture::Mixed => 16,
        },
        role_policy_scope: RolePolicyScope::HighlyPrivileged,
        seed,
        ..M365Spec::small(posture).named(instance, tenant)
    }
}

/// All committed examples.
pub fn examples() -> Vec<Example> {
    let partial = M365Spec {
        entra_id_p2: false,
        ..compact(
            Posture::Weak,
            "northwind-prod",
            "northwind.onmicrosoft.com",
            11,
        )
    }
    .with_failure(
        failures::USER_REGISTRATION_DETAILS,
        failures::registration_details_forbidden(),
    )
    .with_failure(
        failures::ROLE_ELIGIBILITY_SCHEDULE_INSTANCES,
        failures::pim_licence_required(),
    )
    .with_failure(
        failures::ROLE_ASSIGNMENT_SCHEDULE_INSTANCES,
        failures::pim_licence_required(),
    )
    .with_failure(
        failures::ROLE_MANAGEMENT_POLICY_ASSIGNMENTS,
        failures::licence_required("RoleManagementPolicy.Read.Directory; Entra ID P2"),
    );
    vec![
        Example {
            file_name: "m365-contoso-weak.json",
            description: "A poorly configured tenant (Posture::Weak, 40 users).",
            spec: compact(Posture::Weak, "contoso-prod", "contoso.onmicrosoft.com", 42),
        },
        Example {
            file_name: "m365-fabrikam-hardened.json",
            description: "A tenant configured to the CISA SCuBA Entra ID baseline (Posture::Hardened, 40 users).",
            spec: compact(Posture::Hardened, "fabrikam-prod", "fabrikam.onmicrosoft.com", 7),
        },
        Example {
            file_name: "m365-partial-permissions.json",
            description: "A weak tenant without Entra ID P2 whose collector lacked AuditLog.Read.All: four calls failed.",
            spec: partial,
        },
    ]
}
