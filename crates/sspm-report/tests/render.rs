//! Every output format rendered from the same hand-built document: snapshots for review,
//! plus assertions that hold regardless of the snapshots.

mod fixture;

use serde_json::Value;
use sspm_model::{CheckMeta, ResultsDocument, Status};
use sspm_report::{
    render_catalog, render_check_detail, render_initiatives, render_results, CatalogFormat, Format,
    InitiativesFormat, RenderError, RenderOptions,
};

fn opts() -> RenderOptions {
    RenderOptions {
        color: false,
        tool_version: "0.1.0".into(),
    }
}

fn render(format: Format) -> String {
    render_results(&fixture::doc(), &fixture::metas(), format, &opts()).unwrap()
}

// ---------------------------------------------------------------- json

#[test]
fn json_is_exactly_the_results_document() {
    let out = render(Format::Json);
    assert!(out.ends_with("}\n"));
    let back: ResultsDocument = serde_json::from_str(&out).unwrap();
    assert_eq!(back, fixture::doc());
    assert_eq!(
        out,
        serde_json::to_string_pretty(&fixture::doc()).unwrap() + "\n"
    );
    insta::assert_snapshot!("results_json", out);
}

// ---------------------------------------------------------------- table

#[test]
fn table_ranks_results_and_explains_failures() {
    let out = render(Format::Table);
    assert!(!out.contains('\x1b'), "no colour unless asked");
    assert!(out.contains("m365 / contoso-prod · contoso.onmicrosoft.com"));
    assert!(out.contains("Score 9.5/20 (47.5%)"));
    // The github assessment has nothing scored.
    assert!(out.contains("github / acme-org · acme\nScore n/a"));
    // A multi-line reason is reflowed, and wrapped to the table's width under its row.
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("returned 403 Authorization_RequestDenied needs AuditLog.Read.All"));
    let lines: Vec<&str> = out.lines().collect();
    let header = lines
        .iter()
        .position(|l| l.contains("RECOMMENDATION"))
        .unwrap();
    let table_width = lines[header + 1]
        .chars()
        .count()
        .max(lines[header].chars().count());
    let note = lines
        .iter()
        .position(|l| l.contains("↳ not evaluable: graph"))
        .unwrap();
    // Notes start in column 31 and may use at least 60 columns.
    assert!(lines[note].chars().count() <= table_width.max(31 + 60));
    assert!(
        lines[note + 1].starts_with(&" ".repeat(33)),
        "continuation hangs"
    );
    assert!(flat.contains("(35 of 60 compliant, 25 offenders)"));
    // Reasons only under failing and erroring rows.
    assert!(!out.contains("Unified audit log ingestion is enabled"));
    assert!(!out.contains("Teams is not licensed"));
    assert!(out.contains("Overall score 9.5/20 (47.5%)"));
    assert!(out.contains("Identity Security"));
    // No line ends in padding.
    assert!(out.lines().all(|l| l == l.trim_end()));
    insta::assert_snapshot!("results_table", out);
}

#[test]
fn table_colours_statuses_when_asked() {
    let colored = RenderOptions {
        color: true,
        ..opts()
    };
    let out = render_results(&fixture::doc(), &fixture::metas(), Format::Table, &colored).unwrap();
    assert!(out.contains("\x1b[31mfail\x1b[0m"), "fail is red");
    assert!(out.contains("\x1b[32mpass\x1b[0m"), "pass is green");
    assert!(out.contains("\x1b[33merror\x1b[0m"), "error is yellow");
    assert!(out.contains("\x1b[2mmanual\x1b[0m"), "manual is dim");
    assert!(out.contains("\x1b[2mn/a\x1b[0m"), "not applicable is dim");
    // Colour codes do not change the layout.
    let strip = |s: &str| {
        let mut out = String::new();
        let mut rest = s;
        while let Some(i) = rest.find('\x1b') {
            out.push_str(&rest[..i]);
            rest = &rest[i..];
            rest = &rest[rest.find('m').map_or(rest.len(), |j| j + 1)..];
        }
        out + rest
    };
    assert_eq!(strip(&out), render(Format::Table));
}

#[test]
fn table_strips_terminal_escapes_from_tenant_data() {
    let mut doc = fixture::doc();
    doc.assessments[0].results[0].reason = "evil \x1b]0;pwned\x07 title".into();
    doc.assessments[0].instance = "prod\x1b[2J".into();
    let out = render_results(&doc, &fixture::metas(), Format::Table, &opts()).unwrap();
    assert!(!out.contains('\x1b') && !out.contains('\x07'));
}

// ---------------------------------------------------------------- csv

/// A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes.
fn parse_csv(s: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut at_field_start = true;
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                    let next = chars.peek();
                    assert!(
                        matches!(next, None | Some(',') | Some('\r')),
                        "text after closing quote: {next:?}"
                    );
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if at_field_start => {
                quoted = true;
                at_field_start = false;
            }
            '"' => panic!("quote inside an unquoted field: {field}"),
            ',' => {
                row.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            '\r' => {
                assert_eq!(chars.next(), Some('\n'), "CR must be followed by LF");
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
                at_field_start = true;
            }
            '\n' => panic!("bare LF outside quotes"),
            c => {
                field.push(c);
                at_field_start = false;
            }
        }
    }
    assert!(!quoted, "unterminated quoted field");
    assert!(
        row.is_empty() && field.is_empty(),
        "last record must end in CRLF"
    );
    rows
}

#[test]
fn csv_parses_back_with_fields_intact() {
    let out = render(Format::Csv);
    let rows = parse_csv(&out);
    let doc = fixture::doc();
    let results: Vec<_> = doc.assessments.iter().flat_map(|a| &a.results).collect();
    assert_eq!(rows.len(), 1 + results.len());
    assert_eq!(
        rows[0].join(","),
        "app,instance,tenant,rank,id,title,severity,status,points,max_points,compliant,total,reason,benchmarks,offenders"
    );
    assert!(rows.iter().all(|r| r.len() == 15));
    for (row, r) in rows[1..].iter().zip(&results) {
        assert_eq!(row[4], r.id);
        assert_eq!(row[7], r.status.as_str());
        assert_eq!(row[12], r.reason, "reason survives quoting");
    }
    let legacy = &rows[1];
    assert_eq!(
        legacy[0..4],
        ["m365", "contoso-prod", "contoso.onmicrosoft.com", "1"]
    );
    assert_eq!(legacy[8..12], ["0", "8", "", ""]);
    assert_eq!(legacy[13], "cisa-scuba:MS.AAD.1.1v1;cis-m365-v6:5.2.2.3");
    // Offender ids with commas and quotes come back intact.
    assert_eq!(legacy[14], "policy:p-1;policy:CN=Legacy,OU=\"CA\"");
    let mfa = &rows[2];
    assert_eq!(mfa[8..12], ["3.5", "6", "35", "60"]);
    assert_eq!(mfa[14].split(';').count(), 25);
    // The multi-line reason is one quoted field.
    assert!(rows[3][12].contains("Denied\nneeds"));

    let mut doc = fixture::doc();
    doc.assessments[0].results[0].reason = "=1+1".into();
    let out = render_results(&doc, &fixture::metas(), Format::Csv, &opts()).unwrap();
    assert_eq!(parse_csv(&out)[1][12], "'=1+1", "formulas are defused");
}

#[test]
fn csv_snapshot() {
    // The snapshot shows record ends as plain newlines; CRLF is asserted above.
    insta::assert_snapshot!("results_csv", render(Format::Csv).replace("\r\n", "\n"));
}

// ---------------------------------------------------------------- markdown

#[test]
fn markdown_report_escapes_cells_and_lists_remediation() {
    let out = render(Format::Markdown);
    assert!(out.starts_with("# SaaS security posture report\n"));
    assert!(out.contains("**Overall score: 9.5 / 20 points (47.5%)** across 2 assessments."));
    assert!(out.contains("- **Score:** n/a (nothing scored)"));
    // Every row of a results table has exactly 7 unescaped pipes.
    let rows: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains("<br>`"))
        .collect();
    assert_eq!(rows.len(), 8);
    for row in rows {
        let unescaped = row
            .char_indices()
            .filter(|&(i, c)| c == '|' && !row[..i].ends_with('\\'))
            .count();
        assert_eq!(unescaped, 7, "row: {row}");
    }
    assert!(out.contains("e.g. \"Allow legacy \\| old clients\""));
    // Failing recommendations with capped offenders and the implementation steps.
    assert!(out.contains("### Failing recommendations"));
    assert!(out.contains("**Offenders (25):**"));
    assert!(out.contains("- …and 5 more"));
    assert!(out.contains("- user: Line Break (`u-03`)"));
    assert!(out.contains("**How to fix:**\n\n1. In the Entra admin center"));
    assert!(out.contains("3. Or with Microsoft Graph PowerShell:\n\n   ```powershell\n"));
    // Error results are not listed as failing.
    assert!(!out.contains("#### 3. Sign-in logs"));
    insta::assert_snapshot!("results_markdown", out);
}

// ---------------------------------------------------------------- sarif

fn sarif() -> Value {
    serde_json::from_str(&render(Format::Sarif)).unwrap()
}

#[test]
fn sarif_validates_against_the_official_schema() {
    // The 2.1.0 schema's `language` pattern has a stray `]` that strict regex engines
    // reject (SARIF erratum, oasis-tcs/sarif-spec#488); apply the errata's pattern. sspm
    // does not emit `language`, so this changes nothing about what is validated.
    const BROKEN: &str = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    const FIXED: &str = r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#;
    let text = include_str!("data/sarif-schema-2.1.0.json");
    assert_eq!(
        text.matches(BROKEN).count(),
        2,
        "the erratum is where expected"
    );
    let schema: Value = serde_json::from_str(&text.replace(BROKEN, FIXED)).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let log = sarif();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema violations: {errors:#?}");

    // The validator is not vacuous.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
}

#[test]
fn sarif_reports_failures_and_unevaluable_checks_only() {
    let log = sarif();
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(
        log["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();

    // One rule per check id in the document, sorted.
    assert_eq!(rules.len(), 8);
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted);

    // fail, fail, error (m365) + error (github).
    let kinds: Vec<(&str, &str, &str)> = results
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap(),
                r["kind"].as_str().unwrap(),
                r["level"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (fixture::LEGACY, "fail", "error"),
            (fixture::MFA, "fail", "error"),
            (fixture::AUDIT_LOGS, "open", "none"),
            (fixture::GH_2FA, "open", "none"),
        ]
    );
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            rules[index]["id"], r["ruleId"],
            "ruleIndex points at its rule"
        );
        assert_eq!(r["locations"][0]["logicalLocations"][0]["kind"], "resource");
    }
    // Offenders become locations (instance + 25 users).
    assert_eq!(results[1]["locations"].as_array().unwrap().len(), 26);
    assert_eq!(
        results[1]["locations"][1]["logicalLocations"][0]["fullyQualifiedName"],
        "m365/contoso-prod/user/u-01"
    );
    // Fingerprints are stable and distinct.
    let fps: Vec<&str> = results
        .iter()
        .map(|r| r["partialFingerprints"]["sspm/v1"].as_str().unwrap())
        .collect();
    assert_eq!(fps, {
        let again = sarif();
        let again: Vec<String> = again["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"]["sspm/v1"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        again
    });
    let mut unique = fps.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), fps.len());

    // Rule metadata.
    let legacy = &rules[ids.iter().position(|id| *id == fixture::LEGACY).unwrap()];
    assert_eq!(legacy["name"], "M365EntraLegacyAuthBlocked");
    assert_eq!(legacy["properties"]["security-severity"], "8.0");
    assert_eq!(legacy["defaultConfiguration"]["level"], "error");
    let tags: Vec<&str> = legacy["properties"]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(tags.contains(&"cisa-scuba/MS.AAD.1.1v1"));
    assert!(tags.contains(&"high"));
    let help = legacy["help"]["markdown"].as_str().unwrap();
    assert!(help.contains("**Why it matters**"));
    assert!(help.contains("\n1. In the Entra admin center"));
    // A check without metadata still has a usable rule.
    let manual = &rules[ids
        .iter()
        .position(|id| *id == "m365.spo.sharing_review")
        .unwrap()];
    assert_eq!(
        manual["shortDescription"]["text"],
        "Review external sharing"
    );
    assert_eq!(manual["defaultConfiguration"]["level"], "note");

    insta::assert_snapshot!("results_sarif", render(Format::Sarif));
}

// ---------------------------------------------------------------- ocsf

#[test]
fn ocsf_emits_detection_findings_for_fail_and_error() {
    let out = render(Format::Ocsf);
    let findings: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(findings.len(), 4, "two fail and two error results");

    for f in &findings {
        for attr in [
            "activity_id",
            "category_uid",
            "class_uid",
            "type_uid",
            "severity_id",
            "time",
            "metadata",
            "finding_info",
            "cloud",
        ] {
            assert!(f.get(attr).is_some(), "missing required `{attr}`: {f:#}");
        }
        assert_eq!(f["class_uid"], 2004);
        assert_eq!(f["category_uid"], 2);
        assert_eq!(f["activity_id"], 1);
        assert_eq!(f["type_uid"], 200401);
        assert_eq!(f["status_id"], 1);
        assert_eq!(f["metadata"]["version"], "1.3.0");
        assert_eq!(f["metadata"]["product"]["name"], "sspm");
        assert!(f["metadata"]["product"]["vendor_name"].is_string());
        assert!(f["finding_info"]["uid"].is_string());
        assert!(f["finding_info"]["title"].is_string());
        assert_eq!(f["finding_info"]["analytic"]["type_id"], 1);
        assert!(f["cloud"]["provider"].is_string());
        assert!(!f["resources"].as_array().unwrap().is_empty());
        let status = f["unmapped"]["sspm_status"].as_str().unwrap();
        assert!(
            status == Status::Fail.as_str() || status == Status::Error.as_str(),
            "only fail and error: {status}"
        );
    }

    let legacy = &findings[0];
    assert_eq!(
        legacy["finding_info"]["uid"],
        "m365/contoso-prod/m365.entra.legacy_auth_blocked"
    );
    assert_eq!(legacy["severity_id"], 4);
    assert_eq!(legacy["severity"], "High");
    assert_eq!(legacy["time"], 1_795_748_700_000_i64); // 2026-11-27T03:05:00Z
    assert_eq!(legacy["cloud"]["provider"], "Microsoft");
    assert_eq!(legacy["cloud"]["account"]["uid"], "contoso.onmicrosoft.com");
    assert_eq!(legacy["resources"][0]["type"], "policy");
    assert!(legacy["remediation"]["desc"]
        .as_str()
        .unwrap()
        .starts_with("1. In the Entra admin center"));
    assert_eq!(findings[1]["severity_id"], 5);

    // Not evaluable is informational with a status detail, never a high-severity alert.
    let gh = &findings[3];
    assert_eq!(gh["severity_id"], 1);
    assert_eq!(gh["status_code"], "not_evaluable");
    assert_eq!(
        gh["status_detail"],
        "not evaluable: github:/orgs/acme returned 403; needs admin:org"
    );
    assert!(
        gh.get("remediation").is_none(),
        "remediation only for failures"
    );
    assert_eq!(gh["unmapped"]["check_severity"], "high");
    assert_eq!(gh["time"], 1_795_745_160_250_i64); // 2026-11-27T03:06:00.250+01:00
    assert_eq!(gh["cloud"]["provider"], "GitHub");
    assert_eq!(gh["resources"][0]["uid"], "acme");

    insta::assert_snapshot!("results_ocsf", out);
}

#[test]
fn ocsf_rejects_an_invalid_assessment_time() {
    let mut doc = fixture::doc();
    doc.assessments[1].assessed_at = "yesterday".into();
    let err = render_results(&doc, &fixture::metas(), Format::Ocsf, &opts()).unwrap_err();
    assert!(matches!(err, RenderError::InvalidTime { .. }));
    assert_eq!(
        err.to_string(),
        "assessment of github/acme-org: `assessed_at` is not an RFC 3339 time: `yesterday`"
    );
}

#[test]
fn empty_document_renders_in_every_format() {
    let doc = ResultsDocument {
        format: sspm_model::RESULTS_FORMAT.into(),
        assessments: Vec::new(),
        score: sspm_model::Score::empty(),
        planned_score: None,
        apps: Vec::new(),
        initiatives: Vec::new(),
    };
    let metas = Default::default();
    for format in Format::ALL {
        let out = render_results(&doc, &metas, format, &opts()).unwrap();
        assert!(out.ends_with('\n'), "{format} ends with a newline");
    }
    assert_eq!(
        render_results(&doc, &metas, Format::Ocsf, &opts()).unwrap(),
        "[]\n"
    );
}

// ---------------------------------------------------------------- catalog, detail, initiatives

fn catalog() -> Vec<CheckMeta> {
    fixture::metas().into_values().collect()
}

#[test]
fn catalog_table_lists_checks() {
    let out = render_catalog(&catalog(), CatalogFormat::Table, &opts()).unwrap();
    assert!(out.starts_with("ID "));
    assert!(out.contains("cisa-scuba:MS.AAD.1.1v1, cis-m365-v6:5.2.2.3"));
    assert!(out.ends_with("3 checks (1 critical, 2 high)\n"));
    insta::assert_snapshot!("catalog_table", out);
}

#[test]
fn catalog_json_round_trips() {
    let out = render_catalog(&catalog(), CatalogFormat::Json, &opts()).unwrap();
    let back: Vec<CheckMeta> = serde_json::from_str(&out).unwrap();
    assert_eq!(back, catalog());
}

#[test]
fn check_detail_has_every_section() {
    let meta = &fixture::metas()[fixture::LEGACY];
    let out = render_check_detail(meta, &opts());
    let order = [
        "Block legacy authentication\nm365.entra.legacy_auth_blocked\n",
        "  Severity     high",
        "  Points       8 (binary)",
        "  User impact  low",
        "  Cost         moderate",
        "\nDescription\n",
        "\nWhy it matters\n  Legacy protocols",
        "\nBenchmarks\n  cisa-scuba   MS.AAD.1.1v1\n  cis-m365-v6  5.2.2.3\n",
        "\nThreats\n  password-spray, credential-stuffing\n",
        "\nReads (snapshot keys)\n  graph:/v1.0/identity/conditionalAccess/policies\n",
        "\nImplementation\n  1. In the Entra admin center",
        "  3. Or with Microsoft Graph PowerShell:\n\n     ```powershell\n",
        "\nReferences\n",
    ];
    let mut from = 0;
    for part in order {
        let at = out[from..]
            .find(part)
            .unwrap_or_else(|| panic!("missing or out of order: {part:?}\n{out}"));
        from += at + part.len();
    }
    insta::assert_snapshot!("check_detail", out);
}

#[test]
fn initiatives_render_in_every_format() {
    let doc = fixture::doc();
    let table = render_initiatives(&doc.initiatives, InitiativesFormat::Table, &opts()).unwrap();
    assert!(table.contains("Identity Security"));
    assert!(table.contains("  Strong authentication"));
    insta::assert_snapshot!("initiatives_table", table);

    let json = render_initiatives(&doc.initiatives, InitiativesFormat::Json, &opts()).unwrap();
    let back: Vec<sspm_model::InitiativeScore> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, doc.initiatives);

    let md = render_initiatives(&doc.initiatives, InitiativesFormat::Markdown, &opts()).unwrap();
    assert!(md.contains("| Audit \\| logging | 1 | 6/6 | 100% | 2 |"));
    assert!(md.contains("## Ransomware Protection — n/a"));
    insta::assert_snapshot!("initiatives_markdown", md);

    assert_eq!(
        render_initiatives(&[], InitiativesFormat::Table, &opts()).unwrap(),
        "No initiatives.\n"
    );
}
