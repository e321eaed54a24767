//! Files embedded at build time by `build.rs`: `(path relative to its root, contents)`.

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
