//! The Microsoft 365 connector against the simulated tenant (127.0.0.1 only), clean and
//! under every fault the simulator injects.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use sspm_connectors::config::Config;
use sspm_connectors::http::HttpOptions;
use sspm_connectors::m365::auth::{Certificate, Credential};
use sspm_connectors::m365::M365;
use sspm_connectors::Secret;
use sspm_model::Snapshot;
use sspm_sim::server::{SimOptions, SimServer, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET};
use sspm_sim::{M365Spec, M365Tenant, Posture, Resource};

/// A tenant big enough that its lists take several pages.
fn tenant() -> M365Tenant {
    M365Tenant::generate(&M365Spec {
        users: 1_200,
        ..M365Spec::small(Posture::Weak)
    })
}

fn config(base: &str, tenant_id: &str) -> Config {
    Config::parse(&config_text(base, tenant_id), Path::new("test.toml")).unwrap()
}

fn config_text(base: &str, tenant_id: &str) -> String {
    format!(
        r#"[[instances]]
name = "sim"
app = "m365"
tenant_id = "{tenant_id}"
client_id = "{DEFAULT_CLIENT_ID}"
client_secret_env = "UNUSED_IN_TESTS"
graph_url = "{base}"
login_url = "{base}"
exo_url = "{base}"
"#
    )
}

/// Fast retries, so that fault tests take seconds.
fn quick() -> HttpOptions {
    HttpOptions {
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(50),
        max_attempts: 8,
        ..HttpOptions::default()
    }
}

async fn collect_with(
    options: SimOptions,
    credential: Credential,
) -> (
    Snapshot,
    M365Tenant,
    sspm_sim::server::SimStats,
    sspm_connectors::http::StatsSnapshot,
) {
    let tenant = tenant();
    let expected = tenant.clone();
    let clean = options == SimOptions::default();
    let server = SimServer::start(tenant, options, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let config = config(&server.base_url(), &expected.tenant_id);
    let connector =
        Arc::new(M365::with_options(&config.instances[0], credential, quick()).unwrap());
    let snapshot = connector.collect().await.unwrap();
    // Exchange requests are anchored on the tenant's initial domain, read from /domains
    // (on the tenant id when /domains and /organization failed).
    if clean {
        let initial = expected
            .domains
            .iter()
            .find(|d| d.is_initial)
            .map(|d| d.name.clone());
        assert_eq!(connector.exchange_organization(), initial);
    }
    let client_stats = connector.http().stats().snapshot();
    let stats = server.stats();
    server.shutdown().await;
    (snapshot, expected, stats, client_stats)
}

fn secret() -> Credential {
    Credential::Secret(Secret::new(DEFAULT_CLIENT_SECRET))
}

/// Every list the simulator serves arrives whole: each item exactly once.
fn assert_complete(snapshot: &Snapshot, tenant: &M365Tenant, skip: &[&str]) {
    for r in Resource::ALL {
        let key = r.key();
        if skip.contains(&key.as_str()) || !r.is_list() {
            continue;
        }
        if tenant.len(r).is_none() {
            continue;
        }
        let got = match snapshot.resources.get(&key) {
            Some(Value::Array(items)) => items,
            other => panic!(
                "{key}: {other:?} / failure {:?}",
                snapshot.failures.get(&key)
            ),
        };
        let expected = tenant.render(r);
        let expected = expected.as_array().unwrap();
        assert_eq!(got.len(), expected.len(), "{key}: item count");
        let ids: HashSet<&str> = got.iter().filter_map(|v| v["id"].as_str()).collect();
        assert_eq!(ids.len(), got.len(), "{key}: an item arrived twice");
        for item in expected {
            if let Some(id) = item["id"].as_str() {
                assert!(ids.contains(id), "{key}: {id} is missing");
            }
        }
    }
}

#[tokio::test]
async fn a_clean_collection_holds_every_item_once_and_the_exchange_settings() {
    let (snapshot, tenant, stats, _) = collect_with(SimOptions::default(), secret()).await;
    assert_complete(&snapshot, &tenant, &[]);
    assert_eq!(snapshot.app, "m365");
    assert_eq!(snapshot.tenant, tenant.tenant_domain);
    for cmdlet in sspm_sim::EXO_CMDLETS {
        assert!(
            snapshot.resources.contains_key(&format!("exo:{cmdlet}")),
            "exo:{cmdlet} missing; failures: {:?}",
            snapshot.failures.keys().collect::<Vec<_>>()
        );
    }
    // Users are requested with $select and several pages of $top=999.
    let users = snapshot.resources["graph:/v1.0/users"].as_array().unwrap();
    let keys: HashSet<&str> = users[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let selected: HashSet<&str> = sspm_connectors::m365::manifest::USER_SELECT
        .split(',')
        .collect();
    assert!(keys.is_subset(&selected), "{keys:?}");
    assert!(
        stats.per_path["/v1.0/users"] >= 2,
        "users take two pages of 999"
    );
    assert_eq!(
        stats.tokens_issued, 2,
        "one Graph and one Exchange token, reused"
    );
    // Object endpoints are stored without Graph's @odata.context.
    assert!(
        snapshot.resources["graph:/v1.0/policies/authorizationPolicy"]
            .get("@odata.context")
            .is_none()
    );
}

#[tokio::test]
async fn throttling_is_waited_out_as_retry_after_says() {
    let options = SimOptions {
        throttle_every: Some(7),
        retry_after_secs: 1,
        ..SimOptions::default()
    };
    let started = std::time::Instant::now();
    let (snapshot, tenant, stats, client) = collect_with(options, secret()).await;
    assert_complete(&snapshot, &tenant, &[]);
    assert!(stats.throttled > 0);
    assert_eq!(
        client.throttled, stats.throttled,
        "every 429 was seen and waited out"
    );
    assert!(
        client.waited_ms >= 1000 * stats.throttled,
        "Retry-After: 1 s each"
    );
    assert!(started.elapsed() >= Duration::from_secs(1));
}

#[tokio::test]
async fn server_errors_resets_and_truncated_bodies_are_retried_never_truncating_a_list() {
    for options in [
        SimOptions {
            fail_rate: 0.2,
            ..SimOptions::default()
        },
        SimOptions {
            reset_every: Some(5),
            ..SimOptions::default()
        },
        SimOptions {
            truncate_every: Some(4),
            ..SimOptions::default()
        },
    ] {
        let (snapshot, tenant, stats, client) = collect_with(options, secret()).await;
        assert_complete(&snapshot, &tenant, &[]);
        assert!(
            stats.unavailable + stats.resets + stats.truncated > 0,
            "a fault was injected"
        );
        assert!(client.retries > 0);
    }
}

#[tokio::test]
async fn exchange_is_anchored_on_the_configured_organization_without_waiting_for_domains() {
    let tenant = tenant();
    let id = tenant.tenant_id.clone();
    let server = SimServer::start(
        tenant,
        SimOptions::default(),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let text = format!(
        "{}organization = \"configured.onmicrosoft.com\"\n",
        config_text(&server.base_url(), &id)
    );
    let config = Config::parse(&text, Path::new("test.toml")).unwrap();
    let connector = Arc::new(M365::with_options(&config.instances[0], secret(), quick()).unwrap());
    connector.collect().await.unwrap();
    assert_eq!(
        connector.exchange_organization().as_deref(),
        Some("configured.onmicrosoft.com")
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_forbidden_call_is_a_failure_naming_the_permission() {
    let path = "/v1.0/reports/authenticationMethods/userRegistrationDetails";
    let options = SimOptions {
        forbidden: vec![path.to_string()],
        ..SimOptions::default()
    };
    let (snapshot, tenant, _, _) = collect_with(options, secret()).await;
    let key = format!("graph:{path}");
    assert!(!snapshot.resources.contains_key(&key));
    let failure = &snapshot.failures[&key];
    assert_eq!(failure.status, 403);
    assert_eq!(failure.code.as_deref(), Some("Authorization_RequestDenied"));
    assert!(failure
        .needs
        .as_deref()
        .unwrap()
        .contains("AuditLog.Read.All"));
    assert_complete(&snapshot, &tenant, &[&key]);
}

#[tokio::test]
async fn a_list_whose_page_keeps_failing_is_a_failure_not_a_short_list() {
    let options = SimOptions {
        truncate_every: Some(1),
        ..SimOptions::default()
    };
    let (snapshot, _, _, _) = collect_with(options, secret()).await;
    assert!(!snapshot.resources.contains_key("graph:/v1.0/users"));
    let failure = &snapshot.failures["graph:/v1.0/users"];
    assert_eq!(failure.status, 0);
    assert!(
        failure.message.contains("not complete JSON"),
        "{}",
        failure.message
    );
}

#[tokio::test]
async fn certificate_credentials_get_tokens_and_bad_secrets_are_refused() {
    let pem = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/test-app.pem");
    let cert = Certificate::from_pem_file(&pem).unwrap();
    let (snapshot, tenant, stats, _) =
        collect_with(SimOptions::default(), Credential::Certificate(cert)).await;
    assert_complete(&snapshot, &tenant, &[]);
    assert_eq!(stats.token_rejections, 0);

    let tenant = tenant.clone();
    let id = tenant.tenant_id.clone();
    let server = SimServer::start(
        tenant,
        SimOptions::default(),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let config = config(&server.base_url(), &id);
    let connector = Arc::new(
        M365::with_options(
            &config.instances[0],
            Credential::Secret(Secret::new("s3cr3t-XYZZY-value")),
            quick(),
        )
        .unwrap(),
    );
    let err = connector.collect().await.unwrap_err().to_string();
    assert!(
        err.contains("instance `sim`") && err.contains("AADSTS7000215"),
        "{err}"
    );
    assert!(!err.contains("XYZZY"), "the secret never appears: {err}");
    server.shutdown().await;
}

/// The simulator serves what the connector asks for: the same cmdlets and /users properties.
#[test]
fn the_simulator_and_the_connector_agree_on_what_is_collected() {
    use sspm_connectors::m365::manifest::{EXO_CMDLETS, USER_SELECT};
    assert_eq!(sspm_sim::EXO_CMDLETS, EXO_CMDLETS);
    assert_eq!(sspm_sim::USER_SELECT.join(","), USER_SELECT);
}

/// The test certificate with its key encrypted (PKCS#8 PBES2) under `password`, made
/// here from `test-app.pem` so that no encrypted key with a known password is stored.
fn encrypted_pem(password: &str, scrypt: bool) -> String {
    use pkcs8::der::pem::LineEnding;
    use pkcs8::pkcs5::pbes2::Parameters;
    let pem = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/test-app.pem"),
    )
    .unwrap();
    let certificate = &pem[..pem.find("-----BEGIN PRIVATE KEY-----").unwrap()];
    let mut reader = pem.as_bytes();
    let key = rustls_pemfile::read_all(&mut reader)
        .flatten()
        .find_map(|item| match item {
            rustls_pemfile::Item::Pkcs8Key(k) => Some(k.secret_pkcs8_der().to_vec()),
            _ => None,
        })
        .unwrap();
    let (salt, iv) = ([7u8; 16], [9u8; 16]);
    let params = if scrypt {
        Parameters::scrypt_aes256cbc(
            pkcs8::pkcs5::scrypt::Params::new(10, 8, 1, 32).unwrap(),
            &salt,
            &iv,
        )
    } else {
        Parameters::pbkdf2_sha256_aes256cbc(2048, &salt, &iv)
    }
    .unwrap();
    let encrypted = pkcs8::PrivateKeyInfo::try_from(key.as_slice())
        .unwrap()
        .encrypt_with_params(params, password)
        .unwrap()
        .to_pem("ENCRYPTED PRIVATE KEY", LineEnding::LF)
        .unwrap();
    format!("{certificate}{}", encrypted.as_str())
}

#[tokio::test]
async fn encrypted_certificate_keys_are_decrypted_with_the_password_variable() {
    let dir = tempfile::tempdir().unwrap();
    let password = "test-only-password-QUUX";
    for (i, scrypt) in [false, true].into_iter().enumerate() {
        let path = dir.path().join(format!("app-{i}.pem"));
        std::fs::write(&path, encrypted_pem(password, scrypt)).unwrap();
        let var = format!("SSPM_TEST_KEY_PASSWORD_{i}");
        let text = format!(
            "[[instances]]\nname = \"encrypted\"\napp = \"m365\"\ntenant_id = \"t\"\nclient_id = \"c\"\ncertificate_path = \"{}\"\ncertificate_password_env = \"{var}\"\n",
            path.display()
        );
        let config = Config::parse(&text, Path::new("test.toml")).unwrap();
        let instance = &config.instances[0];

        // Unset: the error names the instance, the key and the variable.
        let err = instance.credential().err().unwrap().to_string();
        assert!(
            err.contains("instance `encrypted`")
                && err.contains("certificate_password_env")
                && err.contains(&var),
            "{err}"
        );
        // Wrong: names them too, never the password.
        std::env::set_var(&var, "not-the-password-ZORK");
        let err = instance.credential().err().unwrap().to_string();
        assert!(
            err.contains("instance `encrypted`")
                && err.contains("certificate_path")
                && err.contains(&var)
                && err.contains("cannot decrypt"),
            "{err}"
        );
        assert!(!err.contains("ZORK"), "the password never appears: {err}");
        // Right: the key signs assertions the simulator accepts.
        std::env::set_var(&var, password);
        let credential = instance.credential().unwrap();
        let (snapshot, tenant, stats, _) = collect_with(SimOptions::default(), credential).await;
        assert_complete(&snapshot, &tenant, &[]);
        assert_eq!(stats.token_rejections, 0);
        std::env::remove_var(&var);
    }
    // Without certificate_password_env, an encrypted key says what to set.
    let path = dir.path().join("app-0.pem");
    let err = Certificate::from_pem_file(&path).err().unwrap().to_string();
    assert!(err.contains("set certificate_password_env"), "{err}");
}
