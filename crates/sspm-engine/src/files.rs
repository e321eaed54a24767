//! Listing the user's policy and initiative files.

use std::path::{Path, PathBuf};

/// Files at any depth below `dir` whose extension is one of `exts`, sorted by path.
pub(crate) fn with_extensions(dir: &Path, exts: &[&str]) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    walk(dir, exts, &mut files)?;
    files.sort();
    Ok(files)
}

fn walk(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, exts, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| exts.contains(&e))
        {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn lists_matching_files_recursively_and_sorted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("b/c")).unwrap();
        for f in ["z.rego", "a.yaml", "b/c/x.rego", "b/readme.md"] {
            std::fs::write(dir.path().join(f), "").unwrap();
        }
        let files = super::with_extensions(dir.path(), &["rego", "yaml"]).unwrap();
        let rel: Vec<_> = files
            .iter()
            .map(|p| {
                p.strip_prefix(dir.path())
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        assert_eq!(rel, ["a.yaml", "b/c/x.rego", "z.rego"]);
        assert!(super::with_extensions(&dir.path().join("nope"), &["rego"]).is_err());
    }
}
