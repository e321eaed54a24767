//! The Microsoft 365 connector: Microsoft Graph v1.0 and the Exchange Online admin API,
//! app-only, read-only.

pub mod auth;
pub mod cloud;
pub mod collect;
pub mod doctor;
pub mod manifest;

pub use collect::{classify, CollectError, Progress, M365};

/// The least-privilege permissions an app registration needs, as text for
/// `sspm permissions m365`.
pub fn permissions_text() -> String {
    use std::collections::BTreeMap;
    let mut by_permission: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for e in manifest::ENDPOINTS {
        for p in e.permission.split("; ") {
            by_permission
                .entry(p)
                .or_default()
                .push(format!("GET /v1.0{}", e.path));
        }
    }
    for s in manifest::SUB_ENDPOINTS {
        by_permission
            .entry(s.permission)
            .or_default()
            .push(format!("GET /v1.0{} ({})", s.path, s.for_items));
    }
    let mut out = String::from(
        "Microsoft Graph application permissions (all read-only; grant admin consent):\n",
    );
    for (permission, calls) in &by_permission {
        out.push_str(&format!("  {permission}\n"));
        for call in calls {
            out.push_str(&format!("      {call}\n"));
        }
    }
    out.push_str("\nExchange Online (Office 365 Exchange Online API):\n  Exchange.ManageAsApp application permission, and assign the Entra role\n  Global Reader to the application's service principal (read-only cmdlets:\n");
    for c in manifest::EXO_CMDLETS {
        out.push_str(&format!("      {c}\n"));
    }
    out.push_str("  )\n\nLicences: Conditional Access, sign-in activity and the MFA registration report need\nMicrosoft Entra ID P1; PIM role schedules and role management policies need P2.\nWithout them those calls are recorded as failures and the checks that read them are\nnot evaluable (`error`), never failing.\n");
    out
}
