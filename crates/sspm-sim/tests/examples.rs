//! The example snapshots under `examples/` are generated; they must not drift.
//! `SSPM_UPDATE_EXAMPLES=1 cargo test -p sspm-sim --test examples` rewrites them.

use std::path::PathBuf;

use sspm_model::Snapshot;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

#[test]
fn committed_examples_match_the_generator() {
    let update = std::env::var_os("SSPM_UPDATE_EXAMPLES").is_some_and(|v| v == "1");
    let readme = std::fs::read_to_string(dir().join("README.md")).unwrap_or_default();
    for example in sspm_sim::examples::examples() {
        let path = dir().join(example.file_name);
        let expected = example.render();
        assert!(
            expected.len() < 260_000,
            "{} is {} bytes",
            example.file_name,
            expected.len()
        );
        serde_json::from_str::<Snapshot>(&expected).unwrap();
        if update {
            std::fs::create_dir_all(dir()).unwrap();
            std::fs::write(&path, &expected).unwrap();
            continue;
        }
        let actual = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}; run with SSPM_UPDATE_EXAMPLES=1", path.display()));
        assert!(
            actual == expected,
            "{} differs from the generator; run `SSPM_UPDATE_EXAMPLES=1 cargo test -p sspm-sim --test examples`",
            path.display()
        );
        assert!(
            readme.contains(example.file_name),
            "examples/README.md does not describe {}",
            example.file_name
        );
    }
}
