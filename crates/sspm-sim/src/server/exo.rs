//! `POST /adminapi/beta/{tenant}/InvokeCommand`: the Exchange Online admin API
//! that the ExchangeOnlineManagement v3 module (and ScubaGear, CIPP…) call with
//! `{"CmdletInput": {"CmdletName": "Get-…", "Parameters": {…}}}` and a token for
//! `https://outlook.office365.com/.default`.
//!
//! The answer is `{"@odata.context", "@odata.nextLink"?, "value": [...]}` with the
//! objects of [`M365Tenant::exo_cmdlet`](crate::M365Tenant::exo_cmdlet). Pages hold
//! at most `Prefer: odata.maxpagesize=N` objects (default 1000); the next page is
//! the same POST to `@odata.nextLink` (this URL with a `$skiptoken`). Of the
//! `Parameters`, only `Identity` is applied (objects whose `Identity`, `Name` or
//! `Domain` equals it; none is a `ManagementObjectNotFoundException`); the others
//! are accepted and ignored. An unknown cmdlet is `400` with the error body the
//! module receives for a failed command.

use hyper::header::{HeaderValue, WWW_AUTHENTICATE};
use hyper::{Method, StatusCode};
use serde_json::{Map, Value};

use super::response::{bytes_response, exo_error, Resp};
use super::token::{Audience, AuthError};
use super::State;

/// Objects per page unless the request asks for fewer with `Prefer: odata.maxpagesize`.
pub const DEFAULT_PAGE_SIZE: usize = 1000;

fn skiptoken(cmdlet: &str, offset: usize) -> String {
    crate::rng::base64url(format!("exo1|{}|{offset}", cmdlet.to_ascii_lowercase()).as_bytes())
}

fn parse_skiptoken(cmdlet: &str, token: &str) -> Option<usize> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let mut parts = text.split('|');
    (parts.next()? == "exo1" && parts.next()? == cmdlet.to_ascii_lowercase())
        .then(|| parts.next()?.parse().ok())
        .flatten()
}

/// `N` of a `Prefer: odata.maxpagesize=N` header.
fn max_page_size(prefer: Option<&str>) -> Option<usize> {
    prefer?.split(',').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("odata.maxpagesize")
            .then(|| v.trim().parse().ok())
            .flatten()
            .filter(|n| *n > 0)
    })
}

fn bad_request(message: &str, exception_type: &str, exception_message: &str) -> Resp {
    exo_error(
        StatusCode::BAD_REQUEST,
        "BadRequest",
        message,
        exception_type,
        exception_message,
    )
}

/// The request headers `handle` reads.
pub(crate) struct ExoHeaders<'a> {
    pub(crate) authorization: Option<&'a str>,
    pub(crate) prefer: Option<&'a str>,
}

/// Answer an `InvokeCommand` request.
pub(crate) fn handle(
    state: &State,
    tenant_segment: &str,
    method: &Method,
    query: &str,
    headers: ExoHeaders<'_>,
    body: &[u8],
) -> Resp {
    if let Err(e) = state
        .tokens
        .check(headers.authorization, Audience::Exchange)
    {
        let description = match e {
            AuthError::Missing => "The access token is missing.",
            AuthError::Unknown => "The access token is invalid.",
            AuthError::WrongAudience => "The audience claim value is invalid for this resource.",
            AuthError::Expired => "The token has expired.",
        };
        let mut resp = exo_error(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            description,
            "Microsoft.Exchange.Security.OAuth.InvalidOAuthTokenException",
            description,
        );
        resp.headers_mut().insert(
            WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer error=\"invalid_token\""),
        );
        return resp;
    }
    if method != Method::POST {
        return exo_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            "InvokeCommand only accepts POST.",
            "Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
            "InvokeCommand only accepts POST.",
        );
    }
    if !state.is_tenant(tenant_segment) {
        return exo_error(
            StatusCode::NOT_FOUND,
            "NotFound",
            &format!("Tenant '{tenant_segment}' was not found."),
            "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException",
            &format!("The organization '{tenant_segment}' couldn't be found."),
        );
    }
    let input: Option<(String, Map<String, Value>)> =
        serde_json::from_slice::<Value>(body).ok().and_then(|v| {
            let input = v.get("CmdletInput")?;
            let name = input.get("CmdletName")?.as_str()?.to_string();
            let params = match input.get("Parameters") {
                Some(Value::Object(p)) => p.clone(),
                _ => Map::new(),
            };
            Some((name, params))
        });
    let Some((cmdlet, params)) = input else {
        return bad_request(
            "Invalid Operation",
            "System.ArgumentException",
            "The request body must be {\"CmdletInput\": {\"CmdletName\": \"...\", \"Parameters\": {...}}}.",
        );
    };
    state
        .stats
        .update(|s| *s.per_cmdlet.entry(cmdlet.clone()).or_default() += 1);
    let Some(mut objects) = state.tenant.exo_cmdlet(&cmdlet) else {
        return bad_request(
            "Invalid Operation",
            "System.Management.Automation.CommandNotFoundException",
            &format!("The term '{cmdlet}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again."),
        );
    };
    if let Some(identity) = params.get("Identity").and_then(Value::as_str) {
        objects.retain(|o| {
            ["Identity", "Name", "Domain"].iter().any(|k| {
                o.get(*k)
                    .and_then(Value::as_str)
                    .is_some_and(|v| v.eq_ignore_ascii_case(identity))
            })
        });
        if objects.is_empty() {
            return exo_error(
                StatusCode::NOT_FOUND,
                "NotFound",
                "Error executing cmdlet",
                "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException",
                &format!("Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't be performed because object '{identity}' couldn't be found on 'SIM01A001DC001.SIM01A001.PROD.OUTLOOK.COM'."),
            );
        }
    }
    let mut offset = 0;
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        if key.eq_ignore_ascii_case("$skiptoken") {
            match parse_skiptoken(&cmdlet, &value) {
                Some(o) => offset = o,
                None => {
                    return bad_request(
                        "Invalid Operation",
                        "Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
                        "The skip token is not valid for this command.",
                    )
                }
            }
        }
    }
    let page = max_page_size(headers.prefer).unwrap_or(DEFAULT_PAGE_SIZE);
    let len = objects.len();
    let start = offset.min(len);
    let end = start.saturating_add(page).min(len);
    let invoke = format!(
        "{}/adminapi/beta/{tenant_segment}/InvokeCommand",
        state.base_url
    );
    let mut out = Map::new();
    out.insert(
        "@odata.context".into(),
        Value::String(format!(
            "{}/adminapi/beta/{tenant_segment}/$metadata#Collection(Exchange.GenericHashTable)",
            state.base_url
        )),
    );
    if end < len {
        out.insert(
            "@odata.nextLink".into(),
            Value::String(format!("{invoke}?$skiptoken={}", skiptoken(&cmdlet, end))),
        );
    }
    let value: Vec<Value> = objects.drain(start..end).collect();
    out.insert("value".into(), Value::Array(value));
    bytes_response(
        StatusCode::OK,
        serde_json::to_vec(&Value::Object(out)).unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefer_header_sets_the_page_size() {
        assert_eq!(max_page_size(Some("odata.maxpagesize=2")), Some(2));
        assert_eq!(
            max_page_size(Some("return=minimal, odata.maxpagesize=1000")),
            Some(1000)
        );
        assert_eq!(max_page_size(Some("odata.maxpagesize=0")), None);
        assert_eq!(max_page_size(None), None);
    }

    #[test]
    fn skiptokens_belong_to_one_cmdlet() {
        let t = skiptoken("Get-DkimSigningConfig", 2);
        assert_eq!(parse_skiptoken("get-dkimsigningconfig", &t), Some(2));
        assert_eq!(parse_skiptoken("Get-RemoteDomain", &t), None);
    }
}
