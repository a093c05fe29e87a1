//! A test client for `comity lsp` over stdio, shared by `tests/lsp.rs` and
//! `tests/soak.rs`.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

pub struct Client {
    pub child: Child,
    pub stdin: ChildStdin,
    pub rx: Receiver<Value>,
    pub next_id: i64,
    /// Messages received while waiting for something else.
    pub backlog: Vec<Value>,
    /// How long to wait for any one message.
    pub timeout: Duration,
    /// The diagnostics last published for each document, which a
    /// `comity/diagnosticsUnchanged` notice confirms for a later version.
    pub shown: std::collections::HashMap<String, Vec<Value>>,
    /// How many of each answer [`Client::diagnostics`] has seen.
    pub full_reports: usize,
    pub unchanged_reports: usize,
}

impl Client {
    pub fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_comity"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("comity lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut len = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse().unwrap();
                    }
                }
                let mut body = vec![0; len];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            rx,
            next_id: 1,
            backlog: Vec::new(),
            timeout: Duration::from_secs(20),
            shown: std::collections::HashMap::new(),
            full_reports: 0,
            unchanged_reports: 0,
        }
    }

    pub fn send(&mut self, msg: &Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).unwrap();
        self.stdin.flush().unwrap();
    }

    pub fn send_raw(&mut self, body: &str) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).unwrap();
        self.stdin.flush().unwrap();
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    pub fn recv(&mut self) -> Value {
        self.rx
            .recv_timeout(self.timeout)
            .unwrap_or_else(|_| panic!("the server answers within {:?}", self.timeout))
    }

    /// Sends a request and returns its response, answering the server's own
    /// requests (configuration, registration) on the way.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let msg = self.recv();
            if msg.get("id") == Some(&json!(id)) && msg.get("method").is_none() {
                return msg;
            }
            self.handle_server_request(&msg);
            self.remember(&msg);
            self.backlog.push(msg);
        }
    }

    pub fn handle_server_request(&mut self, msg: &Value) {
        if let (Some(id), Some(method)) = (msg.get("id"), msg.get("method").and_then(Value::as_str))
        {
            let result = match method {
                "workspace/configuration" => json!([{}]),
                _ => Value::Null,
            };
            self.send(&json!({ "jsonrpc": "2.0", "id": id, "result": result }));
        }
    }

    /// The diagnostics of `uri` (at `version`, if given): the next list
    /// published, or the list last published if the server says a later
    /// change left it as it was (the client asks for such notices).
    pub fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let matches = |m: &Value| {
            (m["method"] == "textDocument/publishDiagnostics"
                || m["method"] == "comity/diagnosticsUnchanged")
                && m["params"]["uri"] == uri
                && version.is_none_or(|v| m["params"]["version"] == v)
        };
        let msg = match self.backlog.iter().position(matches) {
            Some(pos) => self.backlog.remove(pos),
            None => loop {
                let msg = self.recv();
                self.handle_server_request(&msg);
                if matches(&msg) {
                    break msg;
                }
                self.remember(&msg);
            },
        };
        if msg["method"] == "comity/diagnosticsUnchanged" {
            self.unchanged_reports += 1;
            return self.shown.get(uri).cloned().unwrap_or_else(|| {
                panic!("an unchanged notice for {uri} follows a published list")
            });
        }
        self.full_reports += 1;
        self.remember(&msg);
        msg["params"]["diagnostics"].as_array().unwrap().clone()
    }

    /// Keeps a published list as what the editor would show.
    fn remember(&mut self, msg: &Value) {
        if msg["method"] == "textDocument/publishDiagnostics" {
            let uri = msg["params"]["uri"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let list = msg["params"]["diagnostics"].as_array().cloned();
            self.shown.insert(uri, list.unwrap_or_default());
        }
    }

    pub fn initialize(&mut self, capabilities: Value, folders: Value) -> Value {
        let r = self.request(
            "initialize",
            json!({
                "processId": null, "rootUri": null, "capabilities": capabilities,
                "workspaceFolders": folders,
                "initializationOptions": { "reportUnchangedDiagnostics": true },
            }),
        );
        self.notify("initialized", json!({}));
        r
    }

    pub fn shutdown(mut self) {
        let r = self.request("shutdown", Value::Null);
        assert!(r.get("error").is_none(), "{r}");
        self.notify("exit", Value::Null);
        let status = wait(&mut self.child);
        assert_eq!(
            status,
            Some(0),
            "the server exits cleanly after shutdown and exit"
        );
    }
}

pub fn wait(child: &mut Child) -> Option<i32> {
    for _ in 0..100 {
        if let Some(s) = child.try_wait().unwrap() {
            return s.code();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    None
}

pub fn utf16_position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    json!({ "line": line, "character": text[line_start..offset].encode_utf16().count() })
}

pub fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}
