//! Responses and the error bodies of each Microsoft API, as their documentation
//! and captured traffic show them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::{Response, StatusCode};
use serde_json::{json, Value};

use crate::rng::format_guid;
use crate::time;

/// Every response of the simulator.
pub(crate) type Resp = Response<Full<Bytes>>;

/// Unix seconds now.
pub(crate) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// A fresh request id (a GUID; unique within the process, not random).
pub(crate) fn request_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&0x5353_504d_5349_4d00_u64.to_be_bytes());
    b[8..].copy_from_slice(&n.to_be_bytes());
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    format_guid(&b)
}

/// A JSON response.
pub(crate) fn json(status: StatusCode, value: &Value) -> Resp {
    let body = serde_json::to_vec(value).unwrap_or_default();
    bytes_response(status, body)
}

/// A JSON response from already serialised bytes.
pub(crate) fn bytes_response(status: StatusCode, body: Vec<u8>) -> Resp {
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    resp
}

/// Microsoft Graph's error body:
/// `{"error": {"code", "message", "innerError": {"date", "request-id", "client-request-id"}}}`.
pub(crate) fn graph_error(status: StatusCode, code: &str, message: &str) -> Resp {
    let id = request_id();
    json(
        status,
        &json!({
            "error": {
                "code": code,
                "message": message,
                "innerError": {
                    "date": time::format(now()),
                    "request-id": id,
                    "client-request-id": id,
                },
            }
        }),
    )
}

/// The Microsoft identity platform's token error body (`error`, `error_description`
/// starting with the `AADSTS` code, `error_codes`, `timestamp`, `trace_id`,
/// `correlation_id`).
pub(crate) fn aad_error(status: StatusCode, error: &str, aadsts: u32, description: &str) -> Resp {
    let id = request_id();
    let timestamp = time::format(now()).replace('T', " ");
    json(
        status,
        &json!({
            "error": error,
            "error_description": format!("AADSTS{aadsts}: {description} Trace ID: {id} Correlation ID: {id} Timestamp: {timestamp}"),
            "error_codes": [aadsts],
            "timestamp": timestamp,
            "trace_id": id,
            "correlation_id": id,
        }),
    )
}

/// The Exchange Online admin API's error body, as the module's REST transport
/// receives it: `{"error": {"code", "message", "innererror": {"message", "type",
/// "stacktrace", "internalexception": {"message", "type"}}}}`.
pub(crate) fn exo_error(
    status: StatusCode,
    code: &str,
    message: &str,
    exception_type: &str,
    exception_message: &str,
) -> Resp {
    json(
        status,
        &json!({
            "error": {
                "code": code,
                "message": message,
                "innererror": {
                    "message": message,
                    "type": "Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
                    "stacktrace": "",
                    "internalexception": {
                        "message": exception_message,
                        "type": exception_type,
                        "stacktrace": "",
                    },
                },
            }
        }),
    )
}
