//! Scans in the server: on demand (`POST /api/v1/scans`, "Scan now") and on each
//! instance's interval, in the background, with their progress visible while they run.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use sspm_store::{ScanRecord, ScanStatus};

use super::error::ApiError;
use super::state::AppState;
use crate::scanning::{self, ProgressBoard};

/// Background scans of this server.
#[derive(Default)]
pub struct Scheduler {
    /// Progress of the scans running here.
    pub board: Arc<ProgressBoard>,
    running: Mutex<HashSet<String>>,
}

impl Scheduler {
    /// Whether this server is scanning `instance`.
    pub fn is_scanning(&self, instance: &str) -> bool {
        self.running.lock().is_ok_and(|r| r.contains(instance))
    }

    fn claim(&self, instance: &str) -> bool {
        self.running
            .lock()
            .is_ok_and(|mut r| r.insert(instance.to_string()))
    }

    fn release(&self, instance: &str) {
        if let Ok(mut r) = self.running.lock() {
            r.remove(instance);
        }
    }
}

/// Begins a scan of each of `names` and runs them in the background; returns the scans
/// begun (status `running`). 404 for an unknown instance, 409 for one being scanned.
pub async fn trigger(state: &AppState, names: &[String]) -> Result<Vec<ScanRecord>, ApiError> {
    let mut instances = Vec::with_capacity(names.len());
    for name in names {
        let instance = state.store.instance(name).await?.ok_or_else(|| {
            ApiError::not_found(format!(
                "no instance `{name}`; GET /api/v1/instances lists them"
            ))
        })?;
        let busy = state.scheduler.is_scanning(name)
            || state
                .store
                .scans(Some(name), 1)
                .await?
                .first()
                .is_some_and(|s| s.status == ScanStatus::Running);
        if busy {
            return Err(ApiError::conflict(format!(
                "instance `{name}` is being scanned; follow GET /api/v1/scans?instance={name}"
            )));
        }
        instances.push(instance);
    }
    let mut targets = Vec::with_capacity(instances.len());
    for instance in &instances {
        if !state.scheduler.claim(&instance.name) {
            return Err(ApiError::conflict(format!(
                "instance `{}` is being scanned",
                instance.name
            )));
        }
        match scanning::target(&state.store, instance).await {
            Ok(t) => targets.push(t),
            Err(e) => {
                for i in &instances {
                    state.scheduler.release(&i.name);
                }
                return Err(ApiError::invalid_body(format!("{e:#}")));
            }
        }
    }
    let begun = match scanning::begin_all(&state.store, &targets).await {
        Ok(b) => b,
        Err(e) => {
            for i in &instances {
                state.scheduler.release(&i.name);
            }
            return Err(e.into());
        }
    };
    let mut records = Vec::with_capacity(begun.len());
    for id in &begun {
        if let Some(r) = state.store.scan(*id).await? {
            records.push(r);
        }
    }
    let task_state = state.clone();
    tokio::spawn(async move {
        let state = task_state;
        let names: Vec<String> = targets.iter().map(|t| t.instance.name.clone()).collect();
        let outcome = scanning::run_begun(
            &state.store,
            &state.catalog,
            targets,
            begun,
            None,
            Some(&state.scheduler.board),
        )
        .await;
        match outcome {
            Ok(scanned) => {
                for s in scanned {
                    match s.outcome {
                        Ok(r) => {
                            tracing::info!(instance = %s.instance, scan = %r.id, status = %r.status, "scan ended")
                        }
                        Err(e) => tracing::warn!(instance = %s.instance, "scan failed: {e:#}"),
                    }
                }
            }
            Err(e) => tracing::error!("scans of {} failed: {e:#}", names.join(", ")),
        }
        for name in &names {
            state.scheduler.release(name);
        }
    });
    Ok(records)
}

/// Scans each instance whose recommendations are on when its last scan is older than
/// `every`; checks once a minute (or every `every`, if shorter). Runs until the process
/// ends.
pub fn spawn_interval(state: AppState, every: Duration) {
    let tick = every
        .min(Duration::from_secs(60))
        .max(Duration::from_secs(1));
    tokio::spawn(async move {
        loop {
            if let Err(e) = due_scans(&state, every).await {
                tracing::warn!("scheduled scans: {}", e.message);
            }
            tokio::time::sleep(tick).await;
        }
    });
}

async fn due_scans(state: &AppState, every: Duration) -> Result<(), ApiError> {
    let every = chrono::Duration::from_std(every).unwrap_or(chrono::Duration::MAX);
    let now = Utc::now();
    let mut due = Vec::new();
    for instance in state.store.instances().await? {
        if !instance.recommendations || state.scheduler.is_scanning(&instance.name) {
            continue;
        }
        let last = state.store.scans(Some(&instance.name), 1).await?;
        let is_due = match last.first() {
            None => true,
            Some(s) => s.status != ScanStatus::Running && now - s.started_at >= every,
        };
        if is_due {
            due.push(instance.name);
        }
    }
    for name in due {
        tracing::info!(instance = %name, "scheduled scan");
        if let Err(e) = trigger(state, std::slice::from_ref(&name)).await {
            tracing::warn!(instance = %name, "scheduled scan not started: {}", e.message);
        }
    }
    Ok(())
}
