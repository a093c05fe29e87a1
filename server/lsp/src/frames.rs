//! A guard in front of the protocol reader. The transport stops reading at
//! the first frame whose body is not JSON; this task passes well-formed
//! frames through unchanged and turns a malformed one into a request for a
//! method that answers with a parse error, so one bad message costs an
//! error response, not the session.

use serde::Deserialize;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};

pub const MALFORMED_METHOD: &str = "comity/malformedFrame";

#[derive(Deserialize)]
pub struct Malformed {
    pub error: String,
}

/// Frames larger than this are refused (and skipped) rather than buffered.
const MAX_FRAME: usize = 256 * 1024 * 1024;

/// Whether the transport can read `v` as a request, notification or
/// response. Anything else (a method that is not a string, an id that is an
/// object, params that are a number …) would end the session there.
fn is_jsonrpc_shaped(v: &serde_json::Value) -> bool {
    use serde_json::Value;
    let Some(o) = v.as_object() else {
        return false;
    };
    if o.get("jsonrpc") != Some(&Value::String("2.0".into())) {
        return false;
    }
    let id_ok = match o.get("id") {
        None | Some(Value::Null) => true,
        Some(Value::String(_)) => true,
        Some(Value::Number(n)) => n.is_i64() || n.is_u64(),
        _ => false,
    };
    let params_ok = matches!(
        o.get("params"),
        None | Some(Value::Null) | Some(Value::Object(_)) | Some(Value::Array(_))
    );
    match o.get("method") {
        Some(Value::String(_)) => id_ok && params_ok,
        Some(_) => false,
        None => {
            id_ok && o.contains_key("id") && (o.contains_key("result") || o.contains_key("error"))
        }
    }
}

pub async fn sanitize(input: impl AsyncRead + Unpin, mut output: impl AsyncWrite + Unpin) {
    let mut reader = BufReader::new(input);
    let mut n = 0u64;
    loop {
        // Headers, up to the blank line.
        let mut length: Option<usize> = None;
        let mut saw_header = false;
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let trimmed = line.trim_end_matches(['\r', '\n']);
            if trimmed.is_empty() {
                if saw_header {
                    break;
                }
                continue;
            }
            saw_header = true;
            if let Some((name, value)) = trimmed.split_once(':')
                && name.trim().eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().ok();
            }
        }
        let Some(len) = length.filter(|l| *l <= MAX_FRAME) else {
            // No usable length: nothing to resynchronise on but the next header.
            continue;
        };
        let mut body = vec![0; len];
        if reader.read_exact(&mut body).await.is_err() {
            return;
        }
        let problem = match serde_json::from_slice::<serde_json::Value>(&body) {
            Ok(v) if is_jsonrpc_shaped(&v) => None,
            Ok(_) => Some("not a JSON-RPC message".to_string()),
            Err(e) => Some(format!("not JSON: {e}")),
        };
        if let Some(error) = problem {
            n += 1;
            body = serde_json::to_vec(&serde_json::json!({
                "jsonrpc": "2.0",
                "id": format!("comity-malformed-{n}"),
                "method": MALFORMED_METHOD,
                "params": { "error": error },
            }))
            .expect("a JSON value serialises");
        }
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        if output.write_all(header.as_bytes()).await.is_err()
            || output.write_all(&body).await.is_err()
        {
            return;
        }
        let _ = output.flush().await;
    }
}
