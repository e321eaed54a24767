//! Recommendation states, daily score history and the audit log.

use chrono::{DateTime, Days, NaiveDate, SubsecRound, Utc};
use serde_json::json;
use sqlx::types::Json;
use sspm_model::Score;

use crate::error::{Context, Result, StoreError};
use crate::instances::instance_target;
use crate::store::{audit, now, with_pool, Store};
use crate::types::{AuditEntry, DailyScore, RecommendationState, ScanId, StateChange, StateRecord};

#[derive(sqlx::FromRow)]
struct StateRow {
    instance: String,
    check_id: String,
    state: String,
    reason: String,
    until: Option<DateTime<Utc>>,
    set_by: String,
    set_at: DateTime<Utc>,
}

impl TryFrom<StateRow> for StateRecord {
    type Error = StoreError;

    fn try_from(r: StateRow) -> Result<Self> {
        let state = r.state.parse::<RecommendationState>().map_err(|e| {
            StoreError::Corrupt(format!("state of {} on {}: {e}", r.check_id, r.instance))
        })?;
        Ok(StateRecord {
            instance: r.instance,
            check_id: r.check_id,
            state,
            reason: r.reason,
            until: r.until,
            set_by: r.set_by,
            set_at: r.set_at,
        })
    }
}

const STATE_SELECT: &str = "SELECT i.name AS instance, r.check_id, r.state, r.reason, r.until, \
     r.set_by, r.set_at FROM recommendation_states r JOIN instances i ON i.id = r.instance_id";

fn state_details(s: &StateRecord) -> serde_json::Value {
    json!({
        "state": s.state,
        "reason": s.reason,
        "until": s.until,
        "set_by": s.set_by,
        "set_at": s.set_at,
    })
}

/// Escapes `\`, `%` and `_` for a `LIKE … ESCAPE '\'` pattern.
fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

impl Store {
    /// Sets the state of a recommendation on an instance; `default` clears it. Returns the
    /// state now stored (`None` after a clear). Audit-logged as `state.set` / `state.clear`
    /// with the previous state. An `until` in the past is stored but not in effect.
    pub async fn set_state(
        &self,
        instance: &str,
        check_id: &str,
        change: &StateChange,
    ) -> Result<Option<StateRecord>> {
        if check_id.is_empty() {
            return Err(StoreError::Invalid {
                what: "check id",
                reason: "it is empty".into(),
            });
        }
        if change.set_by.trim().is_empty() {
            return Err(StoreError::Invalid {
                what: "state change",
                reason: "who sets it (set_by) is empty".into(),
            });
        }
        if change.state != RecommendationState::Default && change.reason.trim().is_empty() {
            return Err(StoreError::Invalid {
                what: "state change",
                reason: format!("a reason is required to set {}", change.state),
            });
        }
        let at = now();
        // What PostgreSQL keeps, so that the record returned equals the one read back.
        let until = change.until.map(|u| u.trunc_subsecs(6));
        let target = format!("{}/state/{check_id}", instance_target(instance));
        let select = format!("{STATE_SELECT} WHERE i.name = $1 AND r.check_id = $2");
        let record = with_pool!(self, pool => {
            let mut tx = pool.begin().await.ctx(|| "begin a transaction".into())?;
            // A write first, so that SQLite takes its write lock before the reads.
            let instance_id: Option<i64> = sqlx::query_scalar(
                "UPDATE instances SET updated_at = updated_at WHERE name = $1 RETURNING id",
            )
            .bind(instance)
            .fetch_optional(&mut *tx)
            .await
            .ctx(|| format!("read instance `{instance}`"))?;
            let Some(instance_id) = instance_id else {
                return Err(StoreError::UnknownInstance(instance.to_string()));
            };
            let previous: Option<StateRow> = sqlx::query_as(&select)
                .bind(instance)
                .bind(check_id)
                .fetch_optional(&mut *tx)
                .await
                .ctx(|| format!("read the state of {check_id} on `{instance}`"))?;
            let previous = previous.map(StateRecord::try_from).transpose()?;
            let previous_details = previous.as_ref().map(state_details);
            let record = if change.state == RecommendationState::Default {
                sqlx::query("DELETE FROM recommendation_states WHERE instance_id = $1 AND check_id = $2")
                    .bind(instance_id)
                    .bind(check_id)
                    .execute(&mut *tx)
                    .await
                    .ctx(|| format!("clear the state of {check_id} on `{instance}`"))?;
                audit!(tx, at, &change.set_by, "state.clear", &target, json!({
                    "reason": change.reason,
                    "previous": previous_details,
                }))?;
                None
            } else {
                sqlx::query(
                    "INSERT INTO recommendation_states (instance_id, check_id, state, reason, until, set_by, set_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (instance_id, check_id) DO UPDATE SET \
                     state = excluded.state, reason = excluded.reason, until = excluded.until, \
                     set_by = excluded.set_by, set_at = excluded.set_at",
                )
                .bind(instance_id)
                .bind(check_id)
                .bind(change.state.as_str())
                .bind(&change.reason)
                .bind(until)
                .bind(&change.set_by)
                .bind(at)
                .execute(&mut *tx)
                .await
                .ctx(|| format!("set the state of {check_id} on `{instance}`"))?;
                let record = StateRecord {
                    instance: instance.to_string(),
                    check_id: check_id.to_string(),
                    state: change.state,
                    reason: change.reason.clone(),
                    until,
                    set_by: change.set_by.clone(),
                    set_at: at,
                };
                let mut details = state_details(&record);
                details["previous"] = json!(previous_details);
                audit!(tx, at, &change.set_by, "state.set", &target, details)?;
                Some(record)
            };
            tx.commit().await.ctx(|| format!("set the state of {check_id} on `{instance}`"))?;
            Ok::<_, StoreError>(record)
        })?;
        tracing::info!(instance, check = check_id, state = %change.state, "recommendation state set");
        Ok(record)
    }

    /// Clears the state of a recommendation (back to the measured status); returns whether
    /// one was set. Audit-logged as `state.clear`.
    pub async fn clear_state(
        &self,
        instance: &str,
        check_id: &str,
        actor: &str,
        reason: &str,
    ) -> Result<bool> {
        let had = self.state(instance, check_id).await?.is_some();
        self.set_state(
            instance,
            check_id,
            &StateChange {
                state: RecommendationState::Default,
                reason: reason.to_string(),
                until: None,
                set_by: actor.to_string(),
            },
        )
        .await?;
        Ok(had)
    }

    /// The stored state of a recommendation, in effect or expired (see
    /// [`StateRecord::in_effect`]).
    pub async fn state(&self, instance: &str, check_id: &str) -> Result<Option<StateRecord>> {
        let sql = format!("{STATE_SELECT} WHERE i.name = $1 AND r.check_id = $2");
        let row: Option<StateRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(instance).bind(check_id).fetch_optional(pool).await
        })
        .ctx(|| format!("read the state of {check_id} on `{instance}`"))?;
        row.map(StateRecord::try_from).transpose()
    }

    /// Every stored state (in effect or expired), of one instance or of all, by instance and
    /// check id.
    pub async fn states(&self, instance: Option<&str>) -> Result<Vec<StateRecord>> {
        let sql =
            format!("{STATE_SELECT} WHERE ($1 IS NULL OR i.name = $1) ORDER BY i.name, r.check_id");
        let rows: Vec<StateRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(instance).fetch_all(pool).await
        })
        .ctx(|| "list recommendation states".into())?;
        rows.into_iter().map(StateRecord::try_from).collect()
    }

    /// The states in effect at `at` (no `until`, or `until` later than `at`).
    pub async fn states_in_effect(
        &self,
        instance: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<Vec<StateRecord>> {
        let sql = format!(
            "{STATE_SELECT} WHERE ($1 IS NULL OR i.name = $1) AND (r.until IS NULL OR r.until > $2) \
             ORDER BY i.name, r.check_id"
        );
        let rows: Vec<StateRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(instance).bind(at).fetch_all(pool).await
        })
        .ctx(|| "list recommendation states in effect".into())?;
        rows.into_iter().map(StateRecord::try_from).collect()
    }

    /// The daily score points of an instance for the last `days` days (today, UTC, included),
    /// oldest first. Days without a completed scan are absent.
    pub async fn score_history(&self, instance: &str, days: u32) -> Result<Vec<DailyScore>> {
        let today = Utc::now().date_naive();
        let from = today
            .checked_sub_days(Days::new(u64::from(days.saturating_sub(1))))
            .unwrap_or(NaiveDate::MIN);
        self.score_history_between(instance, from, today).await
    }

    /// The daily score points of an instance from `from` to `to` (both included), oldest first.
    pub async fn score_history_between(
        &self,
        instance: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<DailyScore>> {
        let rows: Vec<(NaiveDate, f64, f64, i64)> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT d.day, d.achieved, d.possible, d.scan_id FROM daily_scores d \
                 JOIN instances i ON i.id = d.instance_id \
                 WHERE i.name = $1 AND d.day >= $2 AND d.day <= $3 ORDER BY d.day",
            )
            .bind(instance)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await
        })
        .ctx(|| format!("read the score history of instance `{instance}`"))?;
        if rows.is_empty() && self.instance(instance).await?.is_none() {
            return Err(StoreError::UnknownInstance(instance.to_string()));
        }
        Ok(rows
            .into_iter()
            .map(|(day, achieved, possible, scan)| DailyScore {
                day,
                score: Score::new(achieved, possible),
                scan: ScanId(scan),
            })
            .collect())
    }

    /// The audit log, newest first, at most `limit` entries: all of it, or only what
    /// concerns one instance (the instance, its credentials and its states).
    pub async fn audit_log(&self, instance: Option<&str>, limit: u32) -> Result<Vec<AuditEntry>> {
        let exact = instance.map(instance_target);
        let prefix = exact.as_ref().map(|t| format!("{}/%", like_escape(t)));
        type Row = (
            i64,
            DateTime<Utc>,
            String,
            String,
            String,
            Json<serde_json::Value>,
        );
        let rows: Vec<Row> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, at, actor, action, target, details FROM audit_log \
                 WHERE ($1 IS NULL OR target = $1 OR target LIKE $2 ESCAPE '\\') \
                 ORDER BY id DESC LIMIT $3",
            )
            .bind(exact.as_deref())
            .bind(prefix.as_deref())
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await
        })
        .ctx(|| "read the audit log".into())?;
        Ok(rows
            .into_iter()
            .map(|(id, at, actor, action, target, details)| AuditEntry {
                id,
                at,
                actor,
                action,
                target,
                details: details.0,
            })
            .collect())
    }
}
