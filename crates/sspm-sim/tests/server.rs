//! The HTTP simulator, driven by a real HTTP client over 127.0.0.1.

use std::collections::HashSet;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use sspm_sim::failures;
use sspm_sim::server::token::{EXCHANGE_SCOPE, GRAPH_SCOPE, JWT_BEARER};
use sspm_sim::server::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET};
use sspm_sim::{M365Spec, M365Tenant, Posture, Resource, SimOptions, SimServer, EXO_CMDLETS};

fn client() -> Client {
    Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

async fn start(spec: &M365Spec, options: SimOptions) -> SimServer {
    let tenant = M365Tenant::generate(spec);
    SimServer::start(tenant, options, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

fn token_url(server: &SimServer) -> String {
    format!(
        "{}/{}/oauth2/v2.0/token",
        server.base_url(),
        server.tenant().tenant_id
    )
}

fn invoke_url(server: &SimServer) -> String {
    format!(
        "{}/adminapi/beta/{}/InvokeCommand",
        server.base_url(),
        server.tenant().tenant_id
    )
}

async fn post_form(c: &Client, url: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let body: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let resp = c
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (
        status,
        serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap(),
    )
}

async fn secret_token(c: &Client, server: &SimServer, scope: &str) -> String {
    let (status, body) = post_form(
        c,
        &token_url(server),
        &[
            ("grant_type", "client_credentials"),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", DEFAULT_CLIENT_SECRET),
            ("scope", scope),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"].as_str().unwrap().to_string()
}

async fn get(c: &Client, url: &str, token: &str) -> (StatusCode, Value) {
    let resp = c.get(url).bearer_auth(token).send().await.unwrap();
    let status = resp.status();
    (
        status,
        serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap(),
    )
}

/// Every item of a Graph list, following `@odata.nextLink` verbatim; also the number of pages.
async fn collect(c: &Client, first: &str, token: &str) -> (Vec<Value>, usize) {
    let (mut items, mut pages, mut url) = (Vec::new(), 0, first.to_string());
    loop {
        let (status, body) = get(c, &url, token).await;
        assert_eq!(status, StatusCode::OK, "{url}: {body}");
        pages += 1;
        items.extend(body["value"].as_array().unwrap().iter().cloned());
        match body.get("@odata.nextLink").and_then(Value::as_str) {
            Some(next) => url = next.to_string(),
            None => return (items, pages),
        }
    }
}

fn b64(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(v.to_string())
}

fn assertion(server: &SimServer, exp_in: i64) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let header = json!({ "alg": "RS256", "typ": "JWT", "x5t#S256": "q3Z0yqpxGxcBR1b5k8yM-jQwXjqs0t-ZiA4dH4RcXy0" });
    let claims = json!({
        "aud": token_url(server), "iss": DEFAULT_CLIENT_ID, "sub": DEFAULT_CLIENT_ID,
        "jti": "6f3b4c1e-0000-4000-8000-000000000001", "nbf": now - 5, "exp": now + exp_in,
    });
    format!(
        "{}.{}.{}",
        b64(&header),
        b64(&claims),
        URL_SAFE_NO_PAD.encode([7u8; 256])
    )
}

#[tokio::test]
async fn tokens_are_issued_for_a_secret_or_an_assertion_and_refused_otherwise() {
    let server = start(&M365Spec::small(Posture::Weak), SimOptions::default()).await;
    let c = client();
    let url = token_url(&server);

    let (status, body) = post_form(
        &c,
        &url,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", DEFAULT_CLIENT_SECRET),
            ("scope", GRAPH_SCOPE),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3599);
    let graph_token = body["access_token"].as_str().unwrap().to_string();
    assert_eq!(graph_token.split('.').count(), 3);

    let good = assertion(&server, 600);
    let (status, body) = post_form(
        &c,
        &url,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_assertion_type", JWT_BEARER),
            ("client_assertion", &good),
            ("scope", EXCHANGE_SCOPE),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let exo_token = body["access_token"].as_str().unwrap().to_string();
    assert_ne!(exo_token, graph_token);

    // The tenant may be named by a domain too.
    let by_domain = format!(
        "{}/{}/oauth2/v2.0/token",
        server.base_url(),
        server.tenant().tenant_domain
    );
    let (status, _) = post_form(
        &c,
        &by_domain,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", DEFAULT_CLIENT_SECRET),
            ("scope", GRAPH_SCOPE),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    let expired = assertion(&server, -60);
    type Case<'a> = (Vec<(&'a str, &'a str)>, StatusCode, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (
            vec![("client_secret", "wrong")],
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "AADSTS7000215",
        ),
        (
            vec![
                ("client_assertion_type", JWT_BEARER),
                ("client_assertion", "not.a-jwt"),
            ],
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "AADSTS50027",
        ),
        (
            vec![
                ("client_assertion_type", JWT_BEARER),
                ("client_assertion", &expired),
            ],
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "AADSTS700024",
        ),
        (
            vec![],
            StatusCode::BAD_REQUEST,
            "invalid_client",
            "AADSTS7000216",
        ),
    ];
    for (credential, want_status, want_error, want_code) in cases {
        let mut form = vec![
            ("grant_type", "client_credentials"),
            ("client_id", DEFAULT_CLIENT_ID),
            ("scope", GRAPH_SCOPE),
        ];
        form.extend(credential);
        let (status, body) = post_form(&c, &url, &form).await;
        assert_eq!(status, want_status, "{body}");
        assert_eq!(body["error"], want_error, "{body}");
        assert!(
            body["error_description"]
                .as_str()
                .unwrap()
                .starts_with(want_code),
            "{body}"
        );
    }
    let (status, body) = post_form(
        &c,
        &url,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "00000000-0000-0000-0000-000000000bad"),
            ("client_secret", DEFAULT_CLIENT_SECRET),
            ("scope", GRAPH_SCOPE),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("unauthorized_client"))
    );
    let (status, body) = post_form(
        &c,
        &url,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", DEFAULT_CLIENT_SECRET),
            ("scope", "User.Read"),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_scope"))
    );
    let (status, body) = post_form(&c, &url, &[("grant_type", "password")]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("unsupported_grant_type"))
    );
    let elsewhere = format!(
        "{}/fabrikam.onmicrosoft.com/oauth2/v2.0/token",
        server.base_url()
    );
    let (status, body) = post_form(&c, &elsewhere, &[("grant_type", "client_credentials")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error_description"]
        .as_str()
        .unwrap()
        .starts_with("AADSTS90002"));

    // A token serves only its own API.
    let users = format!("{}/v1.0/users", server.base_url());
    assert_eq!(get(&c, &users, &graph_token).await.0, StatusCode::OK);
    let (status, body) = get(&c, &users, &exo_token).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("InvalidAuthenticationToken"))
    );
    let resp = c
        .post(invoke_url(&server))
        .bearer_auth(&graph_token)
        .body(
            json!({ "CmdletInput": { "CmdletName": "Get-OrganizationConfig", "Parameters": {} } })
                .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert!(resp.headers().contains_key("www-authenticate"));

    let stats = server.stats();
    assert_eq!(stats.tokens_issued, 3);
    assert_eq!(stats.token_rejections, 8);
    server.shutdown().await;
}

#[tokio::test]
async fn paging_returns_every_user_of_a_2500_user_tenant_exactly_once() {
    let spec = M365Spec {
        users: 2_500,
        ..M365Spec::small(Posture::Weak)
    };
    let server = start(&spec, SimOptions::default()).await;
    let c = client();
    let token = secret_token(&c, &server, GRAPH_SCOPE).await;
    let expected: Vec<String> = server.tenant().users.iter().map(|u| u.id.clone()).collect();
    assert_eq!(expected.iter().collect::<HashSet<_>>().len(), 2_500);

    let base = format!("{}/v1.0/users", server.base_url());
    for (first, want_pages) in [(format!("{base}?$top=999"), 3), (base.clone(), 25)] {
        let (items, pages) = collect(&c, &first, &token).await;
        assert_eq!(pages, want_pages, "{first}");
        let ids: Vec<String> = items
            .iter()
            .map(|u| u["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(ids, expected, "{first}: every user once, in order");
        assert_eq!(
            items[1234],
            server.tenant().item(Resource::Users, 1234).unwrap()
        );
    }

    // The next link is absolute, on this server, and keeps the other query options.
    let (_, page) = get(
        &c,
        &format!("{base}?$top=999&$select=id,displayName"),
        &token,
    )
    .await;
    let next = page["@odata.nextLink"].as_str().unwrap();
    assert!(next.starts_with(&base), "{next}");
    assert!(
        next.contains("$skiptoken=")
            && next.contains("$top=999")
            && next.contains("$select=id,displayName"),
        "{next}"
    );
    assert_eq!(page["value"].as_array().unwrap().len(), 999);
    assert!(page["@odata.context"]
        .as_str()
        .unwrap()
        .ends_with("$metadata#users(id,displayName)"));

    // $select projects every item of every page.
    let (items, _) = collect(
        &c,
        &format!("{base}?$select=id,userPrincipalName&$top=500"),
        &token,
    )
    .await;
    assert_eq!(items.len(), 2_500);
    for item in &items {
        let keys: Vec<&String> = item.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["id", "userPrincipalName"]);
    }

    // Graph's limits on $top, and a forged skiptoken.
    for bad in ["$top=1000", "$top=0"] {
        let (status, body) = get(&c, &format!("{base}?{bad}"), &token).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("Request_UnsupportedQuery"))
        );
    }
    let (status, _) = get(&c, &format!("{base}?$skiptoken=forged"), &token).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // Options the simulator cannot apply are accepted and ignored.
    let (items, _) = collect(
        &c,
        &format!("{base}?$top=999&$filter=accountEnabled%20eq%20true&$count=true"),
        &token,
    )
    .await;
    assert_eq!(items.len(), 2_500);
    server.shutdown().await;
}

#[tokio::test]
async fn every_graph_endpoint_serves_what_the_snapshot_holds() {
    let spec = M365Spec::small(Posture::Hardened).with_failure(
        failures::ROLE_ELIGIBILITY_SCHEDULE_INSTANCES,
        failures::pim_licence_required(),
    );
    let server = start(
        &spec,
        SimOptions {
            page_size: 7,
            ..SimOptions::default()
        },
    )
    .await;
    let c = client();
    let token = secret_token(&c, &server, GRAPH_SCOPE).await;
    for r in Resource::ALL {
        let url = format!("{}{}", server.base_url(), r.path());
        if r == Resource::RoleEligibilityScheduleInstances {
            let (status, body) = get(&c, &url, &token).await;
            assert_eq!(
                (status, body["error"]["code"].as_str()),
                (StatusCode::BAD_REQUEST, Some("AadPremiumLicenseRequired"))
            );
            continue;
        }
        if r.is_list() {
            let (items, _) = collect(&c, &url, &token).await;
            assert_eq!(
                Value::Array(items),
                server.tenant().render(r),
                "{}",
                r.path()
            );
        } else {
            let (status, mut body) = get(&c, &url, &token).await;
            assert_eq!(status, StatusCode::OK);
            let context = body
                .as_object_mut()
                .unwrap()
                .shift_remove("@odata.context")
                .unwrap();
            assert!(context.as_str().unwrap().ends_with("/$entity"));
            assert_eq!(body, server.tenant().render(r), "{}", r.path());
        }
    }
    // $select on an object endpoint.
    let (_, body) = get(
        &c,
        &format!(
            "{}/v1.0/policies/authorizationPolicy?$select=allowInvitesFrom",
            server.base_url()
        ),
        &token,
    )
    .await;
    assert_eq!(
        body.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["@odata.context", "allowInvitesFrom"]
    );
    server.shutdown().await;
}

fn assert_graph_error(body: &Value, code: &str) {
    let e = &body["error"];
    assert_eq!(e["code"], code, "{body}");
    assert!(
        e["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    for k in ["date", "request-id", "client-request-id"] {
        assert!(e["innerError"][k].is_string(), "{k}: {body}");
    }
}

#[tokio::test]
async fn unknown_paths_and_missing_tokens_get_graph_errors() {
    let server = start(&M365Spec::small(Posture::Weak), SimOptions::default()).await;
    let c = client();
    let token = secret_token(&c, &server, GRAPH_SCOPE).await;
    let (status, body) = get(
        &c,
        &format!("{}/v1.0/noSuchThing", server.base_url()),
        &token,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_graph_error(&body, "Request_ResourceNotFound");

    let resp = c
        .get(format!("{}/v1.0/users", server.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_graph_error(&resp.json_value().await, "InvalidAuthenticationToken");
    let (status, body) = get(&c, &format!("{}/v1.0/users", server.base_url()), "forged").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_graph_error(&body, "InvalidAuthenticationToken");
    server.shutdown().await;
}

trait JsonValue {
    async fn json_value(self) -> Value;
}

impl JsonValue for reqwest::Response {
    async fn json_value(self) -> Value {
        serde_json::from_slice(&self.bytes().await.unwrap()).unwrap()
    }
}

/// Status of `n` sequential GETs of `/v1.0/domains` (`None`: no response).
async fn statuses(
    c: &Client,
    server: &SimServer,
    token: &str,
    n: usize,
) -> Vec<Option<(StatusCode, Option<Value>)>> {
    let url = format!("{}/v1.0/domains", server.base_url());
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(match c.get(&url).bearer_auth(token).send().await {
            Ok(resp) => {
                let status = resp.status();
                let retry_after = resp
                    .headers()
                    .get("retry-after")
                    .map(|v| v.to_str().unwrap().to_string());
                let bytes = resp.bytes().await.unwrap();
                let body = serde_json::from_slice::<Value>(&bytes).ok();
                if status == StatusCode::TOO_MANY_REQUESTS {
                    assert_eq!(retry_after.as_deref(), Some("7"));
                    assert_graph_error(body.as_ref().unwrap(), "TooManyRequests");
                }
                Some((status, body))
            }
            Err(_) => None,
        });
    }
    out
}

#[tokio::test]
async fn throttling_hits_every_kth_api_request_but_not_the_token_endpoint() {
    let options = SimOptions {
        throttle_every: Some(3),
        retry_after_secs: 7,
        ..SimOptions::default()
    };
    let server = start(&M365Spec::small(Posture::Weak), options).await;
    let c = client();
    let token = secret_token(&c, &server, GRAPH_SCOPE).await;
    let got = statuses(&c, &server, &token, 30).await;
    for (i, s) in got.iter().enumerate() {
        let want = if (i + 1) % 3 == 0 {
            StatusCode::TOO_MANY_REQUESTS
        } else {
            StatusCode::OK
        };
        assert_eq!(s.as_ref().unwrap().0, want, "request {}", i + 1);
    }
    // Token requests are not counted: the next API request is the 31st.
    secret_token(&c, &server, EXCHANGE_SCOPE).await;
    let stats = server.stats();
    assert_eq!(stats.throttled, 10);
    assert_eq!(stats.tokens_issued, 2);
    assert_eq!(stats.requests, 32);
    assert_eq!(stats.per_path["/v1.0/domains"], 30);
    server.shutdown().await;
}

#[tokio::test]
async fn a_seeded_share_of_requests_is_unavailable() {
    let options = SimOptions {
        fail_rate: 0.25,
        seed: 99,
        ..SimOptions::default()
    };
    let mut runs = Vec::new();
    for _ in 0..2 {
        let server = start(&M365Spec::small(Posture::Weak), options.clone()).await;
        let c = client();
        let token = secret_token(&c, &server, GRAPH_SCOPE).await;
        let got: Vec<StatusCode> = statuses(&c, &server, &token, 400)
            .await
            .into_iter()
            .map(|s| s.unwrap().0)
            .collect();
        let failed = got
            .iter()
            .filter(|s| **s == StatusCode::SERVICE_UNAVAILABLE)
            .count();
        assert!((60..=140).contains(&failed), "{failed} of 400");
        assert_eq!(
            got.iter().filter(|s| **s == StatusCode::OK).count(),
            400 - failed
        );
        assert_eq!(server.stats().unavailable, failed as u64);
        runs.push(got);
        server.shutdown().await;
    }
    assert_eq!(runs[0], runs[1], "same seed, same failures");
}

#[tokio::test]
async fn every_kth_connection_is_dropped_without_a_response() {
    let options = SimOptions {
        reset_every: Some(4),
        ..SimOptions::default()
    };
    let server = start(&M365Spec::small(Posture::Weak), options).await;
    let c = client();
    let token = secret_token(&c, &server, GRAPH_SCOPE).await;
    let got = statuses(&c, &server, &token, 20).await;
    for (i, s) in got.iter().enumerate() {
        if (i + 1) % 4 == 0 {
            assert!(s.is_none(), "request {} got a response", i + 1);
        } else {
            assert_eq!(
                s.as_ref().map(|s| s.0),
                Some(StatusCode::OK),
                "request {}",
                i + 1
            );
        }
    }
    assert_eq!(server.stats().resets, 5);
    server.shutdown().await;
}

#[tokio::test]
async fn every_kth_success_has_its_json_cut_short() {
    let options = SimOptions {
        truncate_every: Some(2),
        ..SimOptions::default()
    };
    let server = start(&M365Spec::small(Posture::Weak), options).await;
    let c = client();
    let token = secret_token(&c, &server, GRAPH_SCOPE).await;
    let got = statuses(&c, &server, &token, 10).await;
    for (i, s) in got.iter().enumerate() {
        let (status, body) = s.as_ref().unwrap();
        assert_eq!(*status, StatusCode::OK);
        assert_eq!(body.is_none(), (i + 1) % 2 == 0, "request {}", i + 1);
    }
    assert_eq!(server.stats().truncated, 5);
    server.shutdown().await;
}

#[tokio::test]
async fn forbidden_paths_latency_and_shutdown() {
    let path = "/v1.0/reports/authenticationMethods/userRegistrationDetails";
    let options = SimOptions {
        forbidden: vec![path.to_string()],
        latency: Duration::from_millis(60),
        ..SimOptions::default()
    };
    let server = start(&M365Spec::small(Posture::Weak), options).await;
    let c = client();
    let token = secret_token(&c, &server, GRAPH_SCOPE).await;
    let started = Instant::now();
    let (status, body) = get(&c, &format!("{}{path}", server.base_url()), &token).await;
    assert!(started.elapsed() >= Duration::from_millis(60));
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_graph_error(&body, "Authorization_RequestDenied");
    assert_eq!(
        get(&c, &format!("{}/v1.0/users", server.base_url()), &token)
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(server.stats().forbidden, 1);

    let url = server.base_url();
    server.shutdown().await;
    assert!(client()
        .get(format!("{url}/v1.0/users"))
        .send()
        .await
        .is_err());
    let outside = SimServer::start(
        M365Tenant::generate(&M365Spec::small(Posture::Weak)),
        SimOptions::default(),
        "0.0.0.0:0".parse().unwrap(),
    )
    .await;
    assert!(outside.is_err(), "only loopback addresses");
}

async fn invoke(
    c: &Client,
    server: &SimServer,
    token: &str,
    url: &str,
    cmdlet: &str,
    params: Value,
    page: Option<usize>,
) -> (StatusCode, Value) {
    let mut req = c
        .post(url)
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(json!({ "CmdletInput": { "CmdletName": cmdlet, "Parameters": params } }).to_string());
    if let Some(n) = page {
        req = req.header("prefer", format!("odata.maxpagesize={n}"));
    }
    let _ = server;
    let resp = req.send().await.unwrap();
    (resp.status(), resp.json_value().await)
}

#[tokio::test]
async fn invoke_command_serves_each_cmdlet_and_refuses_unknown_ones() {
    let server = start(&M365Spec::small(Posture::Hardened), SimOptions::default()).await;
    let c = client();
    let token = secret_token(&c, &server, EXCHANGE_SCOPE).await;
    let url = invoke_url(&server);
    for cmdlet in EXO_CMDLETS {
        let (status, body) = invoke(&c, &server, &token, &url, cmdlet, json!({}), None).await;
        assert_eq!(status, StatusCode::OK, "{cmdlet}: {body}");
        assert!(body["@odata.context"]
            .as_str()
            .unwrap()
            .contains("/adminapi/beta/"));
        let value = body["value"].as_array().unwrap();
        assert!(!value.is_empty(), "{cmdlet}");
        assert_eq!(
            Some(value.clone()),
            server.tenant().exo_cmdlet(cmdlet),
            "{cmdlet}"
        );
    }
    let (_, body) = invoke(
        &c,
        &server,
        &token,
        &url,
        "Get-TransportConfig",
        json!({}),
        None,
    )
    .await;
    assert_eq!(body["value"][0]["SmtpClientAuthenticationDisabled"], true);

    // Paging: one object per page, the same POST to each next link.
    let all = server.tenant().exo_cmdlet("Get-DkimSigningConfig").unwrap();
    assert!(all.len() >= 3);
    let (mut got, mut next) = (Vec::new(), Some(url.clone()));
    while let Some(link) = next {
        let (status, body) = invoke(
            &c,
            &server,
            &token,
            &link,
            "Get-DkimSigningConfig",
            json!({}),
            Some(1),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["value"].as_array().unwrap().len(), 1);
        got.extend(body["value"].as_array().unwrap().iter().cloned());
        next = body
            .get("@odata.nextLink")
            .and_then(Value::as_str)
            .map(str::to_string);
    }
    assert_eq!(got, all);

    // -Identity selects one object; an unknown one is Exchange's not-found error.
    let (status, body) = invoke(
        &c,
        &server,
        &token,
        &url,
        "Get-RemoteDomain",
        json!({ "Identity": "Default" }),
        None,
    )
    .await;
    assert_eq!(
        (status, body["value"].as_array().unwrap().len()),
        (StatusCode::OK, 1)
    );
    let (status, body) = invoke(
        &c,
        &server,
        &token,
        &url,
        "Get-RemoteDomain",
        json!({ "Identity": "nowhere" }),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["error"]["innererror"]["internalexception"]["message"]
        .as_str()
        .unwrap()
        .contains("ManagementObjectNotFoundException"));

    let (status, body) = invoke(
        &c,
        &server,
        &token,
        &url,
        "Get-NoSuchThing",
        json!({}),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "BadRequest");
    assert_eq!(
        body["error"]["innererror"]["type"],
        "Microsoft.Exchange.Admin.OData.Core.ODataServiceException"
    );
    assert_eq!(
        body["error"]["innererror"]["internalexception"]["type"],
        "System.Management.Automation.CommandNotFoundException"
    );
    let resp = c
        .post(&url)
        .bearer_auth(&token)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);

    let stats = server.stats();
    assert_eq!(
        stats.per_cmdlet["Get-DkimSigningConfig"],
        1 + all.len() as u64
    );
    assert_eq!(stats.per_cmdlet["Get-NoSuchThing"], 1);
    server.shutdown().await;
}

#[tokio::test]
async fn exchange_requests_share_the_fault_counters() {
    let options = SimOptions {
        throttle_every: Some(2),
        retry_after_secs: 3,
        ..SimOptions::default()
    };
    let server = start(&M365Spec::small(Posture::Weak), options).await;
    let c = client();
    let token = secret_token(&c, &server, EXCHANGE_SCOPE).await;
    let url = invoke_url(&server);
    let mut throttled = 0;
    for _ in 0..6 {
        let resp = c
            .post(&url)
            .bearer_auth(&token)
            .body(json!({ "CmdletInput": { "CmdletName": "Get-OrganizationConfig" } }).to_string())
            .send()
            .await
            .unwrap();
        if resp.status() == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(resp.headers()["retry-after"], "3");
            assert_eq!(resp.json_value().await["error"]["code"], "TooManyRequests");
            throttled += 1;
        }
    }
    assert_eq!(throttled, 3);
    assert_eq!(server.stats().throttled, 3);
    server.shutdown().await;
}

#[tokio::test]
async fn tokens_expire_after_their_lifetime() {
    let options = SimOptions {
        token_lifetime: Duration::from_secs(1),
        ..SimOptions::default()
    };
    let server = start(&M365Spec::small(Posture::Weak), options).await;
    let c = client();
    let (_, body) = post_form(
        &c,
        &token_url(&server),
        &[
            ("grant_type", "client_credentials"),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", DEFAULT_CLIENT_SECRET),
            ("scope", GRAPH_SCOPE),
        ],
    )
    .await;
    assert_eq!(body["expires_in"], 1);
    let token = body["access_token"].as_str().unwrap().to_string();
    let url = format!("{}/v1.0/domains", server.base_url());
    assert_eq!(get(&c, &url, &token).await.0, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let (status, body) = get(&c, &url, &token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_graph_error(&body, "InvalidAuthenticationToken");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("expired"));
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_clients_each_get_every_item() {
    let spec = M365Spec {
        users: 1_200,
        ..M365Spec::small(Posture::Weak)
    };
    let server = std::sync::Arc::new(
        start(
            &spec,
            SimOptions {
                page_size: 250,
                ..SimOptions::default()
            },
        )
        .await,
    );
    let c = client();
    let token = secret_token(&c, &server, GRAPH_SCOPE).await;
    let mut tasks = tokio::task::JoinSet::new();
    for path in [
        "/v1.0/users",
        "/v1.0/users",
        "/v1.0/reports/authenticationMethods/userRegistrationDetails",
        "/v1.0/groups",
    ] {
        let (c, token, url) = (
            c.clone(),
            token.clone(),
            format!("{}{path}", server.base_url()),
        );
        tasks.spawn(async move { (url.clone(), collect(&c, &url, &token).await.0.len()) });
    }
    while let Some(done) = tasks.join_next().await {
        let (url, n) = done.unwrap();
        let want = if url.ends_with("/groups") {
            spec.groups
        } else {
            1_200
        };
        assert_eq!(n, want, "{url}");
    }
    assert_eq!(server.stats().per_path["/v1.0/users"], 2 * 5);
}

/// Every call of the connector's manifest — tenant-wide endpoints with their query,
/// per-object calls for the objects the connector calls them for, every Exchange
/// cmdlet — is answered 200 (never 404), and per-object lists page like the others.
#[tokio::test]
async fn every_call_of_the_connector_manifest_is_served() {
    use sspm_connectors::m365::manifest::{
        self, APPLICATION_OWNERS, APP_ROLE_ASSIGNED_TO, FIRST_PARTY_APIS, GROUP_MEMBERS,
        SERVICE_PRINCIPAL_OWNERS, SUB_ENDPOINTS,
    };
    for posture in [Posture::Weak, Posture::Hardened, Posture::Mixed] {
        let server = start(&M365Spec::small(posture), SimOptions::default()).await;
        let t = server.tenant();
        let c = client();
        let token = secret_token(&c, &server, GRAPH_SCOPE).await;
        // What the connector receives is what the generated snapshot holds.
        let snapshot = t.to_snapshot();
        for e in manifest::ENDPOINTS {
            let url = format!("{}/v1.0{}?{}", server.base_url(), e.path, e.query);
            let (status, mut body) = get(&c, &url, &token).await;
            assert_eq!(status, StatusCode::OK, "{posture:?} {}: {body}", e.path);
            let key = format!("graph:/v1.0{}", e.path);
            let got = match e.shape {
                manifest::Shape::List => Value::Array(collect(&c, &url, &token).await.0),
                manifest::Shape::Object => {
                    body.as_object_mut().unwrap().shift_remove("@odata.context");
                    body
                }
            };
            assert_eq!(
                Some(&got),
                snapshot.resources.get(&key),
                "{posture:?} {key}"
            );
        }

        // The objects the connector makes per-object calls for (collect.rs `sub_calls`).
        let mut calls: Vec<(&str, String)> = Vec::new();
        for g in t.groups.iter().filter(|g| g.is_assignable_to_role) {
            calls.push((GROUP_MEMBERS.path, g.id.clone()));
        }
        for a in &t.applications {
            calls.push((APPLICATION_OWNERS.path, a.id.clone()));
        }
        for sp in &t.service_principals {
            if FIRST_PARTY_APIS.iter().any(|(id, _)| *id == sp.app_id) {
                calls.push((APP_ROLE_ASSIGNED_TO.path, sp.id.clone()));
            }
            if sp.app_owner_organization_id.as_deref() == Some(t.tenant_id.as_str()) {
                calls.push((SERVICE_PRINCIPAL_OWNERS.path, sp.id.clone()));
            }
        }
        for sub in SUB_ENDPOINTS {
            assert!(
                calls.iter().any(|(p, _)| *p == sub.path),
                "{posture:?}: no object to call {} for",
                sub.path
            );
        }
        let mut keys = HashSet::new();
        for (template, id) in &calls {
            let sub = SUB_ENDPOINTS.iter().find(|s| s.path == *template).unwrap();
            let path = format!("/v1.0{}", template.replace("{id}", id));
            // One item per page, so that every list with two items or more pages.
            let query = sub.query.replace("$top=999", "$top=1");
            let (items, pages) =
                collect(&c, &format!("{}{path}?{query}", server.base_url()), &token).await;
            assert_eq!(pages, items.len().max(1), "{path}");
            let list = t.sub_list(&path).unwrap();
            let expected = t.render_sub(list);
            // The connector selects id, displayName and userPrincipalName of members
            // and owners; the snapshot holds what it receives.
            assert_eq!(Value::Array(items), expected, "{path}");
            keys.insert(format!("graph:{path}"));
        }
        // The generated snapshot holds exactly these per-object keys.
        let snapshot_keys: HashSet<String> =
            t.sub_lists().into_iter().map(|s| t.sub_key(s)).collect();
        assert_eq!(keys, snapshot_keys, "{posture:?}");
        // The Microsoft Graph permissions granted to apps are there to be judged.
        let graph_sp = t
            .service_principals
            .iter()
            .find(|s| s.app_id == "00000003-0000-0000-c000-000000000000")
            .unwrap();
        let (status, body) = get(
            &c,
            &format!(
                "{}/v1.0/servicePrincipals/{}/appRoleAssignedTo",
                server.base_url(),
                graph_sp.id
            ),
            &token,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(!body["value"].as_array().unwrap().is_empty());
        assert!(body["@odata.context"].as_str().unwrap().ends_with(&format!(
            "servicePrincipals('{}')/appRoleAssignedTo",
            graph_sp.id
        )));
        // An object that does not exist is Graph's 404.
        let (status, body) = get(
            &c,
            &format!(
                "{}/v1.0/groups/00000000-0000-0000-0000-000000000000/members",
                server.base_url()
            ),
            &token,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_graph_error(&body, "Request_ResourceNotFound");

        let exo = secret_token(&c, &server, EXCHANGE_SCOPE).await;
        let url = invoke_url(&server);
        for cmdlet in manifest::EXO_CMDLETS {
            let (status, body) = invoke(&c, &server, &exo, &url, cmdlet, json!({}), None).await;
            assert_eq!(status, StatusCode::OK, "{cmdlet}: {body}");
        }
        server.shutdown().await;
    }
}

/// PIM role settings: one policy assignment per role definition, the rules expanded, and
/// the settings the checks read differ between postures.
#[tokio::test]
async fn role_management_policies_are_served_per_role_with_their_rules() {
    let mut seen = Vec::new();
    for posture in [Posture::Weak, Posture::Hardened] {
        let server = start(&M365Spec::small(posture), SimOptions::default()).await;
        let c = client();
        let token = secret_token(&c, &server, GRAPH_SCOPE).await;
        let url = format!(
            "{}/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId%20eq%20'%2F'%20and%20scopeType%20eq%20'DirectoryRole'&$expand=policy($expand=rules)",
            server.base_url()
        );
        let (items, _) = collect(&c, &url, &token).await;
        let (defs, _) = collect(
            &c,
            &format!(
                "{}/v1.0/roleManagement/directory/roleDefinitions",
                server.base_url()
            ),
            &token,
        )
        .await;
        assert_eq!(items.len(), defs.len());
        let ids: HashSet<&str> = items
            .iter()
            .map(|a| a["roleDefinitionId"].as_str().unwrap())
            .collect();
        for d in &defs {
            assert!(
                ids.contains(d["id"].as_str().unwrap()),
                "{}",
                d["displayName"]
            );
        }
        let ga = items
            .iter()
            .find(|a| a["roleDefinitionId"] == sspm_sim::catalog::GLOBAL_ADMINISTRATOR)
            .unwrap();
        assert_eq!(ga["scopeId"], "/");
        assert_eq!(ga["scopeType"], "DirectoryRole");
        assert_eq!(ga["policyId"], ga["policy"]["id"]);
        let rules = ga["policy"]["rules"].as_array().unwrap();
        let rule = |id: &str| rules.iter().find(|r| r["id"] == id).unwrap().clone();
        for (id, kind) in [
            ("Expiration_Admin_Eligibility", "ExpirationRule"),
            ("Enablement_EndUser_Assignment", "EnablementRule"),
            ("Approval_EndUser_Assignment", "ApprovalRule"),
            ("Notification_Admin_Admin_Eligibility", "NotificationRule"),
            ("Notification_Admin_Admin_Assignment", "NotificationRule"),
            ("Notification_Admin_EndUser_Assignment", "NotificationRule"),
        ] {
            let r = rule(id);
            assert_eq!(
                r["@odata.type"],
                format!("#microsoft.graph.unifiedRoleManagementPolicy{kind}")
            );
            assert!(r["target"]["caller"].is_string(), "{id}");
        }
        seen.push((
            rule("Approval_EndUser_Assignment")["setting"]["isApprovalRequired"].clone(),
            rule("Notification_Admin_EndUser_Assignment")["notificationRecipients"].clone(),
        ));
        server.shutdown().await;
    }
    assert_eq!(seen[0], (json!(false), json!([])));
    assert_eq!(seen[1].0, json!(true));
    assert_eq!(seen[1].1, json!(["secops@contoso.com"]));
}
