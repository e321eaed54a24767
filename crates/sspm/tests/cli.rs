//! End-to-end tests of the `sspm` binary on the shipped examples and on broken inputs.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example(name: &str) -> String {
    root().join("examples").join(name).display().to_string()
}

/// The binary, with its home (store, master key) in this test process's temporary directory.
fn sspm() -> Command {
    static HOME: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let home = HOME.get_or_init(|| tempfile::tempdir().unwrap());
    let mut cmd = Command::cargo_bin("sspm").unwrap();
    cmd.env_remove("NO_COLOR")
        .env_remove("SSPM_STORE")
        .env_remove("SSPM_CONFIG")
        .env("SSPM_HOME", home.path())
        .env("SSPM_LOG", "error");
    cmd
}

/// Runs `sspm assess --format json` and returns (exit code, parsed stdout, stderr).
fn assess_json(args: &[&str]) -> (i32, Value, String) {
    let out = sspm()
        .arg("assess")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let doc = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), doc, stderr)
}

fn result<'a>(doc: &'a Value, assessment: usize, id: &str) -> &'a Value {
    doc["assessments"][assessment]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no result {id}"))
}

/// Runs sspm and returns (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = sspm().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

const ENTRA_CHECKS: [&str; 13] = [
    "m365.entra.legacy_auth_blocked",
    "m365.entra.high_risk_users_blocked",
    "m365.entra.high_risk_signins_blocked",
    "m365.entra.mfa_all_users",
    "m365.entra.weak_methods_disabled",
    "m365.entra.users_cannot_register_apps",
    "m365.entra.user_consent_restricted",
    "m365.entra.admin_consent_workflow",
    "m365.entra.passwords_never_expire",
    "m365.entra.global_admin_count",
    "m365.entra.guest_access_restricted",
    "m365.entra.guest_invites_limited",
    "m365.entra.mfa_registration_coverage",
];

#[test]
fn assess_prints_the_results_contract() {
    let weak = example("m365-contoso-weak.json");
    let hardened = example("m365-fabrikam-hardened.json");
    let (code, doc, stderr) = assess_json(&["--snapshot", &weak, "--snapshot", &hardened]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(doc["format"], "sspm-results/1");
    let assessments = doc["assessments"].as_array().unwrap();
    assert_eq!(assessments.len(), 2);
    let mut achieved = 0.0;
    let mut possible = 0.0;
    for a in assessments {
        assert_eq!(a["app"], "m365");
        for key in ["instance", "tenant", "assessed_at"] {
            assert!(a[key].is_string(), "assessment lacks {key}");
        }
        let results = a["results"].as_array().unwrap();
        let ids: Vec<&str> = results.iter().map(|r| r["id"].as_str().unwrap()).collect();
        for id in ENTRA_CHECKS {
            assert!(ids.contains(&id), "{id} missing from results");
        }
        let mut a_achieved = 0.0;
        let mut a_possible = 0.0;
        for (i, r) in results.iter().enumerate() {
            for key in [
                "id",
                "title",
                "severity",
                "status",
                "points",
                "max_points",
                "compliant",
                "total",
                "offenders",
                "reason",
                "benchmarks",
                "initiatives",
            ] {
                assert!(r.get(key).is_some(), "{} lacks {key}", r["id"]);
            }
            assert_eq!(r["rank"], i + 1);
            if r["scoring"] == "binary" {
                assert!(r["compliant"].is_null() && r["total"].is_null());
            }
            for o in r["offenders"].as_array().unwrap() {
                assert!(o["type"].is_string() && o["id"].is_string() && o["name"].is_string());
            }
            for b in r["benchmarks"].as_array().unwrap() {
                assert!(b["framework"].is_string() && b["id"].is_string());
            }
            if matches!(r["status"].as_str(), Some("pass" | "fail")) {
                a_achieved += r["points"].as_f64().unwrap();
                a_possible += r["max_points"].as_f64().unwrap();
            }
        }
        let score = &a["score"];
        assert!((score["achieved"].as_f64().unwrap() - a_achieved).abs() < 0.01);
        assert!((score["possible"].as_f64().unwrap() - a_possible).abs() < 0.01);
        achieved += a_achieved;
        possible += a_possible;
    }
    assert!((doc["score"]["achieved"].as_f64().unwrap() - achieved).abs() < 0.02);
    assert!((doc["score"]["possible"].as_f64().unwrap() - possible).abs() < 0.02);
    let pct = doc["score"]["percent"].as_f64().unwrap();
    assert!((pct - 100.0 * achieved / possible).abs() < 0.01);
    assert_eq!(doc["initiatives"].as_array().unwrap().len(), 6);
}

/// The m365 results of assessment `i` of a results document.
fn results(doc: &Value, i: usize) -> &Vec<Value> {
    doc["assessments"][i]["results"].as_array().unwrap()
}

/// The ids of the results whose status is not in `allowed`, with their status.
fn outside(results: &[Value], allowed: &[&str]) -> Vec<String> {
    results
        .iter()
        .filter(|r| !allowed.contains(&r["status"].as_str().unwrap_or("")))
        .map(|r| format!("{} is {}: {}", r["id"], r["status"], r["reason"]))
        .collect()
}

#[test]
fn weak_tenant_fails_and_hardened_tenant_passes() {
    let (_, doc, stderr) = assess_json(&[
        "--snapshot",
        &example("m365-contoso-weak.json"),
        "--snapshot",
        &example("m365-fabrikam-hardened.json"),
    ]);
    assert!(doc.is_object(), "{stderr}");
    for id in ENTRA_CHECKS {
        assert_eq!(result(&doc, 0, id)["status"], "fail", "weak tenant: {id}");
        assert_eq!(
            result(&doc, 1, id)["status"],
            "pass",
            "hardened tenant: {id}"
        );
    }
    // Every check, Exchange and PIM role settings included: the weak example fails
    // each one, the hardened example meets each one.
    let (weak, hardened) = (results(&doc, 0), results(&doc, 1));
    assert!(weak.len() >= 60, "{} results", weak.len());
    assert_eq!(outside(weak, &["fail"]), Vec::<String>::new());
    assert_eq!(
        outside(hardened, &["pass", "not_applicable"]),
        Vec::<String>::new()
    );
    let ga = result(&doc, 0, "m365.entra.global_admin_count");
    assert!(!ga["offenders"].as_array().unwrap().is_empty());
    let mfa = result(&doc, 0, "m365.entra.mfa_registration_coverage");
    let (c, t) = (
        mfa["compliant"].as_u64().unwrap(),
        mfa["total"].as_u64().unwrap(),
    );
    assert!(c < t && t > 0);
    let expected = mfa["max_points"].as_f64().unwrap() * c as f64 / t as f64;
    assert!((mfa["points"].as_f64().unwrap() - expected).abs() < 0.01);
    assert_eq!(doc["assessments"][1]["score"]["percent"], 100.0);
}

/// Writes the snapshot of a small simulated tenant of `posture` and seed into `dir`.
fn simulated(dir: &Path, posture: sspm_sim::Posture, seed: u64) -> String {
    let spec = sspm_sim::M365Spec {
        users: 60,
        seed,
        ..sspm_sim::M365Spec::small(posture)
    };
    let path = dir.join(format!("{posture:?}-{seed}.json"));
    std::fs::write(&path, sspm_sim::generate_m365_json(&spec)).unwrap();
    path.display().to_string()
}

#[test]
fn simulated_profiles_drive_every_check() {
    use sspm_sim::Posture;
    let dir = tempfile::tempdir().unwrap();
    for seed in [1, 42] {
        let (code, doc, stderr) = assess_json(&[
            "--snapshot",
            &simulated(dir.path(), Posture::Weak, seed),
            "--snapshot",
            &simulated(dir.path(), Posture::Hardened, seed),
            "--snapshot",
            &simulated(dir.path(), Posture::Mixed, seed),
        ]);
        assert_eq!(code, 0, "{stderr}");
        // weak: every check fails (none is an error or not applicable: every resource
        // a check reads is in the snapshot).
        assert_eq!(outside(results(&doc, 0), &["fail"]), Vec::<String>::new());
        // hardened: every check passes (or honestly does not apply); nothing is an error.
        assert_eq!(
            outside(results(&doc, 1), &["pass", "not_applicable"]),
            Vec::<String>::new()
        );
        // mixed: a realistic mix, never an error.
        let mixed = results(&doc, 2);
        let count = |s: &str| mixed.iter().filter(|r| r["status"] == s).count();
        assert!(
            count("pass") >= 10 && count("fail") >= 10,
            "seed {seed}: {} pass, {} fail",
            count("pass"),
            count("fail")
        );
        assert_eq!(
            count("error"),
            0,
            "{:?}",
            outside(mixed, &["pass", "fail", "manual", "not_applicable"])
        );
        assert_eq!(results(&doc, 0).len(), mixed.len());
    }
}

/// A child process, killed (and reaped) when dropped, even when a test panics.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_scan_of_the_simulator_over_http_collects_every_call() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    for (profile, allowed) in [
        ("hardened", &["pass", "not_applicable"][..]),
        ("weak", &["fail"][..]),
    ] {
        let mut sim = Killed(
            std::process::Command::new(assert_cmd::cargo::cargo_bin("sspm"))
                .args([
                    "sim",
                    "m365",
                    "--port",
                    "0",
                    "--users",
                    "80",
                    "--profile",
                    profile,
                ])
                .env("SSPM_LOG", "error")
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap(),
        );
        // The simulator prints the [[instances]] block to put in sspm.toml.
        let mut lines = BufReader::new(sim.0.stderr.take().unwrap()).lines();
        let mut config = String::new();
        for line in lines.by_ref() {
            let line = line.unwrap();
            if line.starts_with("[[instances]]") || !config.is_empty() {
                config.push_str(&line);
                config.push('\n');
            }
            if line.starts_with("exo_url") {
                break;
            }
        }
        let path = dir.path().join(format!("{profile}.toml"));
        std::fs::write(&path, &config).unwrap();
        let out = sspm()
            .args(["scan", "--format", "json", "--config"])
            .arg(&path)
            .env("SIM_SECRET", "sim~client~secret~not~a~real~one")
            .output()
            .unwrap();
        drop(sim);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        assert!(doc.is_object(), "{profile}: {config}\n{stderr}");
        // No call failed (an error would name it), and every check has its verdict.
        assert_eq!(
            outside(results(&doc, 0), allowed),
            Vec::<String>::new(),
            "{profile}"
        );
    }
}

#[test]
fn failed_calls_make_checks_not_evaluable_never_failing() {
    let (code, doc, stderr) =
        assess_json(&["--snapshot", &example("m365-partial-permissions.json")]);
    assert_eq!(code, 0, "{stderr}");
    let mfa = result(&doc, 0, "m365.entra.mfa_registration_coverage");
    assert_eq!(mfa["status"], "error");
    assert_eq!(mfa["points"], 0.0);
    let reason = mfa["reason"].as_str().unwrap();
    assert!(reason.contains("userRegistrationDetails"), "{reason}");
    assert!(reason.contains("403"), "{reason}");
    assert!(reason.contains("AuditLog.Read.All"), "{reason}");
    let ga = result(&doc, 0, "m365.entra.global_admin_count");
    assert_eq!(ga["status"], "error");
    assert!(ga["reason"]
        .as_str()
        .unwrap()
        .contains("roleEligibilityScheduleInstances"));
    // Not-evaluable results are outside the score.
    let possible: f64 = doc["assessments"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "pass" || r["status"] == "fail")
        .map(|r| r["max_points"].as_f64().unwrap())
        .sum();
    assert!((doc["score"]["possible"].as_f64().unwrap() - possible).abs() < 0.01);
}

#[test]
fn fail_on_sets_the_exit_code() {
    let weak = example("m365-contoso-weak.json");
    // A snapshot whose only resource is the hardened tenant's authorization policy: its
    // checks pass and every other check is not evaluable, so nothing fails.
    let hardened: Value = serde_json::from_str(
        &std::fs::read_to_string(example("m365-fabrikam-hardened.json")).unwrap(),
    )
    .unwrap();
    let key = "graph:/v1.0/policies/authorizationPolicy";
    let mut partial = hardened.clone();
    partial["resources"] = serde_json::json!({ key: hardened["resources"][key].clone() });
    partial["failures"] = serde_json::json!({});
    let dir = tempfile::tempdir().unwrap();
    let only_passing = dir.path().join("only-passing.json").display().to_string();
    std::fs::write(&only_passing, partial.to_string()).unwrap();
    for (snapshot, fail_on, expected) in [
        (&weak, Some("high"), 1),
        (&weak, Some("critical"), 1),
        (&weak, None, 0),
        (&only_passing, Some("low"), 0),
    ] {
        let mut args = vec!["assess", "--snapshot", snapshot.as_str(), "-f", "json"];
        args.extend(fail_on.iter().flat_map(|sev| ["--fail-on", *sev]));
        assert_eq!(run(&args).0, expected, "{args:?}");
    }
    let (code, _, err) = run(&["assess", "--snapshot", &weak, "--fail-on", "severe"]);
    assert_eq!(code, 2);
    assert!(err.contains("severe"), "{err}");
}

#[test]
fn every_format_renders() {
    let weak = example("m365-contoso-weak.json");
    for format in ["table", "csv", "markdown", "sarif", "ocsf", "json"] {
        let (code, out, err) = run(&["assess", "--snapshot", &weak, "-f", format]);
        assert_eq!(code, 0, "{format}: {err}");
        assert!(out.contains("m365.entra.legacy_auth_blocked"), "{format}");
    }
    let (_, out, _) = run(&["assess", "--snapshot", &weak, "-f", "sarif"]);
    let sarif: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let (_, out, _) = run(&["assess", "--snapshot", &weak, "-f", "ocsf"]);
    let ocsf: Value = serde_json::from_str(&out).unwrap();
    assert!(ocsf
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["class_uid"] == 2004));
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A policy in `package` that always passes.
fn passing(package: &str) -> String {
    format!("package {package}\nresult := {{\"status\": \"pass\", \"reason\": \"ok\"}}\n")
}

const META: &str = r#"id: m365.custom.sample
title: Sample custom check
description: A custom check.
rationale: Tests.
severity: medium
max_points: 3
scoring: binary
needs: ["graph:/v1.0/domains"]
user_impact: low
implementation_cost: low
implementation: ["Do the thing."]
"#;

#[test]
fn bad_inputs_get_clear_errors_and_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "notjson.json",
        "{\n  \"format\": \"sspm-snapshot/1\",\n  oops\n}",
    );
    write(
        d,
        "wrongformat.json",
        r#"{"format":"sspm-snapshot/7","app":"m365"}"#,
    );
    write(
        d,
        "unknownapp.json",
        r#"{"format":"sspm-snapshot/1","app":"lotus-notes","instance":"i","tenant":"t","collected_at":"2026-01-01T00:00:00Z","resources":{}}"#,
    );
    let snap = |name: &str| d.join(name).display().to_string();
    let cases: Vec<(Vec<String>, Vec<&str>)> = vec![
        (
            vec![snap("missing.json")],
            vec!["missing.json", "cannot read"],
        ),
        (vec![snap("notjson.json")], vec!["notjson.json", "line 3"]),
        (
            vec![snap("wrongformat.json")],
            vec!["sspm-snapshot/7", "format"],
        ),
        (vec![snap("unknownapp.json")], vec!["lotus-notes", "m365"]),
    ];
    for (files, needles) in cases {
        let mut args = vec!["assess".to_string()];
        for f in &files {
            args.push("--snapshot".into());
            args.push(f.clone());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        for n in needles {
            assert!(err.contains(n), "{args:?}: `{n}` not in: {err}");
        }
        assert!(!err.contains("panicked"), "{err}");
    }

    let weak = example("m365-contoso-weak.json");
    // A policy that does not parse: file and line.
    let broken = d.join("broken");
    write(&broken, "sample.yaml", META);
    write(
        &broken,
        "sample.rego",
        "package custom.sample\n\nresult := {\n  \"status\": \n",
    );
    let (code, _, err) = run(&[
        "assess",
        "--snapshot",
        &weak,
        "--policies",
        broken.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("sample.rego"), "{err}");
    assert!(
        err.contains(":4") || err.contains(":5"),
        "no line in: {err}"
    );

    // Metadata missing a required field: file and field.
    let nofield = d.join("nofield");
    write(
        &nofield,
        "sample.yaml",
        &META.replace("severity: medium\n", ""),
    );
    write(&nofield, "sample.rego", &passing("custom.sample"));
    let (code, _, err) = run(&["checks", "--policies", nofield.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("sample.yaml") && err.contains("severity"),
        "{err}"
    );

    // Duplicate ids.
    let dup = d.join("dup");
    write(&dup, "a/sample.yaml", META);
    write(&dup, "a/sample.rego", &passing("custom.a"));
    write(&dup, "b/sample.yaml", META);
    write(&dup, "b/sample.rego", &passing("custom.b"));
    let (code, _, err) = run(&["checks", "--policies", dup.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("duplicate check id") && err.contains("m365.custom.sample"),
        "{err}"
    );
}

#[test]
fn user_checks_run_override_and_fail_safely() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let meta = |id: &str, title: &str| {
        META.replace("m365.custom.sample", id)
            .replace("Sample custom check", title)
    };
    // Overrides a built-in check by id.
    write(
        d,
        "override.yaml",
        &meta(
            "m365.entra.admin_consent_workflow",
            "Overridden by the user",
        ),
    );
    write(
        d,
        "override.rego",
        "package custom.override\nresult := {\"status\": \"pass\", \"reason\": \"user says so\"}\n",
    );
    // Reads data and fails with an offender.
    write(
        d,
        "domains.yaml",
        &meta("m365.custom.domains", "Every domain is verified"),
    );
    write(
        d,
        "domains.rego",
        r#"package custom.domains
bad := [d | some d in input.resources["graph:/v1.0/domains"]; not d.isVerified]
result := {"status": "pass", "reason": "all verified"} if count(bad) == 0
else := {"status": "fail", "reason": sprintf("%d unverified", [count(bad)]),
         "offenders": [{"type": "domain", "id": d.id, "name": d.id} | some d in bad]}
"#,
    );
    // Throws: two different values for one complete rule.
    write(d, "throws.yaml", &meta("m365.custom.throws", "Throws"));
    write(
        d,
        "throws.rego",
        "package custom.throws\nresult := {\"status\": \"pass\", \"reason\": \"a\"} if true\nresult := {\"status\": \"fail\", \"reason\": \"b\"} if true\n",
    );
    // Returns a malformed object.
    write(
        d,
        "malformed.yaml",
        &meta("m365.custom.malformed", "Malformed"),
    );
    write(
        d,
        "malformed.rego",
        "package custom.malformed\nresult := {\"status\": \"great\", \"reason\": 1}\n",
    );
    // Runs for too long.
    write(d, "slow.yaml", &meta("m365.custom.slow", "Slow"));
    write(
        d,
        "slow.rego",
        "package custom.slow\nn := count([x | some x in numbers.range(1, 4000); some y in numbers.range(1, 4000); x == y])\nresult := {\"status\": \"pass\", \"reason\": sprintf(\"%d\", [n])}\n",
    );
    // Undefined for this input.
    write(
        d,
        "undefined.yaml",
        &meta("m365.custom.undefined", "Undefined"),
    );
    write(
        d,
        "undefined.rego",
        "package custom.undefined\nresult := {\"status\": \"pass\", \"reason\": \"x\"} if input.resources.nothing\n",
    );
    let (code, doc, stderr) = assess_json(&[
        "--snapshot",
        &example("m365-contoso-weak.json"),
        "--policies",
        d.to_str().unwrap(),
        "--check-timeout",
        "0.5",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let r = result(&doc, 0, "m365.entra.admin_consent_workflow");
    assert_eq!(
        (r["title"].as_str(), r["status"].as_str()),
        (Some("Overridden by the user"), Some("pass"))
    );
    let r = result(&doc, 0, "m365.custom.domains");
    assert!(matches!(r["status"].as_str(), Some("pass" | "fail")), "{r}");
    let r = result(&doc, 0, "m365.custom.throws");
    assert_eq!(r["status"], "error");
    assert!(r["reason"].as_str().unwrap().contains("throws.rego"), "{r}");
    let r = result(&doc, 0, "m365.custom.malformed");
    assert_eq!(r["status"], "error");
    assert!(r["reason"].as_str().unwrap().contains("malformed"), "{r}");
    let r = result(&doc, 0, "m365.custom.slow");
    assert_eq!(r["status"], "error");
    assert!(r["reason"].as_str().unwrap().contains("timed out"), "{r}");
    let r = result(&doc, 0, "m365.custom.undefined");
    assert_eq!(r["status"], "error");
    assert!(r["reason"].as_str().unwrap().contains("undefined"), "{r}");
    // The built-in checks still ran.
    assert_eq!(
        result(&doc, 0, "m365.entra.legacy_auth_blocked")["status"],
        "fail"
    );
}

#[test]
fn catalog_commands() {
    let (code, out, err) = run(&["checks", "--app", "m365", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let list: Value = serde_json::from_str(&out).unwrap();
    assert!(list.as_array().unwrap().len() >= 13);
    let (code, out, _) = run(&["checks"]);
    assert_eq!(code, 0);
    assert!(out.contains("m365.entra.mfa_all_users"));
    let (code, _, err) = run(&["checks", "--app", "nosuchapp"]);
    assert_eq!(code, 2);
    assert!(err.contains("nosuchapp"));

    let (code, out, err) = run(&["show", "m365.entra.legacy_auth_blocked"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("MS.AAD.1.1v1"), "{out}");
    assert!(out.contains("1. "), "numbered steps missing: {out}");
    let (code, _, err) = run(&["show", "m365.entra.legacy_auth"]);
    assert_eq!(code, 2);
    assert!(err.contains("no check with id"), "{err}");

    let (code, out, err) = run(&[
        "initiatives",
        "--snapshot",
        &example("m365-contoso-weak.json"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let list: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 6);
}

#[test]
fn policy_test_runs_builtin_and_user_tests() {
    let (code, out, err) = run(&["policy", "test"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(" passed, 0 failed"), "{out}");

    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "sample.yaml", META);
    write(
        d,
        "sample.rego",
        "package custom.sample\nresult := {\"status\": \"pass\", \"reason\": \"ok\"} if count(input.resources[\"graph:/v1.0/domains\"]) > 0\nelse := {\"status\": \"fail\", \"reason\": \"none\"}\n",
    );
    write(
        d,
        "sample_test.rego",
        "package custom.sample_test\nimport data.custom.sample\ntest_pass if sample.result.status == \"pass\" with input as {\"resources\": {\"graph:/v1.0/domains\": [{}]}}\ntest_wrong if sample.result.status == \"pass\" with input as {\"resources\": {\"graph:/v1.0/domains\": []}}\n",
    );
    let (code, out, _) = run(&["policy", "test", d.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("1 passed, 1 failed"), "{out}");
    assert!(
        out.contains("FAIL data.custom.sample_test.test_wrong"),
        "{out}"
    );
}

#[test]
fn permissions_and_config_errors_say_what_to_do() {
    let (code, out, _) = run(&["permissions", "m365"]);
    assert_eq!(code, 0);
    for needle in [
        "Application.Read.All",
        "Policy.Read.All",
        "Exchange.ManageAsApp",
        "Global Reader",
    ] {
        assert!(out.contains(needle), "{needle}");
    }
    let (code, _, err) = run(&["permissions", "github"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown app `github`"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.toml").display().to_string();
    let (code, _, err) = run(&["scan", "--config", &missing]);
    assert_eq!(code, 2);
    assert!(
        err.contains("none.toml") && err.contains("SSPM_CONFIG"),
        "{err}"
    );

    let config = dir.path().join("sspm.toml");
    std::fs::write(
        &config,
        "[[instances]]\nname = \"prod\"\napp = \"m365\"\ntenant_id = \"t\"\nclient_id = \"c\"\nclient_secret_env = \"SSPM_CLI_TEST_UNSET\"\n",
    )
    .unwrap();
    let config = config.display().to_string();
    let (code, _, err) = run(&["doctor", "--instance", "prod", "--config", &config]);
    assert_eq!(code, 2);
    assert!(
        err.contains("instance `prod`") && err.contains("SSPM_CLI_TEST_UNSET"),
        "{err}"
    );
    let (code, _, err) = run(&["collect", "--instance", "test", "--config", &config]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no instance `test`")
            && err.contains("or in the store")
            && err.contains("prod"),
        "{err}"
    );
}

#[test]
fn bench_collect_reports_requests_wall_bound_and_memory() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("snapshot.json");
    let out = sspm()
        .args(["bench", "collect", "--users", "2000", "--latency-ms", "1"])
        .args(["--rate", "0", "--format", "json", "--output"])
        .arg(&output)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["tenant"]["users"], 2000);
    let requests = report["requests"].as_u64().unwrap();
    assert!(requests > 20, "{report}");
    assert_eq!(report["sim_requests"].as_u64(), Some(requests));
    for field in ["wall_ms", "ratio", "peak_rss_mib"] {
        assert!(report[field].as_f64().unwrap() > 0.0, "{field}: {report}");
    }
    let bound = &report["bound"];
    assert!(bound["ms"].as_f64().unwrap() > 0.0);
    // /users at $top=999: the token, then 3 pages.
    assert!(bound["chain_requests"].as_u64().unwrap() >= 4, "{bound}");
    assert!(bound["formula"].as_str().unwrap().contains("concurrency"));
    let calls = report["calls"].as_array().unwrap();
    let users = calls
        .iter()
        .find(|c| c["call"] == "graph:/v1.0/users")
        .unwrap();
    assert_eq!(
        (users["pages"].as_u64(), users["items"].as_u64()),
        (Some(3), Some(2000))
    );
    assert!(!report["notes"].as_array().unwrap().is_empty());
    // The snapshot written is one the assessment reads.
    let (code, doc, stderr) = assess_json(&["--snapshot", output.to_str().unwrap()]);
    assert!(code == 0 || code == 1, "{stderr}");
    assert!(!results(&doc, 0).is_empty());
}

/// `sspm sim m365 --scan` is the one-command scan of a simulated tenant over HTTP: the real
/// connector against the simulator, then the assessment. A forbidden call makes the
/// checks that read it `error`, naming the permission, never `fail`.
#[test]
fn sim_scan_is_one_command_and_a_forbidden_call_is_not_evaluable() {
    let registration = "/v1.0/reports/authenticationMethods/userRegistrationDetails";
    let (code, out, err) = run(&[
        "sim",
        "m365",
        "--scan",
        "--port",
        "0",
        "--users",
        "80",
        "--profile",
        "hardened",
        "--forbid",
        registration,
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).expect("a results document");
    let results = results(&doc, 0);
    let coverage = result(&doc, 0, "m365.entra.mfa_registration_coverage");
    assert_eq!(coverage["status"], "error", "{coverage}");
    let reason = coverage["reason"].as_str().unwrap_or_default();
    assert!(
        reason.contains("403") && reason.contains("AuditLog.Read.All"),
        "{reason}"
    );
    let others = outside(
        &results
            .iter()
            .filter(|r| r["id"] != "m365.entra.mfa_registration_coverage")
            .cloned()
            .collect::<Vec<_>>(),
        &["pass", "not_applicable"],
    );
    assert!(others.is_empty(), "hardened checks not passing: {others:?}");
    assert!(err.contains("served"), "{err}");
}
