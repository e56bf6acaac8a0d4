//! `rung lsp` over its real transport: the built binary, spoken to in the
//! protocol's wire format (`Content-Length` headers and JSON bodies).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

fn frame(v: &Value) -> Vec<u8> {
    let body = v.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

fn read(out: &mut impl BufRead) -> Value {
    let mut len = 0;
    loop {
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            len = n.parse().unwrap();
        }
    }
    let mut body = vec![0; len];
    out.read_exact(&mut body).unwrap();
    serde_json::from_slice(&body).unwrap()
}

#[test]
fn the_binary_speaks_the_wire_format() {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/nato/window.rung");
    let uri = lsp_types::Url::from_file_path(&file).unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rung"))
        .args(["lsp", "--stdio"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let mut output = BufReader::new(child.stdout.take().unwrap());
    let messages = [
        json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "capabilities": {} } }),
        json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }),
        json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": { "textDocument": { "uri": uri, "languageId": "rung", "version": 1, "text": text } } }),
        json!({ "jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": { "textDocument": { "uri": uri }, "position": { "line": 3, "character": 15 } } }),
        json!({ "jsonrpc": "2.0", "id": 3, "method": "shutdown" }),
        json!({ "jsonrpc": "2.0", "method": "exit" }),
    ];
    for m in &messages {
        input.write_all(&frame(m)).unwrap();
    }
    input.flush().unwrap();
    let mut seen = Vec::new();
    while seen.iter().all(|m: &Value| m["id"] != json!(3)) {
        seen.push(read(&mut output));
    }
    let init = seen.iter().find(|m| m["id"] == json!(1)).unwrap();
    assert_eq!(init["result"]["capabilities"]["hoverProvider"], json!(true));
    let published = seen
        .iter()
        .find(|m| m["method"] == json!("textDocument/publishDiagnostics"))
        .unwrap();
    assert!(published["params"]["diagnostics"].is_array());
    let hover = seen.iter().find(|m| m["id"] == json!(2)).unwrap();
    let shown = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("facts") && shown.contains("incidents"),
        "{shown}"
    );
    drop(input);
    let status = child.wait().unwrap();
    assert!(status.success());
}
