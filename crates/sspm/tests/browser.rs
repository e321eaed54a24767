//! The dashboard in a real browser: Debian's Chromium, headless, driven through
//! chromedriver (both from `apt-get install -y chromium chromium-driver`) by fantoccini.
//! Screenshots are saved under `target/browser-screenshots/`.
//!
//! The browser talks to the server on 127.0.0.1 only; chromium runs with a fresh profile
//! and background networking off. When chromium or chromedriver is missing the test FAILS
//! with the command that installs them.

mod support;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use support::{Backend, Harness};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

struct Driver {
    child: Child,
    port: u16,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

async fn start_driver() -> Driver {
    for tool in [CHROMIUM, CHROMEDRIVER] {
        assert!(
            std::path::Path::new(tool).exists(),
            "{tool} is missing: install Debian's chromium and chromedriver with \
             `apt-get install -y chromium chromium-driver` (.ci/run does)"
        );
    }
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .arg("--allowed-ips=127.0.0.1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let deadline = Instant::now() + Duration::from_secs(30);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            Instant::now() < deadline,
            "chromedriver did not start on port {port}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Driver {
        child,
        port,
        _profile: tempfile::tempdir().expect("a profile directory"),
    }
}

async fn browser(driver: &Driver) -> Client {
    let profile = driver._profile.path().display().to_string();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--no-first-run",
                format!("--user-data-dir={profile}"),
                "--window-size=1400,1000",
            ],
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("connect to chromedriver")
}

fn screenshots() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("browser-screenshots");
    std::fs::create_dir_all(&dir).expect("create the screenshot directory");
    dir
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.expect("a screenshot");
    std::fs::write(screenshots().join(format!("{name}.png")), png).expect("write a screenshot");
}

async fn text(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .expect("text")
}

fn number(text: &str) -> f64 {
    let digits: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no number in `{text}`"))
}

/// Sets a state with the detail pane's form.
async fn set_state(c: &Client, state: &str, reason: &str) {
    c.find(Locator::Css(&format!(
        "#state-form select[name=state] option[value={state}]"
    )))
    .await
    .expect("the state choice")
    .click()
    .await
    .expect("choose");
    c.find(Locator::Css("#state-form input[name=reason]"))
        .await
        .expect("the reason")
        .send_keys(reason)
        .await
        .expect("type");
    c.find(Locator::Css("#state-submit"))
        .await
        .expect("submit")
        .click()
        .await
        .expect("submit");
}

/// Waits until the API at `path` satisfies `done` (a click on a submit button may return
/// before the browser's POST has been answered).
/// Waits until the browser's location satisfies `done` (after a click that navigates).
async fn wait_for_url(c: &Client, done: impl Fn(&url::Url) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let url = c.current_url().await.expect("the location");
        if done(&url) {
            return;
        }
        assert!(Instant::now() < deadline, "the browser stayed at {url}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn api_until(h: &Harness, path: &str, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let value = api(h, path).await;
        if done(&value) {
            return value;
        }
        assert!(Instant::now() < deadline, "{path} never got there: {value}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn api(h: &Harness, path: &str) -> Value {
    support::client()
        .get(format!("{}{path}", h.base))
        .bearer_auth(&h.admin)
        .send()
        .await
        .expect("a response")
        .json()
        .await
        .expect("JSON")
}

async fn rows(c: &Client, css: &str, attribute: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in c.find_all(Locator::Css(css)).await.expect("rows") {
        if let Some(v) = e.attr(attribute).await.expect("an attribute") {
            out.push(v);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_in_chromium() {
    let h = Harness::start(Backend::Sqlite).await;
    let driver = start_driver().await;
    let c = browser(&driver).await;
    let base = h.base.clone();

    // Signing in.
    c.goto(&format!("{base}/")).await.expect("open");
    assert!(c
        .current_url()
        .await
        .expect("url")
        .path()
        .ends_with("/login"));
    c.find(Locator::Css("#login input[name=token]"))
        .await
        .expect("the token field")
        .send_keys(&h.admin)
        .await
        .expect("type");
    c.find(Locator::Css("#login button[type=submit]"))
        .await
        .expect("the sign-in button")
        .click()
        .await
        .expect("sign in");
    wait_for_url(&c, |u| u.path() == "/").await;

    // The overview shows the score the API reports.
    let score = api(&h, "/api/v1/score").await;
    let achieved = number(&text(&c, "#score-achieved").await);
    assert!((achieved - score["score"]["achieved"].as_f64().expect("achieved")).abs() < 0.051);
    let percent = number(&text(&c, "#score-percent").await);
    assert!((percent - score["score"]["percent"].as_f64().expect("percent")).abs() < 0.051);
    c.find(Locator::Css("svg#score-trend"))
        .await
        .expect("the trend chart");
    assert_eq!(
        rows(&c, "#score-by-instance tr[data-instance]", "data-instance").await,
        ["contoso", "fabrikam"]
    );
    shot(&c, "overview").await;

    // Filtering by instance, then by app.
    c.goto(&format!("{base}/recommendations"))
        .await
        .expect("open");
    c.find(Locator::Css(
        "#filters select[name=instance] option[value=contoso]",
    ))
    .await
    .expect("the instance filter")
    .click()
    .await
    .expect("choose");
    c.find(Locator::Css("#apply-filters"))
        .await
        .expect("apply")
        .click()
        .await
        .expect("apply");
    wait_for_url(&c, |u| {
        u.query().is_some_and(|q| q.contains("instance=contoso"))
    })
    .await;
    let instances = rows(&c, "#recommendations tr[data-instance]", "data-instance").await;
    assert!(
        !instances.is_empty() && instances.iter().all(|i| i == "contoso"),
        "{instances:?}"
    );
    c.goto(&format!("{base}/recommendations?app=m365&per_page=500"))
        .await
        .expect("open");
    let instances = rows(&c, "#recommendations tr[data-instance]", "data-instance").await;
    assert!(instances.iter().any(|i| i == "contoso") && instances.iter().any(|i| i == "fabrikam"));
    shot(&c, "recommendations").await;

    // A recommendation with some points but not all: accepting its risk lowers the score.
    let failing = api(
        &h,
        "/api/v1/recommendations?instance=contoso&status=fail&per_page=500",
    )
    .await;
    let partial = failing["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["points"].as_f64() > Some(0.0))
        .cloned();
    let (target, lowers) = match &partial {
        Some(p) => (p["id"].as_str().expect("id").to_string(), true),
        None => (
            failing["items"][0]["id"].as_str().expect("id").to_string(),
            false,
        ),
    };
    c.goto(&format!("{base}/recommendations?instance=contoso"))
        .await
        .expect("open");
    c.find(Locator::Css(&format!(
        "#recommendations tr[data-instance=contoso][data-check='{target}'] a.rec-link"
    )))
    .await
    .unwrap_or_else(|e| {
        // Not on the first page: open it directly.
        panic!("{target} is not on the first page: {e}")
    })
    .click()
    .await
    .expect("open the recommendation");
    wait_for_url(&c, |u| u.query().is_some_and(|q| q.contains("selected="))).await;
    c.find(Locator::Css("#detail"))
        .await
        .expect("the detail pane");
    c.find(Locator::Css("#tab-implementation"))
        .await
        .expect("the tab")
        .click()
        .await
        .expect("open the tab");
    let steps = c
        .find_all(Locator::Css("#implementation li"))
        .await
        .expect("steps");
    assert!(!steps.is_empty(), "no implementation steps");
    shot(&c, "implementation").await;

    let before = api(&h, "/api/v1/score").await;
    set_state(&c, "risk_accepted", "compensating control in the proxy").await;
    let state = api_until(
        &h,
        &format!("/api/v1/recommendations/contoso/{target}"),
        |r| r["state"]["state"] == "risk_accepted",
    )
    .await;
    let after = api(&h, "/api/v1/score").await;
    assert_eq!(state["state"]["set_by"], "token:test-admin");
    let achieved = |s: &Value, k: &str| s[k]["achieved"].as_f64().expect("achieved");
    if lowers {
        assert!(
            achieved(&after, "score") < achieved(&before, "score"),
            "{before} → {after}"
        );
        assert!(achieved(&after, "planned_score") < achieved(&before, "planned_score"));
    }
    c.goto(&format!("{base}/")).await.expect("open");
    let shown = number(&text(&c, "#score-achieved").await);
    assert!(
        (shown - achieved(&after, "score")).abs() < 0.051,
        "the overview shows {shown}: {after}"
    );
    let planned_text = text(&c, "#planned-score").await;
    assert!(!planned_text.is_empty());
    // Planned: the planned score rises above the score.
    c.goto(&format!(
        "{base}/recommendations?instance=contoso&selected=contoso/{target}"
    ))
    .await
    .expect("open");
    set_state(&c, "planned", "next sprint").await;
    api_until(
        &h,
        &format!("/api/v1/recommendations/contoso/{target}"),
        |r| r["state"]["state"] == "planned",
    )
    .await;
    let planned = api(&h, "/api/v1/score").await;
    assert!(
        achieved(&planned, "planned_score") > achieved(&planned, "score"),
        "{planned}"
    );
    c.goto(&format!("{base}/")).await.expect("open");
    let planned_shown = text(&c, "#planned-score").await;
    assert_ne!(
        planned_shown, planned_text,
        "the planned score on the overview did not change"
    );
    shot(&c, "planned").await;

    // Initiatives and history render.
    c.goto(&format!("{base}/initiatives")).await.expect("open");
    c.find(Locator::Css("section.initiative"))
        .await
        .expect("an initiative");
    shot(&c, "initiatives").await;
    c.goto(&format!("{base}/history?instance=contoso"))
        .await
        .expect("open");
    shot(&c, "history").await;

    // Recommendations off: the instance leaves the score.
    c.goto(&format!("{base}/apps")).await.expect("open");
    shot(&c, "connected-apps").await;
    c.find(Locator::Css(
        "tr[data-instance=contoso] form.recommendations-switch button",
    ))
    .await
    .expect("the switch")
    .click()
    .await
    .expect("switch off");
    let off = api_until(&h, "/api/v1/score", |s| {
        s["instances"][0]["recommendations"] == false
    })
    .await;
    assert_eq!(
        off["score"], off["instances"][1]["score"],
        "only fabrikam is scored: {off}"
    );
    c.goto(&format!("{base}/")).await.expect("open");
    let shown = number(&text(&c, "#score-achieved").await);
    assert!((shown - achieved(&off, "score")).abs() < 0.051);
    c.goto(&format!("{base}/recommendations"))
        .await
        .expect("open");
    let instances = rows(&c, "#recommendations tr[data-instance]", "data-instance").await;
    assert!(instances.iter().all(|i| i == "fabrikam"), "{instances:?}");

    c.close().await.expect("close the browser");
    drop(driver);
    h.stop().await;
}
