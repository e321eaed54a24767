//! What the dashboard and the API read: the latest assessment of every instance with the
//! recommendation states in effect, scores, history and last scans, built once from the
//! store and shared until the store changes.
//!
//! Requests read the store's [`Revision`] (one cheap query, at most every
//! [`REVISION_CHECK_EVERY`]); the view is rebuilt when
//! it differs (a scan began or ended; an instance, credential, state or token changed —
//! by this server or by the CLI on the same store) or after [`MAX_AGE`] (so that states
//! expire on time).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};
use sspm_engine::{Catalog, Initiatives};
use sspm_model::{AppliedState, Assessment, CheckResult, ResultsDocument, Score};
use sspm_store::{DailyScore, Instance, Revision, ScanRecord, Store};
use tokio::sync::Mutex;

/// A view is rebuilt at least this often, so that recommendation states expire on time.
pub const MAX_AGE: Duration = Duration::from_secs(60);

/// The store's revision is read at most this often per server: under load, requests in
/// between share the view. Writes through this server invalidate at once
/// ([`ViewCache::invalidate`]); changes from other processes show within this delay.
pub const REVISION_CHECK_EVERY: Duration = Duration::from_millis(250);

/// Days of score history kept in the view.
pub const HISTORY_DAYS: u32 = 90;

/// One instance in the view.
#[derive(Debug, Clone)]
pub struct InstanceView {
    /// The stored instance.
    pub instance: Instance,
    /// Its latest scan, whatever its status.
    pub last_scan: Option<ScanRecord>,
    /// Index of its latest assessment in [`View::doc`] (recommendations on and scanned).
    pub assessment: Option<usize>,
    /// Its daily scores over the last [`HISTORY_DAYS`] days.
    pub history: Vec<DailyScore>,
}

/// A result and where it is: `doc.assessments[assessment].results[result]`.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// Index into `doc.assessments`.
    pub assessment: usize,
    /// Index into that assessment's results.
    pub result: usize,
}

/// The derived view of the store.
pub struct View {
    revision: Revision,
    built: Instant,
    /// When it was built.
    pub at: DateTime<Utc>,
    /// Every instance, by name.
    pub instances: Vec<InstanceView>,
    /// The latest assessments of the instances whose recommendations are on, with states
    /// in effect, rolled up (score, planned score, apps, initiatives).
    pub doc: ResultsDocument,
    /// Every result, in overall rank order: most points to gain first, then severity,
    /// then instance and rank within the instance.
    pub rows: Vec<Row>,
    /// The overall score per day over the last [`HISTORY_DAYS`] days.
    pub history: Vec<(NaiveDate, Score)>,
}

impl View {
    /// The result at `row`.
    pub fn result(&self, row: Row) -> (&Assessment, &CheckResult) {
        let a = &self.doc.assessments[row.assessment];
        (a, &a.results[row.result])
    }

    /// The instance called `name`.
    pub fn instance(&self, name: &str) -> Option<&InstanceView> {
        self.instances.iter().find(|i| i.instance.name == name)
    }

    /// The assessment of instance `name`, if it is scored.
    pub fn assessment(&self, name: &str) -> Option<&Assessment> {
        self.instance(name)
            .and_then(|i| i.assessment)
            .map(|a| &self.doc.assessments[a])
    }

    /// The planned score (the score when every result is counted as its state plans).
    pub fn planned(&self) -> Score {
        self.doc.planned_score.unwrap_or(self.doc.score)
    }

    /// Names of the instances, for messages.
    pub fn instance_names(&self) -> String {
        crate::stored::names(
            &self
                .instances
                .iter()
                .map(|i| i.instance.clone())
                .collect::<Vec<_>>(),
        )
    }
}

/// The shared, lazily rebuilt [`View`].
pub struct ViewCache {
    current: std::sync::RwLock<Option<Arc<View>>>,
    /// When the current view was last found up to date.
    checked: std::sync::Mutex<Option<Instant>>,
    rebuild: Mutex<()>,
}

impl Default for ViewCache {
    fn default() -> Self {
        Self {
            current: std::sync::RwLock::new(None),
            checked: std::sync::Mutex::new(None),
            rebuild: Mutex::new(()),
        }
    }
}

impl ViewCache {
    /// Makes the next [`get`](Self::get) read the store's revision (after a write).
    pub fn invalidate(&self) {
        if let Ok(mut checked) = self.checked.lock() {
            *checked = None;
        }
    }

    fn mark_checked(&self) {
        if let Ok(mut checked) = self.checked.lock() {
            *checked = Some(Instant::now());
        }
    }

    /// The current view, when its revision was checked less than
    /// [`REVISION_CHECK_EVERY`] ago.
    fn recently_checked(&self) -> Option<Arc<View>> {
        let recent = self
            .checked
            .lock()
            .ok()?
            .is_some_and(|t| t.elapsed() < REVISION_CHECK_EVERY);
        if !recent {
            return None;
        }
        let current = self.current.read().ok()?;
        current
            .as_ref()
            .filter(|v| v.built.elapsed() < MAX_AGE)
            .cloned()
    }

    fn fresh(&self, revision: Revision) -> Option<Arc<View>> {
        let current = self.current.read().ok()?;
        current
            .as_ref()
            .filter(|v| v.revision == revision && v.built.elapsed() < MAX_AGE)
            .cloned()
    }

    /// The view of the store as it is now.
    pub async fn get(
        &self,
        store: &Store,
        catalog: &Catalog,
        initiatives: &Initiatives,
    ) -> Result<Arc<View>> {
        if let Some(view) = self.recently_checked() {
            return Ok(view);
        }
        let revision = store.revision().await?;
        if let Some(view) = self.fresh(revision) {
            self.mark_checked();
            return Ok(view);
        }
        let _one_builder = self.rebuild.lock().await;
        let revision = store.revision().await?;
        if let Some(view) = self.fresh(revision) {
            return Ok(view);
        }
        let started = Instant::now();
        let view = Arc::new(build(store, catalog, initiatives, revision).await?);
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "view rebuilt"
        );
        if let Ok(mut current) = self.current.write() {
            *current = Some(Arc::clone(&view));
        }
        self.mark_checked();
        Ok(view)
    }
}

async fn build(
    store: &Store,
    catalog: &Catalog,
    initiatives: &Initiatives,
    revision: Revision,
) -> Result<View> {
    let now = Utc::now();
    let instances = store.instances().await?;
    let mut states: HashMap<String, HashMap<String, AppliedState>> = HashMap::new();
    for s in store.states_in_effect(None, now).await? {
        states
            .entry(s.instance.clone())
            .or_default()
            .insert(s.check_id.clone(), s.applied());
    }
    let mut latest: HashMap<String, Assessment> = store
        .latest_assessments()
        .await?
        .into_iter()
        .map(|s| (s.scan.instance.clone(), s.assessment))
        .collect();
    let mut assessments = Vec::new();
    let mut views = Vec::with_capacity(instances.len());
    for instance in instances {
        let last_scan = store
            .scans(Some(&instance.name), 1)
            .await?
            .into_iter()
            .next();
        let history = store.score_history(&instance.name, HISTORY_DAYS).await?;
        let assessment = match latest.remove(&instance.name) {
            Some(mut a) if instance.recommendations => {
                if let Some(states) = states.get(&instance.name) {
                    sspm_engine::states::apply(&mut a, states);
                }
                assessments.push(a);
                Some(assessments.len() - 1)
            }
            _ => None,
        };
        views.push(InstanceView {
            instance,
            last_scan,
            assessment,
            history,
        });
    }
    let doc = sspm_engine::eval::document(assessments, catalog, initiatives);
    // `document` keeps the order of the assessments given.
    let mut rows: Vec<Row> = doc
        .assessments
        .iter()
        .enumerate()
        .flat_map(|(a, assessment)| {
            (0..assessment.results.len()).map(move |r| Row {
                assessment: a,
                result: r,
            })
        })
        .collect();
    rows.sort_by(|x, y| {
        let (ax, rx) = (
            &doc.assessments[x.assessment],
            &doc.assessments[x.assessment].results[x.result],
        );
        let (ay, ry) = (
            &doc.assessments[y.assessment],
            &doc.assessments[y.assessment].results[y.result],
        );
        ry.points_to_gain()
            .total_cmp(&rx.points_to_gain())
            .then(ry.severity.cmp(&rx.severity))
            .then(ax.instance.cmp(&ay.instance))
            .then(rx.rank.cmp(&ry.rank))
    });
    let scored: Vec<&[DailyScore]> = views
        .iter()
        .filter(|v| v.instance.recommendations)
        .map(|v| v.history.as_slice())
        .collect();
    let history = crate::history::overall_history(&scored, HISTORY_DAYS);
    Ok(View {
        revision,
        built: Instant::now(),
        at: now,
        instances: views,
        doc,
        rows,
        history,
    })
}
