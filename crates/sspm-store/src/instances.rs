//! Instances and their encrypted credentials.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::types::Json;

use crate::error::{Context, Result, StoreError};
use crate::secret::{self, Sealed, Secret};
use crate::store::{audit, check_name, now, with_pool, Store};
use crate::types::{CredentialInfo, Instance, NewInstance};

#[derive(sqlx::FromRow)]
struct InstanceRow {
    name: String,
    app: String,
    config: Json<serde_json::Value>,
    recommendations: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<InstanceRow> for Instance {
    fn from(r: InstanceRow) -> Self {
        Instance {
            name: r.name,
            app: r.app,
            config: r.config.0,
            recommendations: r.recommendations,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

const INSTANCE_COLUMNS: &str =
    "SELECT name, app, config, recommendations, created_at, updated_at FROM instances";

#[derive(sqlx::FromRow)]
struct CredentialRow {
    ciphertext: Vec<u8>,
    nonce: Vec<u8>,
    key_id: String,
}

/// The audit target of an instance.
pub(crate) fn instance_target(name: &str) -> String {
    format!("instance/{name}")
}

impl Store {
    /// Adds an instance; fails with [`StoreError::InstanceExists`] if the name is taken.
    /// Audit-logged as `instance.add`.
    pub async fn add_instance(&self, new: &NewInstance, actor: &str) -> Result<Instance> {
        check_name("instance name", &new.name)?;
        check_name("app name", &new.app)?;
        if !new.config.is_object() {
            return Err(StoreError::Invalid {
                what: "instance configuration",
                reason: "it must be a JSON object".into(),
            });
        }
        let at = now();
        let target = instance_target(&new.name);
        with_pool!(self, pool => {
            let mut tx = pool.begin().await.ctx(|| "begin a transaction".into())?;
            let inserted = sqlx::query(
                "INSERT INTO instances (name, app, config, recommendations, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (name) DO NOTHING",
            )
            .bind(&new.name)
            .bind(&new.app)
            .bind(Json(&new.config))
            .bind(new.recommendations)
            .bind(at)
            .execute(&mut *tx)
            .await
            .ctx(|| format!("add instance `{}`", new.name))?
            .rows_affected();
            if inserted == 0 {
                return Err(StoreError::InstanceExists(new.name.clone()));
            }
            audit!(tx, at, actor, "instance.add", &target, json!({
                "app": new.app,
                "config": new.config,
                "recommendations": new.recommendations,
            }))?;
            tx.commit().await.ctx(|| format!("add instance `{}`", new.name))?;
            Ok::<_, StoreError>(())
        })?;
        tracing::info!(instance = %new.name, app = %new.app, "instance added");
        Ok(Instance {
            name: new.name.clone(),
            app: new.app.clone(),
            config: new.config.clone(),
            recommendations: new.recommendations,
            created_at: at,
            updated_at: at,
        })
    }

    /// The instance named `name`, if any.
    pub async fn instance(&self, name: &str) -> Result<Option<Instance>> {
        let sql = format!("{INSTANCE_COLUMNS} WHERE name = $1");
        let row: Option<InstanceRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(name).fetch_optional(pool).await
        })
        .ctx(|| format!("read instance `{name}`"))?;
        Ok(row.map(Instance::from))
    }

    /// Every instance, by name.
    pub async fn instances(&self) -> Result<Vec<Instance>> {
        let sql = format!("{INSTANCE_COLUMNS} ORDER BY name");
        let rows: Vec<InstanceRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).fetch_all(pool).await
        })
        .ctx(|| "list instances".into())?;
        Ok(rows.into_iter().map(Instance::from).collect())
    }

    /// Replaces an instance's non-secret configuration. Audit-logged as `instance.configure`
    /// with the configuration before and after (only when it changed).
    pub async fn set_instance_config(
        &self,
        name: &str,
        config: &serde_json::Value,
        actor: &str,
    ) -> Result<Instance> {
        if !config.is_object() {
            return Err(StoreError::Invalid {
                what: "instance configuration",
                reason: "it must be a JSON object".into(),
            });
        }
        self.update_instance(name, actor, "instance.configure", |i| {
            if &i.config == config {
                return None;
            }
            let details = json!({ "before": i.config, "after": config });
            i.config = config.clone();
            Some(details)
        })
        .await
    }

    /// Switches security recommendations on or off for an instance (off: collected, not
    /// scored). Audit-logged as `instance.enable` / `instance.disable` when it changed.
    pub async fn set_recommendations(&self, name: &str, on: bool, actor: &str) -> Result<Instance> {
        let action = if on {
            "instance.enable"
        } else {
            "instance.disable"
        };
        self.update_instance(name, actor, action, |i| {
            if i.recommendations == on {
                return None;
            }
            i.recommendations = on;
            Some(json!({ "recommendations": on }))
        })
        .await
    }

    /// Reads an instance, applies `change` (which returns audit details, or `None` when
    /// nothing changed) and writes it back with an audit entry, in one transaction.
    async fn update_instance(
        &self,
        name: &str,
        actor: &str,
        action: &str,
        change: impl FnOnce(&mut Instance) -> Option<serde_json::Value>,
    ) -> Result<Instance> {
        let at = now();
        let target = instance_target(name);
        let select = format!("{INSTANCE_COLUMNS} WHERE name = $1");
        with_pool!(self, pool => {
            let mut tx = pool.begin().await.ctx(|| "begin a transaction".into())?;
            // A write first, so that SQLite takes its write lock before the read.
            sqlx::query("UPDATE instances SET updated_at = updated_at WHERE name = $1")
                .bind(name)
                .execute(&mut *tx)
                .await
                .ctx(|| format!("update instance `{name}`"))?;
            let row: Option<InstanceRow> = sqlx::query_as(&select)
                .bind(name)
                .fetch_optional(&mut *tx)
                .await
                .ctx(|| format!("read instance `{name}`"))?;
            let mut instance = Instance::from(row.ok_or_else(|| StoreError::UnknownInstance(name.to_string()))?);
            let Some(details) = change(&mut instance) else {
                return Ok(instance);
            };
            instance.updated_at = at;
            sqlx::query(
                "UPDATE instances SET config = $2, recommendations = $3, updated_at = $4 WHERE name = $1",
            )
            .bind(name)
            .bind(Json(&instance.config))
            .bind(instance.recommendations)
            .bind(at)
            .execute(&mut *tx)
            .await
            .ctx(|| format!("update instance `{name}`"))?;
            audit!(tx, at, actor, action, &target, details)?;
            tx.commit().await.ctx(|| format!("update instance `{name}`"))?;
            tracing::info!(instance = %name, action, "instance updated");
            Ok(instance)
        })
    }

    /// Removes an instance with its credentials, scans, results, states and score history
    /// (snapshots no other scan uses are deleted too). Audit-logged as `instance.remove`.
    pub async fn remove_instance(&self, name: &str, actor: &str) -> Result<()> {
        let at = now();
        let target = instance_target(name);
        with_pool!(self, pool => {
            let mut tx = pool.begin().await.ctx(|| "begin a transaction".into())?;
            let removed = sqlx::query("DELETE FROM instances WHERE name = $1")
                .bind(name)
                .execute(&mut *tx)
                .await
                .ctx(|| format!("remove instance `{name}`"))?
                .rows_affected();
            if removed == 0 {
                return Err(StoreError::UnknownInstance(name.to_string()));
            }
            sqlx::query(
                "DELETE FROM snapshots WHERE NOT EXISTS \
                 (SELECT 1 FROM scans WHERE scans.snapshot_id = snapshots.id)",
            )
            .execute(&mut *tx)
            .await
            .ctx(|| format!("delete the snapshots of instance `{name}`"))?;
            sqlx::query(
                "DELETE FROM offender_sets WHERE NOT EXISTS \
                 (SELECT 1 FROM results WHERE results.offender_set_id = offender_sets.id)",
            )
            .execute(&mut *tx)
            .await
            .ctx(|| format!("delete the offender lists of instance `{name}`"))?;
            audit!(tx, at, actor, "instance.remove", &target, json!({}))?;
            tx.commit().await.ctx(|| format!("remove instance `{name}`"))?;
            Ok::<_, StoreError>(())
        })?;
        tracing::info!(instance = %name, "instance removed");
        Ok(())
    }

    /// Stores (or replaces) a credential of an instance, encrypted under the master key.
    /// Audit-logged as `credential.set` (the value is never logged).
    pub async fn set_credential(
        &self,
        instance: &str,
        name: &str,
        secret: &Secret,
        actor: &str,
    ) -> Result<()> {
        check_name("credential name", name)?;
        let key = self.master_key().await?;
        let sealed = secret::seal(key, instance, name, secret)?;
        let at = now();
        let target = format!("instance/{instance}/credential/{name}");
        with_pool!(self, pool => {
            let mut tx = pool.begin().await.ctx(|| "begin a transaction".into())?;
            let written = sqlx::query(
                "INSERT INTO credentials (instance_id, name, ciphertext, nonce, key_id, created_at, updated_at) \
                 SELECT id, $2, $3, $4, $5, $6, $6 FROM instances WHERE name = $1 \
                 ON CONFLICT (instance_id, name) DO UPDATE SET ciphertext = excluded.ciphertext, \
                 nonce = excluded.nonce, key_id = excluded.key_id, updated_at = excluded.updated_at",
            )
            .bind(instance)
            .bind(name)
            .bind(&sealed.ciphertext)
            .bind(&sealed.nonce)
            .bind(&sealed.key_id)
            .bind(at)
            .execute(&mut *tx)
            .await
            .ctx(|| format!("store credential `{name}` of instance `{instance}`"))?
            .rows_affected();
            if written == 0 {
                return Err(StoreError::UnknownInstance(instance.to_string()));
            }
            audit!(tx, at, actor, "credential.set", &target, json!({ "key_id": sealed.key_id }))?;
            tx.commit().await.ctx(|| format!("store credential `{name}` of instance `{instance}`"))?;
            Ok::<_, StoreError>(())
        })?;
        tracing::info!(instance, credential = name, "credential stored");
        Ok(())
    }

    /// Decrypts a credential of an instance; `None` if there is none of that name.
    pub async fn credential(&self, instance: &str, name: &str) -> Result<Option<Secret>> {
        let row: Option<CredentialRow> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT c.ciphertext, c.nonce, c.key_id FROM credentials c \
                 JOIN instances i ON i.id = c.instance_id WHERE i.name = $1 AND c.name = $2",
            )
            .bind(instance)
            .bind(name)
            .fetch_optional(pool)
            .await
        })
        .ctx(|| format!("read credential `{name}` of instance `{instance}`"))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let key = self.master_key().await?;
        let sealed = Sealed {
            ciphertext: row.ciphertext,
            nonce: row.nonce,
            key_id: row.key_id,
        };
        secret::open(key, instance, name, &sealed).map(Some)
    }

    /// The credentials of an instance (names and dates, never values), by name.
    pub async fn credentials(&self, instance: &str) -> Result<Vec<CredentialInfo>> {
        let rows: Vec<(String, String, DateTime<Utc>, DateTime<Utc>)> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT c.name, c.key_id, c.created_at, c.updated_at FROM credentials c \
                 JOIN instances i ON i.id = c.instance_id WHERE i.name = $1 ORDER BY c.name",
            )
            .bind(instance)
            .fetch_all(pool)
            .await
        })
        .ctx(|| format!("list the credentials of instance `{instance}`"))?;
        Ok(rows
            .into_iter()
            .map(|(name, key_id, created_at, updated_at)| CredentialInfo {
                name,
                key_id,
                created_at,
                updated_at,
            })
            .collect())
    }

    /// Deletes a credential; returns whether it existed. Audit-logged as `credential.remove`.
    pub async fn remove_credential(&self, instance: &str, name: &str, actor: &str) -> Result<bool> {
        let at = now();
        let target = format!("instance/{instance}/credential/{name}");
        with_pool!(self, pool => {
            let mut tx = pool.begin().await.ctx(|| "begin a transaction".into())?;
            let removed = sqlx::query(
                "DELETE FROM credentials WHERE name = $2 AND instance_id = \
                 (SELECT id FROM instances WHERE name = $1)",
            )
            .bind(instance)
            .bind(name)
            .execute(&mut *tx)
            .await
            .ctx(|| format!("remove credential `{name}` of instance `{instance}`"))?
            .rows_affected();
            if removed > 0 {
                audit!(tx, at, actor, "credential.remove", &target, json!({}))?;
            }
            tx.commit().await.ctx(|| format!("remove credential `{name}` of instance `{instance}`"))?;
            Ok(removed > 0)
        })
    }
}
