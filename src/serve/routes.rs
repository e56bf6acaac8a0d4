//! The router: which handler answers which method and path, and what every
//! request goes through (a request id, metrics, the body limit).

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Extension, Path, Query, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::answer;
use super::console;
use super::describe;
use super::error::{Failure, ServeError};
use super::log::{Entry, now_rfc3339};
use super::state::Service;

/// Every route, with the methods it answers (for 405's `Allow`).
const ROUTES: [(&str, &str); 10] = [
    ("/", "GET"),
    ("/assets/console.css", "GET"),
    ("/assets/console.js", "GET"),
    ("/v1/decide", "POST"),
    ("/v1/replay", "POST"),
    ("/v1/tables", "POST"),
    ("/v1/policy", "GET"),
    ("/v1/examples", "GET"),
    ("/healthz", "GET"),
    ("/metrics", "GET"),
];

/// The router of a service.
pub fn router(service: Arc<Service>) -> Router {
    let max_body = service.config.max_body;
    Router::new()
        .route("/", get(console::index))
        .route("/assets/console.css", get(console::css))
        .route("/assets/console.js", get(console::js))
        .route("/v1/decide", post(decide))
        .route("/v1/replay", post(replay))
        .route("/v1/tables", post(tables))
        .route("/v1/policy", get(policy))
        .route("/v1/examples/{name}", get(example))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn_with_state(Arc::clone(&service), track))
        .with_state(service)
}

/// The id of a request: the client's `x-request-id` when it sent a usable
/// one (so a platform can follow a request through its services), else
/// one made here.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The label of a path in the metrics: its route, or `other`, so that
/// scanning for random paths cannot grow the metrics without bound.
fn endpoint(path: &str) -> &'static str {
    if path.starts_with("/v1/examples/") {
        return "/v1/examples";
    }
    ROUTES
        .iter()
        .find(|(p, _)| *p == path)
        .map_or("other", |(p, _)| p)
}

/// A request id made here: the process's start and a counter, unique
/// within a service and, in practice, across its replicas.
fn new_request_id() -> String {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};
    static START: OnceLock<u64> = OnceLock::new();
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let start = START.get_or_init(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
            ^ u64::from(std::process::id()) << 32
    });
    format!("{start:016x}-{:08x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Gives the request an id, times it and counts it.
async fn track(State(service): State<Arc<Service>>, mut request: Request, next: Next) -> Response {
    let start = Instant::now();
    let label = endpoint(request.uri().path());
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic()))
        .map_or_else(new_request_id, str::to_string);
    request.extensions_mut().insert(RequestId(id.clone()));
    let mut response = next.run(request).await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", v);
    }
    service
        .metrics
        .request(label, response.status().as_u16(), start.elapsed());
    response
}

/// The body, or 413 when it is over the limit.
fn body(service: &Service, body: Result<Bytes, BytesRejection>) -> Result<Bytes, Failure> {
    body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Failure::one(
                StatusCode::PAYLOAD_TOO_LARGE,
                ServeError::TooLarge {
                    limit: service.config.max_body,
                },
            )
        } else {
            Failure::one(
                StatusCode::BAD_REQUEST,
                ServeError::Query {
                    message: rejection.body_text(),
                },
            )
        }
    })
}

/// The query, or 400.
fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, Failure> {
    q.map(|Query(q)| q).map_err(|e| {
        Failure::one(
            StatusCode::BAD_REQUEST,
            ServeError::Query {
                message: e.body_text(),
            },
        )
    })
}

/// `application/json` text.
fn json(text: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], text).into_response()
}

/// The query of `/v1/decide`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DecideQuery {
    /// Add every rule's explanation (`rung eval --explain`).
    #[serde(default)]
    explain: bool,
}

/// `POST /v1/decide`: facts in, the decision of `rung eval --format json` out.
async fn decide(
    State(service): State<Arc<Service>>,
    Extension(RequestId(id)): Extension<RequestId>,
    q: Result<Query<DecideQuery>, QueryRejection>,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Response, Failure> {
    let explain = query(q)?.explain;
    let bytes = body(&service, bytes)?;
    let policy = service.policy();
    let kept = Arc::clone(&policy);
    let decided = service
        .limits
        .run(move || answer::decide(&kept, &bytes, explain))
        .await?;
    service.metrics.decisions(&decided.summaries);
    if let Some(log) = &service.log {
        log.write(&Entry {
            time: now_rfc3339(),
            request_id: &id,
            policy_digest: policy.digest.as_str(),
            facts_sha256: &decided.facts_sha256,
            decisions: &decided.summaries,
        });
    }
    Ok(json(decided.body))
}

/// The query of `/v1/replay`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplayQuery {
    /// The first day (YYYY-MM-DD).
    from: Option<String>,
    /// The last day (YYYY-MM-DD).
    to: Option<String>,
}

/// `POST /v1/replay`: facts in, the replay of `rung replay --format json` out.
async fn replay(
    State(service): State<Arc<Service>>,
    q: Result<Query<ReplayQuery>, QueryRejection>,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Response, Failure> {
    let q = query(q)?;
    let bytes = body(&service, bytes)?;
    let policy = service.policy();
    let text = service
        .limits
        .run(move || answer::replay(&policy, &bytes, q.from.as_deref(), q.to.as_deref()))
        .await?;
    Ok(json(text))
}

/// `POST /v1/tables`: tables and the other facts in, one facts document out.
async fn tables(
    State(service): State<Arc<Service>>,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Response, Failure> {
    let bytes = body(&service, bytes)?;
    let policy = service.policy();
    let text = service
        .limits
        .run(move || answer::tables(&policy, &bytes))
        .await?;
    Ok(json(text))
}

/// `GET /v1/policy`: what the policy in force decides and why, for tools
/// and the console.
async fn policy(State(service): State<Arc<Service>>) -> Response {
    json(describe::policy(&service))
}

/// `GET /v1/examples/{name}`: an example facts document of the policy.
async fn example(
    State(service): State<Arc<Service>>,
    Path(name): Path<String>,
    uri: Uri,
) -> Result<Response, Failure> {
    describe::example(&service, &name).map(json).ok_or_else(|| {
        Failure::one(
            StatusCode::NOT_FOUND,
            ServeError::NotFound {
                path: uri.path().to_string(),
            },
        )
    })
}

/// `GET /healthz`: the service is up and has a policy.
async fn healthz(State(service): State<Arc<Service>>) -> Response {
    let doc = serde_json::json!({
        "status": "ok",
        "policy_digest": service.policy().digest.as_str(),
    });
    json(format!("{doc}\n"))
}

/// `GET /metrics`: the Prometheus text page.
async fn metrics(State(service): State<Arc<Service>>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        service.metrics.render(service.limits.in_flight()),
    )
        .into_response()
}

/// 404, as a coded report.
async fn not_found(uri: Uri) -> Failure {
    Failure::one(
        StatusCode::NOT_FOUND,
        ServeError::NotFound {
            path: uri.path().to_string(),
        },
    )
}

/// 405, as a coded report, with `Allow`.
async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    let path = uri.path();
    let allowed = if path.starts_with("/v1/examples/") {
        "GET"
    } else {
        ROUTES
            .iter()
            .find(|(p, _)| *p == path)
            .map_or("GET", |(_, m)| m)
    };
    let mut response = Failure::one(
        StatusCode::METHOD_NOT_ALLOWED,
        ServeError::Method {
            method: method.to_string(),
            path: path.to_string(),
            allowed: allowed.to_string(),
        },
    )
    .into_response();
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(allowed));
    response
}
