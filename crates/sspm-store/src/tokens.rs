//! API tokens of `sspm serve`: random, shown once, kept as a SHA-256 only.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::OsRng;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::error::{Context, Result, StoreError};
use crate::store::{audit, check_name, now, with_pool, Store};
use crate::types::ParseEnumError;

/// What a token may do. Each role includes the ones below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reads everything except tokens.
    Viewer,
    /// Also triggers scans and sets recommendation states.
    Operator,
    /// Also manages instances and tokens.
    Admin,
}

impl Role {
    /// Every role, lowest first.
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Operator, Role::Admin];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Operator => "operator",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = ParseEnumError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| ParseEnumError::new("role", s, "viewer, operator, admin"))
    }
}

/// A token as stored: everything but the token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenInfo {
    /// Its id.
    pub id: i64,
    /// Its unique name, e.g. `ci-pipeline`.
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// Who created it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When it was last used (updated at most once a minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked; a revoked token authenticates nothing.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A token just created: the only time its secret value exists outside its holder.
pub struct NewToken {
    /// The stored record.
    pub info: TokenInfo,
    /// The token, `sspm_` followed by 43 base64url characters (256 random bits).
    pub token: String,
}

impl fmt::Debug for NewToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewToken")
            .field("info", &self.info)
            .field("token", &"<redacted>")
            .finish()
    }
}

/// The prefix of every token, so that secret scanners can recognise one.
pub const TOKEN_PREFIX: &str = "sspm_";

/// Hex SHA-256 of a token.
fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: i64,
    name: String,
    role: String,
    created_by: String,
    created_at: DateTime<Utc>,
    last_used_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

impl TryFrom<TokenRow> for TokenInfo {
    type Error = StoreError;

    fn try_from(r: TokenRow) -> Result<Self> {
        let role = r
            .role
            .parse::<Role>()
            .map_err(|e| StoreError::Corrupt(format!("role of token `{}`: {e}", r.name)))?;
        Ok(TokenInfo {
            id: r.id,
            name: r.name,
            role,
            created_by: r.created_by,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
        })
    }
}

const TOKEN_SELECT: &str =
    "SELECT id, name, role, created_by, created_at, last_used_at, revoked_at FROM api_tokens";

impl Store {
    /// Creates a token. The returned [`NewToken::token`] is not stored anywhere: show it
    /// to the user once. Audit-logged as `token.create`.
    pub async fn create_token(&self, name: &str, role: Role, actor: &str) -> Result<NewToken> {
        check_name("token name", name)?;
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        let token = format!(
            "{TOKEN_PREFIX}{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
        );
        let at = now();
        let target = format!("token/{name}");
        let id = with_pool!(self, pool => {
            let mut tx = pool.begin().await.ctx(|| "begin a transaction".into())?;
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO api_tokens (name, role, sha256, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING RETURNING id",
            )
            .bind(name)
            .bind(role.as_str())
            .bind(token_hash(&token))
            .bind(actor)
            .bind(at)
            .fetch_optional(&mut *tx)
            .await
            .ctx(|| format!("create token `{name}`"))?;
            let Some(id) = id else {
                return Err(StoreError::Invalid {
                    what: "token name",
                    reason: format!("a token named `{name}` exists already (revoked tokens keep their name): choose another name"),
                });
            };
            audit!(tx, at, actor, "token.create", &target, json!({ "role": role }))?;
            tx.commit().await.ctx(|| format!("create token `{name}`"))?;
            Ok::<_, StoreError>(id)
        })?;
        Ok(NewToken {
            info: TokenInfo {
                id,
                name: name.to_string(),
                role,
                created_by: actor.to_string(),
                created_at: at,
                last_used_at: None,
                revoked_at: None,
            },
            token,
        })
    }

    /// Every token, revoked ones included, by id.
    pub async fn tokens(&self) -> Result<Vec<TokenInfo>> {
        let sql = format!("{TOKEN_SELECT} ORDER BY id");
        let rows: Vec<TokenRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).fetch_all(pool).await.ctx(|| "list tokens".into())?
        });
        rows.into_iter().map(TokenInfo::try_from).collect()
    }

    /// Whether any token that is not revoked exists.
    pub async fn has_active_token(&self) -> Result<bool> {
        let n: i64 = with_pool!(self, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM api_tokens WHERE revoked_at IS NULL")
                .fetch_one(pool)
                .await
                .ctx(|| "count tokens".into())?
        });
        Ok(n > 0)
    }

    /// The active token whose value is `token`, or `None` (unknown or revoked).
    pub async fn authenticate(&self, token: &str) -> Result<Option<TokenInfo>> {
        let sql = format!("{TOKEN_SELECT} WHERE sha256 = $1 AND revoked_at IS NULL");
        let hash = token_hash(token);
        let row: Option<TokenRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(&hash).fetch_optional(pool).await.ctx(|| "look up a token".into())?
        });
        row.map(TokenInfo::try_from).transpose()
    }

    /// The active token with this id, or `None` (unknown or revoked).
    pub async fn active_token(&self, id: i64) -> Result<Option<TokenInfo>> {
        let sql = format!("{TOKEN_SELECT} WHERE id = $1 AND revoked_at IS NULL");
        let row: Option<TokenRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(id).fetch_optional(pool).await.ctx(|| "look up a token".into())?
        });
        row.map(TokenInfo::try_from).transpose()
    }

    /// Records that token `id` was used at `at`.
    pub async fn touch_token(&self, id: i64, at: DateTime<Utc>) -> Result<()> {
        with_pool!(self, pool => {
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(at)
                .bind(id)
                .execute(pool)
                .await
                .ctx(|| "record a token's use".into())?;
        });
        Ok(())
    }

    /// Revokes the token called `name`; it stops authenticating at once. Audit-logged as
    /// `token.revoke`. Revoking a revoked token changes nothing and is not an error.
    pub async fn revoke_token(&self, name: &str, actor: &str) -> Result<TokenInfo> {
        let at = now();
        let target = format!("token/{name}");
        let select = format!("{TOKEN_SELECT} WHERE name = $1");
        let row: TokenRow = with_pool!(self, pool => {
            let mut tx = pool.begin().await.ctx(|| "begin a transaction".into())?;
            let updated = sqlx::query(
                "UPDATE api_tokens SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL",
            )
            .bind(at)
            .bind(name)
            .execute(&mut *tx)
            .await
            .ctx(|| format!("revoke token `{name}`"))?
            .rows_affected();
            let row: Option<TokenRow> = sqlx::query_as(&select)
                .bind(name)
                .fetch_optional(&mut *tx)
                .await
                .ctx(|| format!("read token `{name}`"))?;
            let Some(row) = row else {
                return Err(StoreError::UnknownToken(name.to_string()));
            };
            if updated > 0 {
                audit!(tx, at, actor, "token.revoke", &target, json!({}))?;
            }
            tx.commit().await.ctx(|| format!("revoke token `{name}`"))?;
            Ok::<_, StoreError>(row)
        })?;
        TokenInfo::try_from(row)
    }
}

/// A marker that changes whenever what a reader of the latest results sees may have
/// changed: an audited change (instances, credentials, states, tokens), a scan begun, or
/// a scan that ended (fewer running). Cheap to read (three index lookups); for caches of
/// derived views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Revision {
    audit: i64,
    scans: i64,
    running: i64,
}

impl Store {
    /// The current [`Revision`].
    pub async fn revision(&self) -> Result<Revision> {
        let sql = "SELECT (SELECT COALESCE(MAX(id), 0) FROM audit_log), \
                   (SELECT COALESCE(MAX(id), 0) FROM scans), \
                   (SELECT COUNT(*) FROM scans WHERE status = 'running')";
        let (audit, scans, running): (i64, i64, i64) = with_pool!(self, pool => {
            sqlx::query_as(sql).fetch_one(pool).await.ctx(|| "read the store's revision".into())?
        });
        Ok(Revision {
            audit,
            scans,
            running,
        })
    }
}
