//! Simulated SaaS tenants for tests, demos and benchmarks.
//!
//! For now: Microsoft 365 / Entra ID. An [`M365Spec`] (size, [`Posture`], seed)
//! generates an [`M365Tenant`] — a typed data model of users, groups, apps, roles,
//! conditional access and tenant settings — which renders each Microsoft Graph
//! v1.0 endpoint ([`Resource`]) exactly as Graph returns it, and from that an
//! `sspm-snapshot/1` document.
//!
//! ```
//! use sspm_sim::{generate_m365, M365Spec, Posture};
//! let snapshot = generate_m365(&M365Spec::small(Posture::Weak));
//! assert!(snapshot.resources.contains_key("graph:/v1.0/identity/conditionalAccess/policies"));
//! ```
//!
//! Everything is deterministic: the same spec gives the same bytes.

#![warn(missing_docs)]

pub mod catalog;
pub mod examples;
pub mod exo;
pub mod failures;
mod generate;
pub mod model;
mod pim;
mod render;
mod rng;
pub mod server;
pub mod spec;
pub mod sub;
mod time;

use std::io::{self, Write};

use sspm_model::{Failure, Snapshot, SNAPSHOT_FORMAT};

pub use exo::EXO_CMDLETS;
pub use model::M365Tenant;
pub use render::{Resource, GROUP_SELECT, USER_SELECT};
pub use server::{SimOptions, SimServer, SimStats};
pub use spec::{M365Spec, Posture, RolePolicyScope, DEFAULT_COLLECTED_AT};
pub use sub::{SubKind, SubList};

/// The snapshot `app` of simulated Microsoft 365 tenants.
pub const M365_APP: &str = "m365";

/// One resource of a snapshot: a tenant-wide endpoint, a per-object list or the output
/// of an Exchange cmdlet.
#[derive(Debug, Clone, Copy)]
enum Entry {
    Graph(Resource),
    Sub(SubList),
    Exo(&'static str),
}

impl M365Tenant {
    /// Every resource a collection of this tenant holds, with its snapshot key, sorted
    /// by key (as `Snapshot::resources` orders them), without the failed calls.
    fn entries(&self) -> Vec<(String, Entry)> {
        let mut out: Vec<(String, Entry)> = Resource::ALL
            .into_iter()
            .map(|r| (r.key(), Entry::Graph(r)))
            .chain(
                self.sub_lists()
                    .into_iter()
                    .map(|s| (self.sub_key(s), Entry::Sub(s))),
            )
            .chain(
                EXO_CMDLETS
                    .iter()
                    .map(|c| (format!("exo:{c}"), Entry::Exo(c))),
            )
            .filter(|(k, _)| !self.failures.contains_key(k))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    fn entry_value(&self, e: Entry) -> serde_json::Value {
        match e {
            Entry::Graph(r) => match self.len(r) {
                Some(n) => serde_json::Value::Array(
                    (0..n).filter_map(|i| self.snapshot_item(r, i)).collect(),
                ),
                None => self.object(r).unwrap_or(serde_json::Value::Null),
            },
            Entry::Sub(s) => self.render_sub(s),
            Entry::Exo(c) => serde_json::Value::Array(self.exo_cmdlet(c).unwrap_or_default()),
        }
    }

    /// The snapshot of this tenant, as the connector collects it: every endpoint, the
    /// per-object lists and the Exchange cmdlets not marked failed, plus the failures.
    pub fn to_snapshot(&self) -> Snapshot {
        let mut snapshot = Snapshot::new(
            M365_APP,
            &self.instance,
            &self.tenant_domain,
            &self.collected_at,
        );
        for (key, e) in self.entries() {
            snapshot.resources.insert(key, self.entry_value(e));
        }
        snapshot.failures = self.failures.clone();
        snapshot
    }

    /// Write the snapshot as compact JSON, streaming item by item (a 100k-user
    /// tenant never exists as one `serde_json::Value`). Byte-identical to
    /// `serde_json::to_writer(&self.to_snapshot())`.
    pub fn write_snapshot_json<W: Write>(&self, mut w: W) -> io::Result<()> {
        w.write_all(b"{\"format\":")?;
        serde_json::to_writer(&mut w, SNAPSHOT_FORMAT)?;
        for (name, value) in [
            ("app", M365_APP),
            ("instance", &self.instance),
            ("tenant", &self.tenant_domain),
            ("collected_at", &self.collected_at),
        ] {
            write!(w, ",\"{name}\":")?;
            serde_json::to_writer(&mut w, value)?;
        }
        w.write_all(b",\"resources\":{")?;
        for (n, (key, e)) in self.entries().iter().enumerate() {
            if n > 0 {
                w.write_all(b",")?;
            }
            serde_json::to_writer(&mut w, key)?;
            w.write_all(b":")?;
            match *e {
                Entry::Graph(r) => match self.len(r) {
                    Some(len) => {
                        w.write_all(b"[")?;
                        for i in 0..len {
                            if i > 0 {
                                w.write_all(b",")?;
                            }
                            if let Some(item) = self.snapshot_item(r, i) {
                                serde_json::to_writer(&mut w, &item)?;
                            }
                        }
                        w.write_all(b"]")?;
                    }
                    None => serde_json::to_writer(&mut w, &self.object(r))?,
                },
                other => serde_json::to_writer(&mut w, &self.entry_value(other))?,
            }
        }
        w.write_all(b"},\"failures\":")?;
        serde_json::to_writer(&mut w, &self.failures)?;
        w.write_all(b"}")?;
        Ok(())
    }
}

/// Generate the snapshot of the tenant described by `spec`.
pub fn generate_m365(spec: &M365Spec) -> Snapshot {
    M365Tenant::generate(spec).to_snapshot()
}

/// Generate the snapshot of `spec` as compact JSON, streamed without building the
/// whole document in memory first (use this for the 100k-user benchmark tenant).
pub fn generate_m365_json(spec: &M365Spec) -> String {
    let mut buf = Vec::with_capacity(spec.users * 2_000 + (1 << 16));
    // Writing to a Vec cannot fail, and serde_json only writes valid UTF-8.
    if M365Tenant::generate(spec)
        .write_snapshot_json(&mut buf)
        .is_err()
    {
        return String::new();
    }
    String::from_utf8(buf).unwrap_or_default()
}

/// Write the snapshot of `spec` as compact JSON to `w`.
pub fn write_m365_json<W: Write>(spec: &M365Spec, w: W) -> io::Result<()> {
    M365Tenant::generate(spec).write_snapshot_json(w)
}

/// Mark the call `key` of `snapshot` as failed: its resource is removed and the
/// failure recorded, as a connector does when a call is denied.
pub fn with_failure(mut snapshot: Snapshot, key: &str, failure: Failure) -> Snapshot {
    snapshot.resources.remove(key);
    snapshot.failures.insert(key.to_string(), failure);
    snapshot
}
