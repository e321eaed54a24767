//! Embeds the built-in policies (`policies/`) and initiatives (`initiatives/`) into the binary.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let root =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
            .join("../..");
    let mut out = String::new();
    for (name, dir, exts) in [
        ("POLICY_FILES", "policies", &["rego", "yaml", "yml"][..]),
        ("INITIATIVE_FILES", "initiatives", &["toml"][..]),
    ] {
        let base = root.join(dir);
        println!("cargo:rerun-if-changed={}", base.display());
        let mut files = Vec::new();
        collect(&base, &mut files);
        files.sort();
        writeln!(out, "pub static {name}: &[(&str, &str)] = &[").unwrap();
        for file in files {
            let ext = file
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or_default();
            if !exts.contains(&ext) {
                continue;
            }
            println!("cargo:rerun-if-changed={}", file.display());
            let rel = file.strip_prefix(&base).expect("walked below base");
            let rel = rel.to_string_lossy().replace('\\', "/");
            let abs = fs::canonicalize(&file).expect("file exists");
            writeln!(out, "    ({:?}, include_str!({:?})),", rel, abs).unwrap();
        }
        writeln!(out, "];").unwrap();
    }
    let dest = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded.rs");
    fs::write(dest, out).expect("write embedded.rs");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
