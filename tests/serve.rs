//! `rung serve` over real HTTP on 127.0.0.1:0: every endpoint and every
//! error status, the decision log, reloads (a broken edit keeps the last
//! good policy), back-pressure, and graceful shutdown with a request in
//! flight.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::io::{BufRead as _, BufReader, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt as _, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use rung::serve::log::DecisionLog;
use rung::serve::{Config, Service};
use serde_json::{Value, json};

use common::{root, rung, scratch};

/// A service running in this process.
struct Server {
    addr: SocketAddr,
    service: Arc<Service>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    async fn start(config: Config, log: Option<DecisionLog>) -> Server {
        let service = Arc::new(Service::start(config, log).expect("the policy checks"));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(rung::serve::serve(
            listener,
            Arc::clone(&service),
            async move {
                let _ = rx.await;
            },
        ));
        Server {
            addr,
            service,
            stop: Some(tx),
            task,
        }
    }

    async fn nato() -> Server {
        Server::start(Config::new(vec![root().join("policies/nato")]), None).await
    }

    async fn get(&self, path: &str) -> Answer {
        request(self.addr, "GET", path, Vec::new()).await
    }

    async fn post(&self, path: &str, body: impl Into<Vec<u8>>) -> Answer {
        request(self.addr, "POST", path, body.into()).await
    }

    /// Stops accepting and waits until the requests in flight are answered.
    async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        tokio::time::timeout(Duration::from_secs(20), self.task)
            .await
            .expect("the server stops")
            .unwrap()
            .unwrap();
    }
}

/// An HTTP answer.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: hyper::HeaderMap,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The code of the first error of an error body.
    fn code(&self) -> String {
        self.json()["errors"][0]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

/// One request on its own connection (hyper's client).
async fn request(addr: SocketAddr, method: &str, path: &str, body: Vec<u8>) -> Answer {
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(conn);
    let req = hyper::Request::builder()
        .method(method)
        .uri(path)
        .header("host", addr.to_string())
        .header("x-request-id", "test-request-1")
        .body(Full::new(Bytes::from(body)))
        .unwrap();
    let res = sender.send_request(req).await.unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

fn albania() -> String {
    std::fs::read_to_string(root().join("policies/nato/examples/albania-2022.json")).unwrap()
}

/// A decision log kept in memory.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Shared {
    fn lines(&self) -> Vec<Value> {
        let text = String::from_utf8(self.0.lock().unwrap().clone()).unwrap();
        text.lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decide_answers_exactly_what_eval_prints() {
    let server = Server::nato().await;
    let cli = rung(&[
        "eval",
        "policies/nato",
        "--facts",
        "policies/nato/examples/albania-2022.json",
        "--format",
        "json",
    ]);
    let answer = server.post("/v1/decide", albania()).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.header("content-type"), "application/json");
    assert_eq!(answer.header("x-request-id"), "test-request-1");
    assert_eq!(answer.body, cli.stdout);
    assert_eq!(
        answer.json()["decisions"][0]["top"],
        "article_4_consultation"
    );

    let cli = rung(&[
        "eval",
        "policies/nato",
        "--facts",
        "policies/nato/examples/albania-2022.json",
        "--format",
        "json",
        "--explain",
    ]);
    let answer = server.post("/v1/decide?explain=true", albania()).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, cli.stdout);
    assert!(answer.json()["explanations"].is_array());
    let answer = server.post("/v1/decide?explain=false", albania()).await;
    assert!(answer.json().get("explanations").is_none());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replay_answers_exactly_what_replay_prints() {
    let server = Server::nato().await;
    let facts = "policies/nato/examples/campaign-2022.json";
    let cli = rung(&[
        "replay",
        "policies/nato",
        "--facts",
        facts,
        "--format",
        "json",
        "--from",
        "2022-01-01",
        "--to",
        "2022-12-31",
    ]);
    let body = std::fs::read(root().join(facts)).unwrap();
    let answer = server
        .post("/v1/replay?from=2022-01-01&to=2022-12-31", body.clone())
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body, cli.stdout);
    // Without a range: the facts' earliest date to their `now`, as the CLI.
    let cli = rung(&[
        "replay",
        "policies/nato",
        "--facts",
        facts,
        "--format",
        "json",
    ]);
    let answer = server.post("/v1/replay", body.clone()).await;
    assert_eq!(answer.body, cli.stdout);

    let bad_day = server
        .post("/v1/replay?from=2022-02-30", body.clone())
        .await;
    assert_eq!(bad_day.status, 400);
    assert_eq!(bad_day.code(), "rung::usage::argument");
    let backwards = server
        .post("/v1/replay?from=2022-09-01&to=2022-08-01", body)
        .await;
    assert_eq!(backwards.status, 400);
    assert_eq!(backwards.code(), "rung::replay::range");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn policy_describes_ladders_rules_schema_and_examples() {
    let server = Server::nato().await;
    let answer = server.get("/v1/policy").await;
    assert_eq!(answer.status, 200);
    let doc = answer.json();
    let health = server.get("/healthz").await.json();
    assert_eq!(health["status"], "ok");
    assert_eq!(doc["policy_digest"], health["policy_digest"]);
    assert_eq!(doc["policy_digest"].as_str().unwrap().len(), 64);
    let ladders = doc["ladders"].as_array().unwrap();
    assert_eq!(ladders[0]["name"], "response");
    let rungs: Vec<&str> = ladders[0]["rungs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(rungs.first(), Some(&"monitor"));
    assert!(rungs.contains(&"article_4_consultation"));
    assert!(
        !ladders[0]["rungs"][0]["description"]
            .as_str()
            .unwrap()
            .is_empty()
    );
    let rule = doc["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "critical_infrastructure_attack")
        .unwrap();
    assert_eq!(rule["ladder"], "response");
    assert_eq!(rule["effect"], "recommend");
    assert_eq!(rule["from"], "article_4_consultation");
    assert_eq!(rule["cites"], "North Atlantic Treaty, Article 4");
    assert!(
        rule["because"]
            .as_str()
            .unwrap()
            .contains("critical infrastructure")
    );
    assert_eq!(doc["facts_schema"]["type"], "object");
    assert!(doc["facts_template"]["incidents"].is_array());
    assert!(
        doc["examples"]
            .as_array()
            .unwrap()
            .contains(&json!("albania-2022.json"))
    );
    assert_eq!(doc["load_errors"], json!([]));
    let files = doc["files"].as_array().unwrap();
    assert!(
        files
            .iter()
            .any(|f| f.as_str().unwrap().ends_with("response.rung"))
    );

    let example = server.get("/v1/examples/albania-2022.json").await;
    assert_eq!(example.status, 200);
    assert_eq!(example.body, albania());
    // Only listed examples: no way out of the folder.
    let escape = server.get("/v1/examples/..%2Fresponse.rung").await;
    assert_eq!(escape.status, 404);
    assert_eq!(escape.code(), "rung::serve::not_found");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tables_make_the_facts_document_that_decides_as_the_json_does() {
    let server = Server::nato().await;
    let dir = root().join("policies/nato/examples/tables");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    let body = json!({
        "facts": serde_json::from_str::<Value>(&read("now.json")).unwrap(),
        "tables": {
            "incidents": read("incidents.csv"),
            "prior_responses": read("prior_responses.csv"),
        },
    });
    let facts = server.post("/v1/tables", body.to_string()).await;
    assert_eq!(facts.status, 200, "{}", facts.body);
    assert_eq!(facts.json()["incidents"].as_array().unwrap().len(), 3);
    let from_tables = server.post("/v1/decide", facts.body.clone()).await;
    let from_json = server.post("/v1/decide", albania()).await;
    assert_eq!(from_tables.body, from_json.body);

    // A bad cell: 422, located by table, row and column.
    let bad = read("incidents.csv").replacen(",4,", ",9,", 1);
    let body = json!({ "facts": { "now": "2022-09-30" }, "tables": { "incidents": bad } });
    let answer = server.post("/v1/tables", body.to_string()).await;
    assert_eq!(answer.status, 422, "{}", answer.body);
    let error = &answer.json()["errors"][0];
    assert_eq!(error["code"], "rung::table::range");
    assert_eq!(error["file"], "incidents.csv");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("column severity")
    );

    // Not the expected envelope: 400.
    let answer = server.post("/v1/tables", r#"{"incidents": "id"}"#).await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.code(), "rung::serve::tables");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn console_and_its_assets_are_served() {
    let server = Server::nato().await;
    let page = server.get("/").await;
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").starts_with("text/html"));
    assert!(page.body.contains("/assets/console.js"));
    // Offline: nothing is fetched from another host.
    assert!(!page.body.contains("http://") && !page.body.contains("https://"));
    let js = server.get("/assets/console.js").await;
    assert_eq!(js.status, 200);
    assert!(js.header("content-type").starts_with("text/javascript"));
    let css = server.get("/assets/console.css").await;
    assert_eq!(css.status, 200);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_error_has_its_status_and_a_coded_report() {
    let mut config = Config::new(vec![root().join("policies/nato")]);
    config.max_body = 64 * 1024;
    let server = Server::start(config, None).await;

    // Malformed JSON: 400, with line and column.
    let answer = server
        .post("/v1/decide", "{\n  \"now\": \"2022-09-30\",\n  oops\n}")
        .await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    let error = &answer.json()["errors"][0];
    assert_eq!(error["code"], "rung::facts::json");
    assert_eq!(error["line"], 3);
    assert_eq!(error["column"], 3);
    assert_eq!(error["file"], "<request>");
    assert!(error["help"].is_string());

    // Nesting: read as the CLI reads it (without recursion: a deep value
    // where a record belongs is a type error), and the service stays up.
    let deep = format!(
        "{{\"now\": \"2022-09-30\", \"incidents\": {}{}}}",
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    let answer = server.post("/v1/decide", deep).await;
    assert_eq!(answer.status, 422, "{}", answer.body);
    assert_eq!(answer.code(), "rung::facts::type");

    // Facts that break the schema: 422, every problem with its JSON path.
    let bad = albania()
        .replacen("\"severity\": 4", "\"severity\": 9", 1)
        .replacen(
            "\"attribution\": \"high\"",
            "\"attribution\": \"certain\"",
            1,
        );
    let answer = server.post("/v1/decide", bad).await;
    assert_eq!(answer.status, 422, "{}", answer.body);
    let errors = answer.json()["errors"].as_array().unwrap().clone();
    let paths: Vec<&str> = errors.iter().filter_map(|e| e["path"].as_str()).collect();
    assert!(paths.contains(&"$.incidents[0].severity"), "{paths:?}");
    assert!(paths.contains(&"$.incidents[0].attribution"), "{paths:?}");
    let range = errors
        .iter()
        .find(|e| e["code"] == "rung::facts::range")
        .unwrap();
    assert_eq!(range["help"], "use a value from 1 to 5");
    assert!(range["line"].as_u64().unwrap() > 1);

    // Not UTF-8: 400.
    let answer = server.post("/v1/decide", vec![b'{', 0xff, b'}']).await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.code(), "rung::serve::encoding");

    // A query the endpoint does not take: 400.
    let answer = server.post("/v1/decide?explain=yes", albania()).await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.code(), "rung::serve::query");
    let answer = server.post("/v1/decide?explian=true", albania()).await;
    assert_eq!(answer.status, 400);

    // Unknown route: 404; wrong method: 405 with Allow.
    let answer = server.get("/v1/decision").await;
    assert_eq!(answer.status, 404);
    assert_eq!(answer.code(), "rung::serve::not_found");
    let answer = server.get("/v1/decide").await;
    assert_eq!(answer.status, 405);
    assert_eq!(answer.code(), "rung::serve::method");
    assert_eq!(answer.header("allow"), "POST");
    let answer = server.post("/v1/policy", "{}").await;
    assert_eq!(answer.status, 405);
    assert_eq!(answer.header("allow"), "GET");

    // Over the body limit: 413, and the service still answers.
    let huge = format!("{{\"pad\": \"{}\"}}", "x".repeat(100 * 1024));
    let answer = server.post("/v1/decide", huge).await;
    assert_eq!(answer.status, 413);
    assert_eq!(answer.code(), "rung::serve::too_large");
    let answer = server.post("/v1/decide", albania()).await;
    assert_eq!(answer.status, 200);

    // Every one of them was counted.
    let metrics = server.get("/metrics").await.body;
    for line in [
        "rung_http_requests_total{endpoint=\"/v1/decide\",status=\"400\"} 4",
        "rung_http_requests_total{endpoint=\"/v1/decide\",status=\"405\"} 1",
        "rung_http_requests_total{endpoint=\"/v1/decide\",status=\"413\"} 1",
        "rung_http_requests_total{endpoint=\"/v1/decide\",status=\"422\"} 2",
        "rung_http_requests_total{endpoint=\"/v1/decide\",status=\"200\"} 1",
        "rung_http_requests_total{endpoint=\"other\",status=\"404\"} 1",
    ] {
        assert!(metrics.contains(line), "no `{line}` in\n{metrics}");
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_requests_latency_and_decisions() {
    let server = Server::nato().await;
    for _ in 0..3 {
        assert_eq!(server.post("/v1/decide", albania()).await.status, 200);
    }
    let answer = server.get("/metrics").await;
    assert_eq!(answer.status, 200);
    assert!(answer.header("content-type").starts_with("text/plain"));
    let m = answer.body;
    for line in [
        "# TYPE rung_http_requests_total counter",
        "rung_http_requests_total{endpoint=\"/v1/decide\",status=\"200\"} 3",
        "# TYPE rung_http_request_duration_seconds histogram",
        "rung_http_request_duration_seconds_bucket{endpoint=\"/v1/decide\",le=\"+Inf\"} 3",
        "rung_http_request_duration_seconds_count{endpoint=\"/v1/decide\"} 3",
        "rung_decisions_total{ladder=\"response\",top=\"article_4_consultation\"} 3",
        "rung_evaluations_in_flight 0",
        "rung_policy_reloads_total 0",
        "rung_policy_reload_failures_total 0",
    ] {
        assert!(m.contains(line), "no `{line}` in\n{m}");
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_decision_log_has_one_line_per_decision_and_never_the_facts() {
    let log = Shared::default();
    let server = Server::start(
        Config::new(vec![root().join("policies/nato")]),
        Some(DecisionLog::to(Box::new(log.clone()))),
    )
    .await;
    let answer = server.post("/v1/decide", albania()).await;
    let bad = server.post("/v1/decide", "{").await;
    assert_eq!(bad.status, 400);
    let lines = log.lines();
    assert_eq!(lines.len(), 1, "only decisions are logged");
    let line = &lines[0];
    assert_eq!(line["request_id"], "test-request-1");
    assert_eq!(line["policy_digest"], answer.json()["policy_digest"]);
    assert_eq!(
        line["facts_sha256"],
        rung::serve::answer::sha256_hex(albania().as_bytes())
    );
    let time = line["time"].as_str().unwrap();
    assert!(time.ends_with('Z') && time.len() == 24, "{time}");
    let decision = &line["decisions"][0];
    assert_eq!(decision["ladder"], "response");
    assert_eq!(decision["subject"], "IR");
    assert_eq!(decision["top"], "article_4_consultation");
    assert!(
        decision["recommended"]
            .as_array()
            .unwrap()
            .contains(&json!("sanctions"))
    );
    assert!(decision["forbidden"].is_array());
    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(
        !text.contains("HomeLand Justice"),
        "facts were logged: {text}"
    );
    assert!(!text.contains("ALB-2022"), "facts were logged: {text}");
    server.stop().await;
}

/// A policy directory of one file, in a scratch folder.
fn policy_dir(name: &str, text: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::write(dir.join("policy.rung"), text).unwrap();
    dir
}

/// A policy whose evaluation takes time in proportion to the square of the
/// number of incidents: a quantifier whose condition filters the whole list.
const SLOW: &str = r#"
record Incident { id: string  sponsor: string  severity: int }
facts { incidents: list of Incident }
ladder response { monitor "Monitor" }
rules response for each sponsor, acts in incidents grouped by sponsor {
  recommend monitor when any acts has count(acts where severity >= it.severity) < 0
    because "slow on purpose"
}
"#;

/// Facts for [`SLOW`]: `n` incidents of one sponsor.
fn slow_facts(n: usize) -> String {
    let incidents: Vec<Value> = (0..n)
        .map(|i| json!({ "id": format!("i{i}"), "sponsor": "XX", "severity": i % 5 }))
        .collect();
    json!({ "incidents": incidents }).to_string()
}

/// Waits until `n` evaluations are running.
async fn until_in_flight(service: &Service, n: usize) {
    let start = Instant::now();
    while service.limits.in_flight() < n {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "never {n} in flight"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Enough incidents that one evaluation of [`SLOW`] outlasts the test's
/// other steps (checked: it is still in flight after them).
const SLOW_N: usize = 4000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_service_queues_then_answers_503_with_retry_after() {
    let dir = policy_dir("serve-busy", SLOW);
    let mut config = Config::new(vec![dir]);
    config.max_concurrent = 1;
    config.queue_wait = Duration::from_millis(50);
    let server = Server::start(config, None).await;
    let addr = server.addr;
    let slow = tokio::spawn(request(
        addr,
        "POST",
        "/v1/decide",
        slow_facts(SLOW_N).into(),
    ));
    until_in_flight(&server.service, 1).await;
    let answer = server.post("/v1/decide", slow_facts(1)).await;
    assert_eq!(answer.status, 503, "{}", answer.body);
    assert_eq!(answer.code(), "rung::serve::busy");
    assert_eq!(answer.header("retry-after"), "1");
    assert_eq!(
        server.service.limits.in_flight(),
        1,
        "the slow one was still running"
    );
    assert_eq!(slow.await.unwrap().status, 200);
    // Free again: answered.
    assert_eq!(server.post("/v1/decide", slow_facts(1)).await.status, 200);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_evaluation_over_the_timeout_is_answered_503() {
    let dir = policy_dir("serve-timeout", SLOW);
    let mut config = Config::new(vec![dir]);
    config.timeout = Duration::from_millis(20);
    let server = Server::start(config, None).await;
    let answer = server.post("/v1/decide", slow_facts(SLOW_N)).await;
    assert_eq!(answer.status, 503, "{}", answer.body);
    assert_eq!(answer.code(), "rung::serve::timeout");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_finishes_the_request_in_flight_and_logs_it() {
    let dir = policy_dir("serve-shutdown", SLOW);
    let log = Shared::default();
    let server = Server::start(
        Config::new(vec![dir]),
        Some(DecisionLog::to(Box::new(log.clone()))),
    )
    .await;
    let addr = server.addr;
    let slow = tokio::spawn(request(
        addr,
        "POST",
        "/v1/decide",
        slow_facts(SLOW_N).into(),
    ));
    until_in_flight(&server.service, 1).await;
    let service = Arc::clone(&server.service);
    server.stop().await;
    let answer = slow.await.unwrap();
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["decisions"][0]["subject"], "XX");
    assert_eq!(
        log.lines().len(),
        1,
        "the decision was logged before the stop"
    );
    assert_eq!(service.limits.in_flight(), 0);
    // No longer accepting.
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

/// Polls `/v1/policy` until `done` holds of it.
async fn until_policy(server: &Server, what: &str, done: impl Fn(&Value) -> bool) -> Value {
    let start = Instant::now();
    loop {
        let doc = server.get("/v1/policy").await.json();
        if done(&doc) {
            return doc;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "never {what}: {doc}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

const SMALL: &str = r#"
record Incident { id: string  sponsor: string  severity: int }
facts { incidents: list of Incident }
ladder response { monitor "Monitor" name "Name the state" }
rules response for each sponsor, acts in incidents grouped by sponsor {
  recommend monitor because "always"
  recommend name when sum(acts.severity) >= 5 because "serious"
}
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_is_swapped_in_and_a_broken_one_keeps_the_last_good_policy() {
    let dir = policy_dir("serve-reload", SMALL);
    let file = dir.join("policy.rung");
    let server = Server::start(Config::new(vec![dir.clone()]), None).await;
    let _watch = rung::serve::watch::watch(Arc::clone(&server.service)).unwrap();
    let facts = json!({ "incidents": [{ "id": "a", "sponsor": "XX", "severity": 3 }] }).to_string();
    let first = server.post("/v1/decide", facts.clone()).await.json();
    assert_eq!(first["decisions"][0]["top"], "monitor");
    let digest = first["policy_digest"].clone();

    // An edit that checks: swapped in.
    std::fs::write(&file, SMALL.replace(">= 5", ">= 3")).unwrap();
    let doc = until_policy(&server, "reloaded", |d| d["policy_digest"] != digest).await;
    assert_eq!(doc["load_errors"], json!([]));
    let second = server.post("/v1/decide", facts.clone()).await.json();
    assert_eq!(second["decisions"][0]["top"], "name");
    assert_eq!(second["policy_digest"], doc["policy_digest"]);
    let good = doc["policy_digest"].clone();

    // A broken edit: the last good policy keeps serving, the errors show.
    std::fs::write(
        &file,
        SMALL.replace("sum(acts.severity)", "sum(acts.severty)"),
    )
    .unwrap();
    let doc = until_policy(&server, "a failed reload", |d| {
        d["load_errors"].as_array().is_some_and(|e| !e.is_empty())
    })
    .await;
    assert_eq!(doc["policy_digest"], good);
    let error = &doc["load_errors"][0];
    assert_eq!(error["code"], "rung::name::field");
    assert!(error["line"].as_u64().is_some());
    let third = server.post("/v1/decide", facts.clone()).await;
    assert_eq!(third.status, 200);
    assert_eq!(third.json()["policy_digest"], good);

    // Fixed: the errors go.
    std::fs::write(&file, SMALL).unwrap();
    let doc = until_policy(&server, "fixed", |d| d["load_errors"] == json!([])).await;
    assert_eq!(doc["policy_digest"], digest);
    let metrics = server.get("/metrics").await.body;
    assert!(metrics.contains("rung_policy_reloads_total 2"), "{metrics}");
    assert!(
        metrics.contains("rung_policy_reload_failures_total 1"),
        "{metrics}"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_in_flight_finishes_on_the_policy_it_started_with() {
    let dir = policy_dir("serve-swap", SLOW);
    let server = Server::start(Config::new(vec![dir.clone()]), None).await;
    let before = server.get("/healthz").await.json()["policy_digest"].clone();
    let addr = server.addr;
    let slow = tokio::spawn(request(
        addr,
        "POST",
        "/v1/decide",
        slow_facts(SLOW_N).into(),
    ));
    until_in_flight(&server.service, 1).await;
    std::fs::write(dir.join("policy.rung"), format!("{SLOW}\n# edited\n")).unwrap();
    assert!(matches!(
        server.service.reload(),
        rung::serve::state::Reload::Swapped
    ));
    let after = server.get("/healthz").await.json()["policy_digest"].clone();
    assert_ne!(before, after);
    assert_eq!(server.service.limits.in_flight(), 1, "still running");
    let answer = slow.await.unwrap().json();
    assert_eq!(answer["policy_digest"], before);
    server.stop().await;
}

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_rung")
}

#[test]
fn startup_fails_fast_on_a_policy_that_does_not_check() {
    let dir = policy_dir("serve-broken", &SMALL.replace("severity)", "severty)"));
    let out = std::process::Command::new(binary())
        .args(["serve", "--addr", "127.0.0.1:0"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("rung::name::field"), "{stderr}");
    assert!(!stderr.contains("listening"), "{stderr}");
}

#[test]
fn sigterm_stops_the_binary_with_exit_0() {
    let mut child = std::process::Command::new(binary())
        .args(["serve", "policies/nato", "--addr", "127.0.0.1:0"])
        .current_dir(root())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let addr: SocketAddr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.trim().strip_suffix('/'))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .parse()
        .unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let health = runtime.block_on(request(addr, "GET", "/healthz", Vec::new()));
    assert_eq!(health.status, 200);
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    let mut rest = String::new();
    let _ = std::io::Read::read_to_string(&mut stderr, &mut rest);
    assert!(rest.contains("stopping"), "{rest}");
}
