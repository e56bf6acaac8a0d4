//! The analyst's console at `/`: one page, its style sheet and its script,
//! embedded in the binary so that the console works offline, needs no build
//! step and always matches the service that serves it.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The page.
pub const INDEX: &str = include_str!("assets/index.html");
/// Its style sheet.
pub const CSS: &str = include_str!("assets/console.css");
/// Its script (plain JavaScript, no framework).
pub const JS: &str = include_str!("assets/console.js");

/// `GET /`.
pub async fn index() -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], INDEX).into_response()
}

/// `GET /assets/console.css`.
pub async fn css() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CSS).into_response()
}

/// `GET /assets/console.js`.
pub async fn js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        JS,
    )
        .into_response()
}
