//! Where the default store lives.

use std::path::PathBuf;

use crate::error::{Result, StoreError};

/// The environment variable that names sspm's home directory.
pub const HOME_ENV: &str = "SSPM_HOME";

/// The default SQLite file name inside the home directory.
pub const DEFAULT_DB_NAME: &str = "sspm.db";

/// sspm's home directory: `$SSPM_HOME` if set, else the platform data directory
/// (`~/.local/share/sspm` on Linux, `~/Library/Application Support/sspm` on macOS,
/// `%APPDATA%\sspm\data` on Windows).
pub fn sspm_home() -> Result<PathBuf> {
    if let Some(home) = std::env::var_os(HOME_ENV).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(home));
    }
    directories::ProjectDirs::from("", "", "sspm")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .ok_or(StoreError::NoHome)
}

/// The default SQLite database: `sspm.db` in [`sspm_home`].
pub fn default_sqlite_path() -> Result<PathBuf> {
    Ok(sspm_home()?.join(DEFAULT_DB_NAME))
}

/// The default store URL: `sqlite://` and [`default_sqlite_path`].
pub fn default_store_url() -> Result<String> {
    let path = default_sqlite_path()?;
    let Some(text) = path.to_str() else {
        return Err(StoreError::Invalid {
            what: "store path",
            reason: format!(
                "{} is not valid UTF-8: set SSPM_HOME to another directory",
                path.display()
            ),
        });
    };
    Ok(sqlite_url(text))
}

/// A `sqlite://` URL for a path, with `%`, `?` and `#` escaped.
pub fn sqlite_url(path: &str) -> String {
    let mut url = String::from("sqlite://");
    for c in path.chars() {
        match c {
            '%' => url.push_str("%25"),
            '?' => url.push_str("%3F"),
            '#' => url.push_str("%23"),
            c => url.push(c),
        }
    }
    url
}
