//! The REST API of `sspm serve`, over HTTP on 127.0.0.1, on both backends: the OpenAPI
//! document, authentication and roles on every route, errors, and each resource.

mod support;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sspm_store::Role;
use support::{client, Backend, Harness};

/// Every API operation and the lowest role allowed to call it.
const ROUTES: &[(&str, &str, Role)] = &[
    ("GET", "/api/v1/instances", Role::Viewer),
    ("POST", "/api/v1/instances", Role::Admin),
    ("GET", "/api/v1/instances/{name}", Role::Viewer),
    ("PATCH", "/api/v1/instances/{name}", Role::Admin),
    ("DELETE", "/api/v1/instances/{name}", Role::Admin),
    ("GET", "/api/v1/scans", Role::Viewer),
    ("POST", "/api/v1/scans", Role::Operator),
    ("GET", "/api/v1/scans/{id}", Role::Viewer),
    ("GET", "/api/v1/scans/{id}/progress", Role::Viewer),
    ("GET", "/api/v1/recommendations", Role::Viewer),
    (
        "GET",
        "/api/v1/recommendations/{instance}/{check}",
        Role::Viewer,
    ),
    (
        "PUT",
        "/api/v1/recommendations/{instance}/{check}/state",
        Role::Operator,
    ),
    (
        "DELETE",
        "/api/v1/recommendations/{instance}/{check}/state",
        Role::Operator,
    ),
    ("GET", "/api/v1/states", Role::Viewer),
    ("GET", "/api/v1/score", Role::Viewer),
    ("GET", "/api/v1/score/history", Role::Viewer),
    ("GET", "/api/v1/initiatives", Role::Viewer),
    ("GET", "/api/v1/initiatives/{id}", Role::Viewer),
    ("GET", "/api/v1/diff", Role::Viewer),
    ("GET", "/api/v1/audit", Role::Viewer),
    ("GET", "/api/v1/tokens", Role::Admin),
    ("POST", "/api/v1/tokens", Role::Admin),
    ("DELETE", "/api/v1/tokens/{name}", Role::Admin),
    ("GET", "/api/v1/openapi.json", Role::Viewer),
];

const CHECK: &str = "m365.entra.legacy_auth_blocked";

fn concrete(path: &str, scan: i64) -> String {
    path.replace("{name}", "contoso")
        .replace("{instance}", "contoso")
        .replace("{check}", CHECK)
        .replace("{id}/progress", &format!("{scan}/progress"))
        .replace("/scans/{id}", &format!("/scans/{scan}"))
        .replace("{id}", "saas-security")
        .replace("/tokens/{name}", "/tokens/nobody")
}

async fn call(
    h: &Harness,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let method = Method::from_bytes(method.as_bytes()).expect("a method");
    let mut req = client().request(method, format!("{}{path}", h.base));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.expect("a response");
    let status = resp.status();
    let text = resp.text().await.expect("a body");
    let value = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {text}"))
    };
    (status, value)
}

fn assert_error(status: StatusCode, body: &Value, want: StatusCode, code: &str, what: &str) {
    assert_eq!(status, want, "{what}: {body}");
    assert_eq!(body["error"]["code"], code, "{what}: {body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{what}: {body}"
    );
}

async fn latest_scan(h: &Harness) -> i64 {
    let (_, scans) = call(
        h,
        "GET",
        "/api/v1/scans?instance=contoso&limit=1",
        Some(&h.admin),
        None,
    )
    .await;
    scans[0]["id"].as_i64().expect("a scan id")
}

#[test]
fn the_openapi_document_is_valid_and_lists_every_route() {
    let doc = serde_json::to_value(sspm::server::api::openapi()).expect("serialise");
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "{}",
        doc["openapi"]
    );
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    assert_eq!(
        doc["components"]["securitySchemes"]["token"]["scheme"],
        "bearer"
    );
    let mut documented = BTreeSet::new();
    let paths = doc["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("a path item") {
            if !["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                continue;
            }
            documented.insert((method.to_uppercase(), path.clone()));
            let responses = op["responses"].as_object().expect("responses");
            for code in ["401", "403"] {
                assert!(responses.contains_key(code), "{method} {path} lacks {code}");
            }
            assert!(
                responses.keys().any(|c| c.starts_with('2')),
                "{method} {path} has no success response"
            );
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{method} {path}"
            );
            // Every path parameter is declared.
            for segment in path.split('/').filter(|s| s.starts_with('{')) {
                let name = segment.trim_matches(|c| c == '{' || c == '}');
                assert!(
                    op["parameters"].as_array().is_some_and(|ps| ps
                        .iter()
                        .any(|p| p["name"] == name && p["in"] == "path")),
                    "{method} {path}: path parameter {name} is not declared"
                );
            }
        }
    }
    let expected: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(
        documented, expected,
        "documented operations differ from the route table"
    );
    // Every schema reference resolves.
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    let text = doc.to_string();
    for part in text.split("\"$ref\":\"").skip(1) {
        let target = part.split('"').next().unwrap_or_default();
        let name = target
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected reference {target}"));
        assert!(schemas.contains_key(name), "unresolved reference {target}");
    }
}

async fn every_route_refuses_anonymous_and_low_roles(backend: Backend) {
    let h = Harness::start(backend).await;
    let viewer = h.token("a-viewer", Role::Viewer).await;
    let operator = h.token("an-operator", Role::Operator).await;
    let scan = latest_scan(&h).await;
    for (method, template, role) in ROUTES {
        let path = concrete(template, scan);
        let body = (*method != "GET" && *method != "DELETE").then(|| json!({}));
        let (status, resp) = call(&h, method, &path, None, body.clone()).await;
        assert_error(
            status,
            &resp,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            &format!("anonymous {method} {path}"),
        );
        let (status, resp) = call(
            &h,
            method,
            &path,
            Some("sspm_not-a-real-token"),
            body.clone(),
        )
        .await;
        assert_error(
            status,
            &resp,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            &format!("bad token {method} {path}"),
        );
        let lower: Vec<(&str, &String)> = match role {
            Role::Viewer => vec![],
            Role::Operator => vec![("viewer", &viewer)],
            Role::Admin => vec![("viewer", &viewer), ("operator", &operator)],
        };
        for (name, token) in lower {
            let (status, resp) = call(&h, method, &path, Some(token), body.clone()).await;
            assert_error(
                status,
                &resp,
                StatusCode::FORBIDDEN,
                "forbidden",
                &format!("{name} {method} {path}"),
            );
        }
    }
    // Nothing was changed by the refused calls.
    assert!(h.store.instance("contoso").await.expect("read").is_some());
    h.stop().await;
}

async fn a_revoked_token_stops_at_once(backend: Backend) {
    let h = Harness::start(backend).await;
    let token = h.token("short-lived", Role::Operator).await;
    let (status, _) = call(&h, "GET", "/api/v1/score", Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    // Revoked through the API by an admin …
    let (status, body) = call(
        &h,
        "DELETE",
        "/api/v1/tokens/short-lived",
        Some(&h.admin),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["revoked_at"].is_string(), "{body}");
    let (status, body) = call(&h, "GET", "/api/v1/score", Some(&token), None).await;
    assert_error(
        status,
        &body,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "revoked token",
    );
    // … and through the store (as `sspm token revoke` does from another process).
    let other = h.token("cli-revoked", Role::Viewer).await;
    let (status, _) = call(&h, "GET", "/api/v1/instances", Some(&other), None).await;
    assert_eq!(status, StatusCode::OK);
    h.store
        .revoke_token("cli-revoked", "test")
        .await
        .expect("revoke");
    let (status, body) = call(&h, "GET", "/api/v1/instances", Some(&other), None).await;
    assert_error(
        status,
        &body,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "revoked from the CLI",
    );
    // A session signed in with a token ends with it.
    let session_token = h.token("browser", Role::Viewer).await;
    let resp = client()
        .post(format!("{}/login", h.base))
        .form(&[("token", session_token.as_str())])
        .send()
        .await
        .expect("sign in");
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let cookie = resp
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("a session cookie")
        .to_string();
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(flag), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "no TLS here: {cookie}");
    let session = cookie.split(';').next().expect("name=value").to_string();
    let base = h.base.clone();
    let page = |session: String| {
        let base = base.clone();
        async move {
            client()
                .get(format!("{base}/"))
                .header("cookie", session)
                .send()
                .await
                .expect("a page")
        }
    };
    assert_eq!(page(session.clone()).await.status(), StatusCode::OK);
    h.store
        .revoke_token("browser", "test")
        .await
        .expect("revoke");
    let after = page(session).await;
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    assert_eq!(after.headers()["location"], "/login");
    h.stop().await;
}

async fn sign_in_is_rate_limited(backend: Backend) {
    let h = Harness::start(backend).await;
    let good = h.token("rate", Role::Viewer).await;
    let attempt = |token: String| {
        let base = h.base.clone();
        async move {
            client()
                .post(format!("{base}/login"))
                .form(&[("token", token)])
                .send()
                .await
                .expect("a response")
        }
    };
    for i in 0..5 {
        let r = attempt(format!("sspm_wrong{i}")).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let r = attempt("sspm_wrong-again".into()).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().contains_key("retry-after"));
    // While limited, even the right token is refused: guessing cannot go on.
    let r = attempt(good).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // Responses carry the security headers.
    let r = client()
        .get(format!("{}/login", h.base))
        .send()
        .await
        .expect("a page");
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .expect("text");
    for part in [
        "default-src 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ] {
        assert!(csp.contains(part), "{csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    h.stop().await;
}

async fn errors_name_the_field(backend: Backend) {
    let h = Harness::start(backend).await;
    let t = Some(h.admin.as_str());
    // Method, path, body, status, error code, and what the message must name.
    type Case<'a> = (
        &'a str,
        &'a str,
        Option<Value>,
        StatusCode,
        &'a str,
        &'a str,
    );
    let cases: &[Case] = &[
        (
            "GET",
            "/api/v1/recommendations?severity=hgih",
            None,
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            "severity",
        ),
        (
            "GET",
            "/api/v1/recommendations?status=broken",
            None,
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            "status",
        ),
        (
            "GET",
            "/api/v1/recommendations?sevrity=high",
            None,
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            "sevrity",
        ),
        (
            "GET",
            "/api/v1/recommendations?per_page=0",
            None,
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            "per_page",
        ),
        (
            "GET",
            "/api/v1/recommendations?instance=nowhere",
            None,
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            "nowhere",
        ),
        (
            "GET",
            "/api/v1/recommendations?initiative=nothing",
            None,
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            "initiative",
        ),
        (
            "GET",
            "/api/v1/recommendations?sort=random",
            None,
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            "sort",
        ),
        (
            "GET",
            "/api/v1/scans?limit=abc",
            None,
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            "limit",
        ),
        (
            "GET",
            "/api/v1/score/history?days=0",
            None,
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            "days",
        ),
        (
            "GET",
            "/api/v1/instances/nowhere",
            None,
            StatusCode::NOT_FOUND,
            "not_found",
            "nowhere",
        ),
        (
            "GET",
            "/api/v1/scans/999999",
            None,
            StatusCode::NOT_FOUND,
            "not_found",
            "999999",
        ),
        (
            "GET",
            "/api/v1/scans/abc",
            None,
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            "abc",
        ),
        (
            "GET",
            "/api/v1/initiatives/nothing",
            None,
            StatusCode::NOT_FOUND,
            "not_found",
            "nothing",
        ),
        (
            "GET",
            "/api/v1/recommendations/contoso/m365.no.such.check",
            None,
            StatusCode::NOT_FOUND,
            "not_found",
            "m365.no.such.check",
        ),
        (
            "GET",
            "/api/v1/diff?instance=nowhere",
            None,
            StatusCode::NOT_FOUND,
            "not_found",
            "nowhere",
        ),
        (
            "GET",
            "/api/v1/diff",
            None,
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            "instance",
        ),
        (
            "PUT",
            "/api/v1/recommendations/contoso/m365.entra.legacy_auth_blocked/state",
            Some(json!({"state": "risk_accepted"})),
            StatusCode::BAD_REQUEST,
            "invalid_body",
            "reason",
        ),
        (
            "PUT",
            "/api/v1/recommendations/contoso/m365.entra.legacy_auth_blocked/state",
            Some(json!({"state": "whatever", "reason": "x"})),
            StatusCode::BAD_REQUEST,
            "invalid_body",
            "state",
        ),
        (
            "PUT",
            "/api/v1/recommendations/contoso/m365.entra.legacy_auth_blocked/state",
            Some(json!({"state": "risk_accepted", "reason": "x", "until": "2001-01-01"})),
            StatusCode::BAD_REQUEST,
            "invalid_body",
            "until",
        ),
        (
            "PUT",
            "/api/v1/recommendations/nowhere/m365.entra.legacy_auth_blocked/state",
            Some(json!({"state": "risk_accepted", "reason": "x"})),
            StatusCode::NOT_FOUND,
            "not_found",
            "nowhere",
        ),
        (
            "POST",
            "/api/v1/instances",
            Some(
                json!({"name": "new", "config": {"tenant_id": "t", "client_id": "c", "colour": "red"}}),
            ),
            StatusCode::BAD_REQUEST,
            "invalid_body",
            "colour",
        ),
        (
            "POST",
            "/api/v1/instances",
            Some(json!({"name": "new", "config": {}, "recommendation": true})),
            StatusCode::BAD_REQUEST,
            "invalid_body",
            "recommendation",
        ),
        (
            "POST",
            "/api/v1/instances",
            Some(json!({"name": "contoso", "config": {"tenant_id": "t", "client_id": "c"}})),
            StatusCode::CONFLICT,
            "conflict",
            "contoso",
        ),
        (
            "POST",
            "/api/v1/tokens",
            Some(json!({"name": "x", "role": "root"})),
            StatusCode::BAD_REQUEST,
            "invalid_body",
            "role",
        ),
        (
            "DELETE",
            "/api/v1/tokens/nobody",
            None,
            StatusCode::NOT_FOUND,
            "not_found",
            "nobody",
        ),
        (
            "POST",
            "/api/v1/scans",
            Some(json!({"instances": ["nowhere"]})),
            StatusCode::NOT_FOUND,
            "not_found",
            "nowhere",
        ),
    ];
    for (method, path, body, status, code, names) in cases {
        let (got, resp) = call(&h, method, path, t, body.clone()).await;
        let what = format!("{method} {path}");
        assert_error(got, &resp, *status, code, &what);
        let message = resp["error"]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(names),
            "{what}: the message should name `{names}`: {message}"
        );
    }
    let (status, _) = call(&h, "GET", "/api/v1/no-such-route", t, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    h.stop().await;
}

async fn the_resources_work(backend: Backend) {
    let h = Harness::start(backend).await;
    let t = Some(h.admin.as_str());

    // Instances.
    let (status, list) = call(&h, "GET", "/api/v1/instances", t, None).await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = list
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|i| i["name"].as_str())
        .collect();
    assert_eq!(names, ["contoso", "fabrikam"]);
    assert_eq!(list[0]["credentials"], json!(["client_secret"]));
    assert!(
        !list.to_string().contains("test-secret-"),
        "a secret leaked: {list}"
    );
    assert_eq!(list[0]["last_scan"]["status"], "succeeded");

    // Recommendations: filters, order, paging.
    let (_, all) = call(&h, "GET", "/api/v1/recommendations?per_page=500", t, None).await;
    let total = all["total"].as_u64().expect("total") as usize;
    let items = all["items"].as_array().expect("items");
    assert_eq!(items.len(), total);
    let gains: Vec<f64> = items
        .iter()
        .map(|i| i["points_to_gain"].as_f64().expect("gain"))
        .collect();
    assert!(
        gains.windows(2).all(|w| w[0] >= w[1]),
        "not ranked: {gains:?}"
    );
    let (_, contoso) = call(
        &h,
        "GET",
        "/api/v1/recommendations?instance=contoso&per_page=500",
        t,
        None,
    )
    .await;
    assert!(contoso["items"]
        .as_array()
        .expect("items")
        .iter()
        .all(|i| i["instance"] == "contoso"));
    let (_, page2) = call(
        &h,
        "GET",
        "/api/v1/recommendations?per_page=10&page=2",
        t,
        None,
    )
    .await;
    assert_eq!(page2["items"][0]["id"], items[10]["id"]);
    assert_eq!(page2["items"][0]["instance"], items[10]["instance"]);
    let (_, failing) = call(
        &h,
        "GET",
        "/api/v1/recommendations?status=fail&severity=high,critical&per_page=500",
        t,
        None,
    )
    .await;
    let failing_items = failing["items"].as_array().expect("items");
    assert!(!failing_items.is_empty());
    assert!(
        failing_items
            .iter()
            .all(|i| i["status"] == "fail"
                && (i["severity"] == "high" || i["severity"] == "critical"))
    );
    let (_, searched) = call(
        &h,
        "GET",
        "/api/v1/recommendations?q=LEGACY&app=m365",
        t,
        None,
    )
    .await;
    assert!(searched["items"]
        .as_array()
        .expect("items")
        .iter()
        .any(|i| i["id"] == CHECK));
    let (_, bench) = call(
        &h,
        "GET",
        "/api/v1/recommendations?benchmark=cisa-scuba&per_page=500",
        t,
        None,
    )
    .await;
    assert!(bench["items"]
        .as_array()
        .expect("items")
        .iter()
        .all(|i| i["benchmarks"]
            .as_array()
            .expect("b")
            .iter()
            .any(|b| b["framework"] == "cisa-scuba")));
    assert!(bench["total"].as_u64() < Some(total as u64));

    // One recommendation, with implementation steps and offenders.
    let (status, one) = call(
        &h,
        "GET",
        &format!("/api/v1/recommendations/contoso/{CHECK}"),
        t,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{one}");
    assert!(
        one["implementation"]
            .as_array()
            .is_some_and(|s| !s.is_empty()),
        "{one}"
    );
    assert!(one["rationale"].as_str().is_some_and(|s| !s.is_empty()));
    assert_eq!(one["status"], "fail", "contoso is weak: {one}");

    // States move the score and the planned score.
    let (_, before) = call(&h, "GET", "/api/v1/score", t, None).await;
    let achieved = |s: &Value| s["achieved"].as_f64().expect("achieved");
    let (status, set) = call(&h, "PUT", &format!("/api/v1/recommendations/contoso/{CHECK}/state"), t,
        Some(json!({"state": "mitigated_third_party", "reason": "blocked by the proxy", "until": "2099-01-01"}))).await;
    assert_eq!(status, StatusCode::OK, "{set}");
    assert_eq!(set["set_by"], "token:test-admin");
    let (_, after) = call(&h, "GET", "/api/v1/score", t, None).await;
    assert!(
        achieved(&after["score"]) > achieved(&before["score"]),
        "{before} → {after}"
    );
    let (_, one) = call(
        &h,
        "GET",
        &format!("/api/v1/recommendations/contoso/{CHECK}"),
        t,
        None,
    )
    .await;
    assert_eq!(one["state"]["state"], "mitigated_third_party");
    let (status, _) = call(
        &h,
        "PUT",
        &format!("/api/v1/recommendations/contoso/{CHECK}/state"),
        t,
        Some(json!({"state": "planned", "reason": "next sprint"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, planned) = call(&h, "GET", "/api/v1/score", t, None).await;
    assert_eq!(achieved(&planned["score"]), achieved(&before["score"]));
    assert!(
        achieved(&planned["planned_score"]) > achieved(&planned["score"]),
        "{planned}"
    );
    let (_, states) = call(&h, "GET", "/api/v1/states?instance=contoso", t, None).await;
    assert_eq!(states.as_array().map(Vec::len), Some(1));
    let (status, _) = call(
        &h,
        "DELETE",
        &format!("/api/v1/recommendations/contoso/{CHECK}/state?reason=done"),
        t,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, cleared) = call(&h, "GET", "/api/v1/score", t, None).await;
    assert_eq!(achieved(&cleared["score"]), achieved(&before["score"]));

    // Score history, initiatives, diff, audit.
    let (_, history) = call(&h, "GET", "/api/v1/score/history?days=7", t, None).await;
    assert_eq!(
        history["days"].as_array().map(Vec::len),
        Some(1),
        "{history}"
    );
    assert_eq!(history["instances"].as_array().map(Vec::len), Some(2));
    let (_, initiatives) = call(&h, "GET", "/api/v1/initiatives", t, None).await;
    let first = initiatives[0]["id"]
        .as_str()
        .expect("an initiative")
        .to_string();
    assert!(initiatives[0]["metrics"]
        .as_array()
        .is_some_and(|m| !m.is_empty()));
    let (status, _) = call(&h, "GET", &format!("/api/v1/initiatives/{first}"), t, None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, diff) = call(&h, "GET", "/api/v1/diff?instance=contoso", t, None).await;
    assert_eq!(status, StatusCode::OK, "{diff}");
    assert!(diff["from"].as_str().is_some_and(|f| f.contains("contoso")));
    let (_, audit) = call(
        &h,
        "GET",
        "/api/v1/audit?instance=contoso&limit=10",
        t,
        None,
    )
    .await;
    let actions: Vec<&str> = audit
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"state.clear") && actions.contains(&"state.set"),
        "{actions:?}"
    );

    // Tokens: created once, listed without values.
    let (status, created) = call(
        &h,
        "POST",
        "/api/v1/tokens",
        t,
        Some(json!({"name": "ci", "role": "viewer"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let ci = created["token"].as_str().expect("a token").to_string();
    assert!(ci.starts_with("sspm_"));
    let (_, tokens) = call(&h, "GET", "/api/v1/tokens", t, None).await;
    assert!(!tokens.to_string().contains(&ci));
    let (status, _) = call(&h, "GET", "/api/v1/score", Some(&ci), None).await;
    assert_eq!(status, StatusCode::OK);

    // Recommendations off: the instance leaves the score.
    let (status, patched) = call(
        &h,
        "PATCH",
        "/api/v1/instances/contoso",
        t,
        Some(json!({"recommendations": false})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["recommendations"], false);
    assert!(patched["score"].is_null());
    let (_, score) = call(&h, "GET", "/api/v1/score", t, None).await;
    let fabrikam = score["instances"][1]["score"].clone();
    assert_eq!(score["score"], fabrikam, "only fabrikam is scored: {score}");
    let (_, recs) = call(&h, "GET", "/api/v1/recommendations?per_page=500", t, None).await;
    assert!(recs["items"]
        .as_array()
        .expect("items")
        .iter()
        .all(|i| i["instance"] == "fabrikam"));
    let (status, _) = call(
        &h,
        "PATCH",
        "/api/v1/instances/contoso",
        t,
        Some(json!({"recommendations": true})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // A new instance through the API, scanned in the background, with progress.
    let sim = support::add_sim_instance(
        &h.store,
        "probe",
        "probe.onmicrosoft.com",
        sspm_sim::Posture::Mixed,
    )
    .await;
    let config = h
        .store
        .instance("probe")
        .await
        .expect("read")
        .expect("probe")
        .config;
    let secret = h
        .store
        .credential("probe", "client_secret")
        .await
        .expect("read")
        .expect("secret");
    h.store
        .remove_instance("probe", "test")
        .await
        .expect("remove");
    let (status, created) = call(
        &h,
        "POST",
        "/api/v1/instances",
        t,
        Some(json!({
            "name": "probe", "config": config,
            "client_secret": secret.expose_str().expect("text"),
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert!(created["last_scan"].is_null());
    let (status, begun) = call(
        &h,
        "POST",
        "/api/v1/scans",
        t,
        Some(json!({"instances": ["probe"]})),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{begun}");
    let id = begun[0]["id"].as_i64().expect("a scan id");
    assert_eq!(begun[0]["status"], "running");
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut phases = BTreeSet::new();
    let status = loop {
        let (_, p) = call(&h, "GET", &format!("/api/v1/scans/{id}/progress"), t, None).await;
        if let Some(phase) = p["progress"]["phase"].as_str() {
            phases.insert(phase.to_string());
        }
        if p["status"] != "running" {
            break p["status"].as_str().unwrap_or_default().to_string();
        }
        assert!(Instant::now() < deadline, "the scan did not end: {p}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(status, "succeeded", "phases seen: {phases:?}");
    let (_, probe) = call(&h, "GET", "/api/v1/recommendations?instance=probe", t, None).await;
    assert!(probe["total"].as_u64() > Some(0), "{probe}");
    let (status, _) = call(&h, "DELETE", "/api/v1/instances/probe", t, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = call(&h, "GET", "/api/v1/instances/probe", t, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    sim.shutdown().await;

    // The document served is the generated one.
    let (status, doc) = call(&h, "GET", "/api/v1/openapi.json", t, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        doc,
        serde_json::to_value(sspm::server::api::openapi()).expect("serialise")
    );
    h.stop().await;
}

/// Signs in with `token`: the session cookie (`sspm_session=…`) and the page's CSRF token.
async fn sign_in(h: &Harness, token: &str) -> (String, String) {
    let resp = client()
        .post(format!("{}/login", h.base))
        .form(&[("token", token)])
        .send()
        .await
        .expect("sign in");
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let cookie = resp.headers()["set-cookie"]
        .to_str()
        .expect("text")
        .split(';')
        .next()
        .expect("name=value")
        .to_string();
    let page = client()
        .get(format!("{}/apps", h.base))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("a page")
        .text()
        .await
        .expect("html");
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a CSRF token in the page's forms")
        .to_string();
    (cookie, csrf)
}

async fn dashboard_forms_need_csrf_and_the_role(backend: Backend) {
    let h = Harness::start(backend).await;
    let post = |path: &str, cookie: Option<&str>, form: Vec<(&str, &str)>| {
        let mut req = client().post(format!("{}{path}", h.base)).form(&form);
        if let Some(c) = cookie {
            req = req.header("cookie", c.to_string());
        }
        async move { req.send().await.expect("a response") }
    };
    let state_path = format!("/recommendations/contoso/{CHECK}/state");
    let state_form = |csrf: &'static str| {
        vec![
            ("csrf", csrf),
            ("state", "risk_accepted"),
            ("reason", "r"),
            ("back", "/recommendations"),
        ]
    };
    // Anonymous: to the sign-in page, nothing written.
    let r = post(&state_path, None, state_form("x")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/login");
    // Signed in, without or with a wrong CSRF token: 403, nothing written.
    let (cookie, csrf) = sign_in(&h, &h.admin).await;
    for bad in ["", "not-the-token"] {
        let r = post(&state_path, Some(&cookie), state_form(bad)).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "csrf `{bad}`");
        let r = post(
            "/apps/contoso/recommendations",
            Some(&cookie),
            vec![("csrf", bad), ("enabled", "off")],
        )
        .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "csrf `{bad}`");
    }
    assert!(h
        .store
        .state("contoso", CHECK)
        .await
        .expect("read")
        .is_none());
    assert!(
        h.store
            .instance("contoso")
            .await
            .expect("read")
            .expect("contoso")
            .recommendations
    );
    // A viewer's valid form still needs the role.
    let viewer = h.token("form-viewer", Role::Viewer).await;
    let (vcookie, vcsrf) = sign_in(&h, &viewer).await;
    let form = vec![
        ("csrf", vcsrf.as_str()),
        ("state", "risk_accepted"),
        ("reason", "r"),
        ("back", "/recommendations"),
    ];
    assert_eq!(
        post(&state_path, Some(&vcookie), form).await.status(),
        StatusCode::FORBIDDEN
    );
    let form = vec![("csrf", vcsrf.as_str()), ("enabled", "off")];
    assert_eq!(
        post("/apps/contoso/recommendations", Some(&vcookie), form)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert!(h
        .store
        .state("contoso", CHECK)
        .await
        .expect("read")
        .is_none());
    // The admin's valid form works, and an outside `back` does not redirect outside.
    let form = vec![
        ("csrf", csrf.as_str()),
        ("state", "risk_accepted"),
        ("reason", "r"),
        ("back", "https://evil.example/"),
    ];
    let r = post(&state_path, Some(&cookie), form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(r.headers()["location"]
        .to_str()
        .expect("text")
        .starts_with("/recommendations"));
    assert!(h
        .store
        .state("contoso", CHECK)
        .await
        .expect("read")
        .is_some());
    h.stop().await;
}

macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(super::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(super::Backend::Postgres).await
                }
            )*
        }
    };
}

on_both_backends!(
    every_route_refuses_anonymous_and_low_roles,
    a_revoked_token_stops_at_once,
    sign_in_is_rate_limited,
    errors_name_the_field,
    the_resources_work,
    dashboard_forms_need_csrf_and_the_role,
);
