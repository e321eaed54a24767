//! The state every request handler shares.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use sspm_engine::{Catalog, Initiatives};
use sspm_store::Store;

use super::auth::{LoginLimiter, Sessions};
use super::scheduler::Scheduler;
use super::view::{View, ViewCache};
use super::ApiError;

/// The server's shared state; cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// What [`AppState`] holds.
pub struct Inner {
    /// The store.
    pub store: Arc<Store>,
    /// The checks.
    pub catalog: Arc<Catalog>,
    /// The initiatives.
    pub initiatives: Arc<Initiatives>,
    /// The derived view of the store.
    pub views: ViewCache,
    /// Dashboard sessions.
    pub sessions: Sessions,
    /// Sign-in rate limiting.
    pub logins: LoginLimiter,
    /// Background scans.
    pub scheduler: Scheduler,
    /// Cookies are marked `Secure` (the server is reached over TLS).
    pub secure_cookies: bool,
    /// When each token's use was last written.
    pub(super) touched: Mutex<HashMap<i64, Instant>>,
}

impl std::ops::Deref for AppState {
    type Target = Inner;

    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// New state over `store`.
    pub fn new(
        store: Arc<Store>,
        catalog: Arc<Catalog>,
        initiatives: Arc<Initiatives>,
        secure_cookies: bool,
    ) -> Self {
        Self(Arc::new(Inner {
            store,
            catalog,
            initiatives,
            views: ViewCache::default(),
            sessions: Sessions::default(),
            logins: LoginLimiter::default(),
            scheduler: Scheduler::default(),
            secure_cookies,
            touched: Mutex::new(HashMap::new()),
        }))
    }

    /// The current view of the store.
    pub async fn view(&self) -> Result<Arc<View>, ApiError> {
        self.views
            .get(&self.store, &self.catalog, &self.initiatives)
            .await
            .map_err(ApiError::from)
    }
}
