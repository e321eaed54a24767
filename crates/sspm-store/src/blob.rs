//! Content-addressed blobs: JSON hashed with SHA-256 and compressed with zstd.
//!
//! Snapshots are stored with `collected_at` blanked: it changes at every collection even
//! when nothing else does, so it is kept in the scan row and left out of the blob, and two
//! collections that read the same data share one stored blob. Offender lists are stored
//! the same way ([`encode_offenders`]), shared by the results of every scan that found
//! the same offenders.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sspm_model::{Failure, Snapshot};
use std::collections::BTreeMap;

use crate::error::{Result, StoreError};

/// zstd level: fast, and snapshots (repetitive JSON) compress ~10× at it.
const ZSTD_LEVEL: i32 = 3;

/// A snapshot ready to be stored.
pub(crate) struct Blob {
    pub sha256: String,
    /// JSON bytes before compression.
    pub size: usize,
    pub json: Vec<u8>,
}

#[derive(Serialize)]
struct View<'a> {
    format: &'a str,
    app: &'a str,
    instance: &'a str,
    tenant: &'a str,
    collected_at: &'a str,
    resources: &'a BTreeMap<String, serde_json::Value>,
    failures: &'a BTreeMap<String, Failure>,
}

/// Serializes and hashes a snapshot (without compressing it yet).
pub(crate) fn encode(snapshot: &Snapshot) -> Result<Blob> {
    let view = View {
        format: &snapshot.format,
        app: &snapshot.app,
        instance: &snapshot.instance,
        tenant: &snapshot.tenant,
        collected_at: "",
        resources: &snapshot.resources,
        failures: &snapshot.failures,
    };
    let json = serde_json::to_vec(&view)
        .map_err(|e| StoreError::Corrupt(format!("cannot serialize the snapshot: {e}")))?;
    let sha256 = hex(&Sha256::digest(&json));
    Ok(Blob {
        sha256,
        size: json.len(),
        json,
    })
}

/// Serializes and hashes a non-empty offender list (without compressing it yet).
pub(crate) fn encode_offenders(offenders: &[sspm_model::Offender]) -> Result<Blob> {
    let json = serde_json::to_vec(offenders)
        .map_err(|e| StoreError::Corrupt(format!("cannot serialize offenders: {e}")))?;
    Ok(Blob {
        sha256: hex(&Sha256::digest(&json)),
        size: json.len(),
        json,
    })
}

/// Compresses JSON for storage.
pub(crate) fn compress(json: &[u8]) -> Result<Vec<u8>> {
    zstd::bulk::compress(json, ZSTD_LEVEL)
        .map_err(|e| StoreError::Corrupt(format!("cannot compress a blob: {e}")))
}

/// Decompresses a stored blob (`what` it is, for messages: `snapshot`, `offender set`);
/// `size` is its recorded uncompressed size.
pub(crate) fn decompress(what: &str, data: &[u8], size: i64, sha256: &str) -> Result<Vec<u8>> {
    let capacity = usize::try_from(size).unwrap_or(0);
    let json = zstd::bulk::decompress(data, capacity)
        .map_err(|e| StoreError::Corrupt(format!("{what} {sha256} cannot be decompressed: {e}")))?;
    let actual = hex(&Sha256::digest(&json));
    if actual != sha256 {
        return Err(StoreError::Corrupt(format!(
            "{what} {sha256} does not match its hash (it hashes to {actual})"
        )));
    }
    Ok(json)
}

/// Parses a stored blob and puts back the scan's `collected_at`.
pub(crate) fn decode(json: &[u8], collected_at: Option<&str>, sha256: &str) -> Result<Snapshot> {
    let mut snapshot: Snapshot = serde_json::from_slice(json)
        .map_err(|e| StoreError::Corrupt(format!("snapshot {sha256} is not valid JSON: {e}")))?;
    if let Some(at) = collected_at {
        snapshot.collected_at = at.to_string();
    }
    Ok(snapshot)
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
