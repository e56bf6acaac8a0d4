//! A test client: drives `rung::lsp::serve` through an in-memory connection.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code
)]

use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::{Position, Url};
use serde_json::{Value, json};

/// A client connected to a server running on its own thread.
pub struct Client {
    pub conn: Connection,
    server: Option<JoinHandle<Result<(), String>>>,
    next: i32,
    /// Notifications received while waiting for something else.
    pub notifications: Vec<Notification>,
}

impl Client {
    pub fn start() -> Client {
        let (server, client) = Connection::memory();
        let handle = std::thread::spawn(move || {
            rung::lsp::serve(server, rung::lsp::diagnostics::ExplainDocs::new(None))
        });
        let mut c = Client {
            conn: client,
            server: Some(handle),
            next: 0,
            notifications: Vec::new(),
        };
        let caps = c.request("initialize", json!({ "capabilities": {} }));
        assert!(caps.get("capabilities").is_some(), "{caps}");
        c.notify("initialized", json!({}));
        c
    }

    pub fn notify(&self, method: &str, params: Value) {
        self.conn
            .sender
            .send(Message::Notification(Notification::new(
                method.into(),
                params,
            )))
            .unwrap();
    }

    /// Sends a request and returns its id, without waiting.
    pub fn send(&mut self, method: &str, params: Value) -> RequestId {
        self.next += 1;
        let id = RequestId::from(self.next);
        self.conn
            .sender
            .send(Message::Request(Request::new(
                id.clone(),
                method.into(),
                params,
            )))
            .unwrap();
        id
    }

    /// Waits for the response to `id`.
    pub fn response(&mut self, id: &RequestId) -> Response {
        loop {
            match self
                .conn
                .receiver
                .recv_timeout(Duration::from_secs(60))
                .expect("the server answers")
            {
                Message::Response(r) if r.id == *id => return r,
                Message::Notification(n) => self.notifications.push(n),
                _ => {}
            }
        }
    }

    /// A request's result (panics on an error response).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send(method, params);
        let r = self.response(&id);
        assert!(r.error.is_none(), "{method}: {:?}", r.error);
        r.result.unwrap_or(Value::Null)
    }

    /// Waits for the next diagnostics published for `uri`.
    pub fn diagnostics(&mut self, uri: &Url) -> Vec<Value> {
        let method = lsp_types::notification::PublishDiagnostics::METHOD;
        let matches = |n: &Notification| n.method == method && n.params["uri"] == json!(uri);
        if let Some(i) = self.notifications.iter().position(matches) {
            let n = self.notifications.remove(i);
            return n.params["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
        }
        loop {
            match self
                .conn
                .receiver
                .recv_timeout(Duration::from_secs(60))
                .expect("diagnostics are published")
            {
                Message::Notification(n) if matches(&n) => {
                    return n.params["diagnostics"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default();
                }
                Message::Notification(n) => self.notifications.push(n),
                _ => {}
            }
        }
    }

    pub fn open(&self, uri: &Url, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "rung", "version": 1, "text": text } }),
        );
    }

    pub fn change(&self, uri: &Url, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [ { "text": text } ] }),
        );
    }

    pub fn at(&mut self, method: &str, uri: &Url, pos: Position) -> Value {
        let context = if method == "textDocument/completion" {
            json!({ "triggerKind": 1 })
        } else {
            json!({ "includeDeclaration": true })
        };
        self.request(
            method,
            json!({ "textDocument": { "uri": uri }, "position": pos, "context": context }),
        )
    }

    pub fn shutdown(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let r = self.server.take().unwrap().join().unwrap();
        assert!(r.is_ok(), "{r:?}");
    }
}

/// The protocol position of the first `needle` in `text`, `plus` characters in.
pub fn pos(text: &str, needle: &str, plus: usize) -> Position {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` is in the text"))
        + plus;
    let before = &text[..at];
    let line = before.matches('\n').count() as u32;
    let col = before.rsplit('\n').next().unwrap().encode_utf16().count() as u32;
    Position::new(line, col)
}

/// A fresh directory holding `files`.
pub fn policy_dir(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rung-lsp-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (f, text) in files {
        std::fs::write(dir.join(f), text).unwrap();
    }
    dir
}

pub fn uri(path: &Path) -> Url {
    Url::from_file_path(path).unwrap()
}

/// The repository's NATO doctrine.
pub fn nato() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/nato")
}

/// Applies the edits of a `WorkspaceEdit`'s changes for `uri` to `text`.
pub fn apply(text: &str, edits: &[Value]) -> String {
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let r: lsp_types::Range = serde_json::from_value(e["range"].clone()).unwrap();
            (
                offset(text, r.start),
                offset(text, r.end),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (s, e, t) in edits {
        out.replace_range(s..e, &t);
    }
    out
}

fn offset(text: &str, p: Position) -> usize {
    let mut line_start = 0;
    for _ in 0..p.line {
        line_start += text[line_start..].find('\n').unwrap() + 1;
    }
    let mut units = 0;
    for (i, c) in text[line_start..].char_indices() {
        if units >= p.character as usize || c == '\n' {
            return line_start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}
