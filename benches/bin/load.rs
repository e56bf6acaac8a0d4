//! A load test for `rung serve`: N connections (keep-alive) send the same
//! facts to one endpoint until a request count or a time limit is reached,
//! then report requests/s and latency percentiles.
//!
//! Loopback only, and bounded in count and time: it is a measuring tool for
//! one's own service, not a way to load someone else's.
//!
//! ```text
//! cargo run --release --example gen_facts -- 10 > /tmp/10.json
//! target/release/rung serve policies/nato &
//! cargo run --release --example load -- --facts /tmp/10.json --connections 4 --requests 50000
//! ```
//!
//! `--pid PID` also samples the server's resident memory (Linux `/proc`)
//! before and after, and every 10% of the run.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![allow(missing_docs, reason = "a measuring tool, not part of the library")]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt as _, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;

/// The most requests one run sends, whatever is asked.
const MAX_REQUESTS: u64 = 1_000_000;
/// The longest one run lasts, whatever is asked.
const MAX_SECONDS: u64 = 600;

struct Options {
    addr: SocketAddr,
    path: String,
    facts: Vec<u8>,
    connections: usize,
    requests: u64,
    seconds: u64,
    pid: Option<u32>,
}

fn usage(message: &str) -> ! {
    eprintln!(
        "load: {message}\nusage: load --facts FILE [--addr 127.0.0.1:8181] [--path /v1/decide] \
         [--connections 4] [--requests 20000] [--seconds 30] [--pid PID]"
    );
    std::process::exit(2)
}

fn options() -> Options {
    let mut o = Options {
        addr: "127.0.0.1:8181".parse().unwrap(),
        path: "/v1/decide".to_string(),
        facts: Vec::new(),
        connections: 4,
        requests: 20_000,
        seconds: 30,
        pid: None,
    };
    let mut args = std::env::args().skip(1);
    let mut facts = None;
    while let Some(a) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| usage(&format!("{a} needs a value")))
        };
        match a.as_str() {
            "--addr" => o.addr = value().parse().unwrap_or_else(|_| usage("--addr: IP:PORT")),
            "--path" => o.path = value(),
            "--facts" => facts = Some(value()),
            "--connections" => {
                o.connections = value()
                    .parse()
                    .unwrap_or_else(|_| usage("--connections: a number"))
            }
            "--requests" => {
                o.requests = value()
                    .parse()
                    .unwrap_or_else(|_| usage("--requests: a number"))
            }
            "--seconds" => {
                o.seconds = value()
                    .parse()
                    .unwrap_or_else(|_| usage("--seconds: a number"))
            }
            "--pid" => o.pid = Some(value().parse().unwrap_or_else(|_| usage("--pid: a number"))),
            other => usage(&format!("unknown argument `{other}`")),
        }
    }
    if !o.addr.ip().is_loopback() {
        usage("only loopback addresses (127.0.0.0/8, [::1]) may be loaded");
    }
    let facts = facts.unwrap_or_else(|| usage("--facts FILE is required"));
    o.facts = std::fs::read(&facts).unwrap_or_else(|e| usage(&format!("{facts}: {e}")));
    o.connections = o.connections.clamp(1, 64);
    o.requests = o.requests.clamp(1, MAX_REQUESTS);
    o.seconds = o.seconds.clamp(1, MAX_SECONDS);
    o
}

/// The server's resident memory in KiB.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// One connection's loop: requests until the shared count or the deadline
/// runs out; each latency in microseconds.
async fn connection(
    o: Arc<Options>,
    body: Bytes,
    sent: Arc<AtomicU64>,
    failures: Arc<AtomicU64>,
    deadline: Instant,
) -> Vec<u32> {
    let stream = tokio::net::TcpStream::connect(o.addr)
        .await
        .unwrap_or_else(|e| usage(&format!("cannot connect to {}: {e}", o.addr)));
    stream.set_nodelay(true).unwrap();
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(conn);
    let mut latencies = Vec::new();
    let host = o.addr.to_string();
    while Instant::now() < deadline && sent.fetch_add(1, Ordering::Relaxed) < o.requests {
        let req = hyper::Request::post(o.path.as_str())
            .header("host", host.as_str())
            .header("content-type", "application/json")
            .body(Full::new(body.clone()))
            .unwrap();
        let start = Instant::now();
        let res = match sender.send_request(req).await {
            Ok(r) => r,
            Err(_) => {
                failures.fetch_add(1, Ordering::Relaxed);
                break;
            }
        };
        let ok = res.status().is_success();
        let _ = res.into_body().collect().await;
        latencies.push(u32::try_from(start.elapsed().as_micros()).unwrap_or(u32::MAX));
        if !ok {
            failures.fetch_add(1, Ordering::Relaxed);
        }
    }
    latencies
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    f64::from(sorted[i.min(sorted.len() - 1)]) / 1000.0
}

fn main() {
    let o = Arc::new(options());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let body = Bytes::from(o.facts.clone());
    let sent = Arc::new(AtomicU64::new(0));
    let failures = Arc::new(AtomicU64::new(0));
    let rss_before = o.pid.and_then(rss_kib);
    let start = Instant::now();
    let deadline = start + Duration::from_secs(o.seconds);
    let samples = Arc::new(std::sync::Mutex::new(Vec::new()));
    let latencies: Vec<u32> = runtime.block_on(async {
        let sampler = o.pid.map(|pid| {
            let samples = Arc::clone(&samples);
            let sent = Arc::clone(&sent);
            let every = (o.requests / 10).max(1);
            let total = o.requests;
            tokio::spawn(async move {
                let mut next = every;
                while next <= total && Instant::now() < deadline {
                    if sent.load(Ordering::Relaxed) >= next {
                        if let Some(kib) = rss_kib(pid) {
                            samples.lock().unwrap().push((next, kib));
                        }
                        next += every;
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            })
        });
        let tasks: Vec<_> = (0..o.connections)
            .map(|_| {
                tokio::spawn(connection(
                    Arc::clone(&o),
                    body.clone(),
                    Arc::clone(&sent),
                    Arc::clone(&failures),
                    deadline,
                ))
            })
            .collect();
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await.unwrap());
        }
        if let Some(s) = sampler {
            s.abort();
        }
        all
    });
    let elapsed = start.elapsed().as_secs_f64();
    let mut sorted = latencies;
    sorted.sort_unstable();
    let n = sorted.len();
    println!(
        "{n} requests to {}{} over {} connections in {elapsed:.2} s: {:.0} requests/s, {} failed",
        o.addr,
        o.path,
        o.connections,
        n as f64 / elapsed,
        failures.load(Ordering::Relaxed)
    );
    println!(
        "latency ms: p50 {:.3}  p90 {:.3}  p99 {:.3}  max {:.3}",
        percentile(&sorted, 0.50),
        percentile(&sorted, 0.90),
        percentile(&sorted, 0.99),
        percentile(&sorted, 1.0)
    );
    if let Some(pid) = o.pid {
        let after = rss_kib(pid);
        let line: Vec<String> = samples
            .lock()
            .unwrap()
            .iter()
            .map(|(at, kib)| format!("{at}: {} MiB", kib / 1024))
            .collect();
        println!(
            "server memory (RSS): before {} MiB, after {} MiB; during: {}",
            rss_before.map_or(0, |k| k / 1024),
            after.map_or(0, |k| k / 1024),
            line.join(", ")
        );
    }
}
