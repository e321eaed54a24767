//! `POST /{tenant}/oauth2/v2.0/token`: the Microsoft identity platform's OAuth 2.0
//! client credentials grant, with a client secret or a certificate assertion.
//!
//! A client assertion is checked for its shape only: three base64url parts; a
//! header with `alg` `RS256` or `PS256` and a certificate thumbprint (`x5t` or
//! `x5t#S256`); claims `aud` (the token endpoint), `iss` and `sub` (both the client
//! id) and an `exp` in the future (`nbf`, when present, not in the future). **The
//! signature is not verified**: the simulator has no certificate to verify it with.
//!
//! Error bodies follow the platform's (`error`, `error_description` starting with
//! an `AADSTS` code); the codes used are those the platform documents for the case.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hyper::{Method, StatusCode};
use serde_json::{json, Value};

use super::response::{aad_error, json, now, Resp};
use super::State;
use crate::rng::{base64url, Rng};

/// The scope of Microsoft Graph tokens.
pub const GRAPH_SCOPE: &str = "https://graph.microsoft.com/.default";
/// The scope of Exchange Online admin API tokens.
pub const EXCHANGE_SCOPE: &str = "https://outlook.office365.com/.default";
/// `client_assertion_type` of a JWT client assertion.
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// Lifetime of issued tokens, in seconds (`expires_in`), unless
/// [`super::SimOptions::token_lifetime`] says otherwise.
pub const EXPIRES_IN: u64 = 3599;

/// Which API an access token was issued for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Audience {
    /// `https://graph.microsoft.com`.
    Graph,
    /// `https://outlook.office365.com`.
    Exchange,
}

impl Audience {
    fn resource(self) -> &'static str {
        match self {
            Audience::Graph => "https://graph.microsoft.com",
            Audience::Exchange => "https://outlook.office365.com",
        }
    }
}

/// Why a bearer token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthError {
    /// No `Authorization: Bearer …` header.
    Missing,
    /// A token this server never issued.
    Unknown,
    /// A token of the other API.
    WrongAudience,
    /// A token past its lifetime.
    Expired,
}

/// The tokens issued so far, valid for [`super::SimOptions::token_lifetime`].
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    issued: Mutex<HashMap<String, (Audience, Instant)>>,
    next: AtomicU64,
}

impl Tokens {
    /// Check the `Authorization` header of an API request.
    pub(crate) fn check(
        &self,
        authorization: Option<&str>,
        want: Audience,
    ) -> Result<(), AuthError> {
        let token = authorization
            .and_then(|h| {
                let (scheme, token) = h.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
            })
            .filter(|t| !t.is_empty())
            .ok_or(AuthError::Missing)?;
        match self
            .issued
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(token)
        {
            None => Err(AuthError::Unknown),
            Some((a, _)) if *a != want => Err(AuthError::WrongAudience),
            Some((_, expires)) if Instant::now() >= *expires => Err(AuthError::Expired),
            Some(_) => Ok(()),
        }
    }

    fn issue(&self, state: &State, audience: Audience) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let mut rng = Rng::stream(state.options.seed ^ n.rotate_left(32), "sim-access-token");
        let iat = now();
        let header = json!({ "typ": "JWT", "alg": "RS256", "x5t": "c3NwbS1zaW0" });
        let claims = json!({
            "aud": audience.resource(),
            "iss": format!("https://sts.windows.net/{}/", state.tenant.tenant_id),
            "iat": iat,
            "nbf": iat,
            "exp": iat + state.options.token_lifetime.as_secs() as i64,
            "appid": state.options.client_id,
            "idtyp": "app",
            "tid": state.tenant.tenant_id,
            "uti": format!("{}{n}", rng.token(16)),
            "ver": "1.0",
        });
        let token = format!(
            "{}.{}.{}",
            base64url(header.to_string().as_bytes()),
            base64url(claims.to_string().as_bytes()),
            rng.token(342),
        );
        self.issued
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(
                token.clone(),
                (audience, Instant::now() + state.options.token_lifetime),
            );
        token
    }
}

fn missing(name: &str) -> Resp {
    aad_error(
        StatusCode::BAD_REQUEST,
        "invalid_request",
        900144,
        &format!("The request body must contain the following parameter: '{name}'."),
    )
}

/// Answer a token request to `/{tenant_segment}/oauth2/v2.0/token`.
pub(crate) fn handle(state: &State, tenant_segment: &str, method: &Method, body: &[u8]) -> Resp {
    let resp = respond(state, tenant_segment, method, body);
    let ok = resp.status().is_success();
    state.stats.update(|s| {
        if ok {
            s.tokens_issued += 1;
        } else {
            s.token_rejections += 1;
        }
    });
    resp
}

fn respond(state: &State, tenant_segment: &str, method: &Method, body: &[u8]) -> Resp {
    if method != Method::POST {
        return aad_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "invalid_request",
            900561,
            "The endpoint only accepts POST requests. Received a GET request.",
        );
    }
    if !state.is_tenant(tenant_segment) {
        return aad_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            90002,
            &format!("Tenant '{tenant_segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."),
        );
    }
    let form: HashMap<String, String> = form_urlencoded::parse(body).into_owned().collect();
    let get = |k: &str| form.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let Some(grant_type) = get("grant_type") else {
        return missing("grant_type");
    };
    if grant_type != "client_credentials" {
        return aad_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            70003,
            &format!("The app requested an unsupported grant type '{grant_type}'."),
        );
    }
    let Some(client_id) = get("client_id") else {
        return missing("client_id");
    };
    let Some(scope) = get("scope") else {
        return missing("scope");
    };
    let audience = match scope {
        GRAPH_SCOPE => Audience::Graph,
        EXCHANGE_SCOPE => Audience::Exchange,
        s if s.ends_with("/.default") => {
            return aad_error(
                StatusCode::BAD_REQUEST,
                "invalid_resource",
                500011,
                &format!("The resource principal named {} was not found in the tenant named {}.", s.trim_end_matches("/.default"), state.tenant.tenant_domain),
            )
        }
        s => {
            return aad_error(
                StatusCode::BAD_REQUEST,
                "invalid_scope",
                1002012,
                &format!("The provided value for scope {s} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."),
            )
        }
    };
    if client_id != state.options.client_id {
        return aad_error(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            700016,
            &format!("Application with identifier '{client_id}' was not found in the directory '{}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.", state.tenant.tenant_domain),
        );
    }
    if let Some(secret) = get("client_secret") {
        if secret != state.options.client_secret {
            return aad_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                7000215,
                &format!("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client_id}'."),
            );
        }
    } else if get("client_assertion_type") == Some(JWT_BEARER) {
        let Some(assertion) = get("client_assertion") else {
            return missing("client_assertion");
        };
        if let Err((code, message)) = check_assertion(assertion, client_id, now()) {
            return aad_error(StatusCode::UNAUTHORIZED, "invalid_client", code, &message);
        }
    } else {
        return aad_error(
            StatusCode::BAD_REQUEST,
            "invalid_client",
            7000216,
            "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
        );
    }
    let token = state.tokens.issue(state, audience);
    json(
        StatusCode::OK,
        &json!({
            "token_type": "Bearer",
            "expires_in": state.options.token_lifetime.as_secs(),
            "ext_expires_in": state.options.token_lifetime.as_secs(),
            "access_token": token,
        }),
    )
}

fn decode_part(part: &str) -> Option<Value> {
    let bytes = URL_SAFE_NO_PAD.decode(part.trim_end_matches('=')).ok()?;
    serde_json::from_slice::<Value>(&bytes)
        .ok()
        .filter(Value::is_object)
}

/// Check a client assertion's shape and claims (not its signature: see the module
/// documentation). `Err` holds the AADSTS code and message.
pub(crate) fn check_assertion(
    assertion: &str,
    client_id: &str,
    now: i64,
) -> Result<(), (u32, String)> {
    let malformed = |what: &str| (50027, format!("JWT token is invalid or malformed: {what}."));
    let parts: Vec<&str> = assertion.split('.').collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
        return Err(malformed("expected three base64url parts"));
    }
    let header =
        decode_part(parts[0]).ok_or_else(|| malformed("the header is not base64url JSON"))?;
    let claims =
        decode_part(parts[1]).ok_or_else(|| malformed("the payload is not base64url JSON"))?;
    if URL_SAFE_NO_PAD
        .decode(parts[2].trim_end_matches('='))
        .is_err()
    {
        return Err(malformed("the signature is not base64url"));
    }
    let alg = header.get("alg").and_then(Value::as_str).unwrap_or("");
    if alg != "RS256" && alg != "PS256" {
        return Err((
            700027,
            format!("Client assertion failed signature validation: unsupported algorithm '{alg}' (RS256 or PS256 expected)."),
        ));
    }
    let thumbprint = ["x5t#S256", "x5t"]
        .iter()
        .find_map(|k| header.get(*k).and_then(Value::as_str))
        .filter(|t| !t.is_empty());
    if thumbprint.is_none() {
        return Err((
            700027,
            "Client assertion failed signature validation: the header names no certificate (x5t#S256 or x5t).".to_string(),
        ));
    }
    let claim = |k: &str| claims.get(k).and_then(Value::as_str).unwrap_or("");
    let aud = claim("aud");
    if !(aud.ends_with("/oauth2/v2.0/token") || aud.ends_with("/oauth2/token")) {
        return Err(malformed(&format!(
            "the aud claim '{aud}' is not a token endpoint"
        )));
    }
    if claim("iss") != client_id || claim("sub") != client_id {
        return Err((
            700021,
            "Client assertion application identifier doesn't match 'client_id' parameter."
                .to_string(),
        ));
    }
    let Some(exp) = claims.get("exp").and_then(Value::as_i64) else {
        return Err(malformed("the payload has no numeric exp"));
    };
    let nbf = claims
        .get("nbf")
        .and_then(Value::as_i64)
        .unwrap_or(i64::MIN);
    if exp <= now || nbf > now + 300 {
        return Err((
            700024,
            format!("Client assertion is not within its valid time range. Current time: {now}, assertion valid from {nbf}, expiry time of assertion {exp}."),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(v: Value) -> String {
        base64url(v.to_string().as_bytes())
    }

    fn assertion(header: Value, claims: Value) -> String {
        format!(
            "{}.{}.{}",
            part(header),
            part(claims),
            base64url(b"not-a-signature")
        )
    }

    fn claims(exp: i64) -> Value {
        json!({ "aud": "http://127.0.0.1:1/t/oauth2/v2.0/token", "iss": "app", "sub": "app", "exp": exp, "jti": "1" })
    }

    #[test]
    fn well_formed_assertions_pass() {
        let ok = assertion(
            json!({ "alg": "RS256", "typ": "JWT", "x5t": "abc" }),
            claims(2_000),
        );
        assert_eq!(check_assertion(&ok, "app", 1_000), Ok(()));
        let ps = assertion(json!({ "alg": "PS256", "x5t#S256": "abc" }), claims(2_000));
        assert_eq!(check_assertion(&ps, "app", 1_000), Ok(()));
    }

    #[test]
    fn each_broken_part_is_refused_with_its_code() {
        let code = |a: &str| check_assertion(a, "app", 1_000).unwrap_err().0;
        assert_eq!(code("a.b"), 50027);
        assert_eq!(code("!!.??.x"), 50027);
        let h = json!({ "alg": "RS256", "x5t": "abc" });
        assert_eq!(
            code(&assertion(
                json!({ "alg": "HS256", "x5t": "abc" }),
                claims(2_000)
            )),
            700027
        );
        assert_eq!(
            code(&assertion(json!({ "alg": "RS256" }), claims(2_000))),
            700027
        );
        assert_eq!(code(&assertion(h.clone(), claims(999))), 700024);
        let mut other = claims(2_000);
        other["sub"] = json!("someone-else");
        assert_eq!(code(&assertion(h.clone(), other)), 700021);
        let mut aud = claims(2_000);
        aud["aud"] = json!("https://graph.microsoft.com");
        assert_eq!(code(&assertion(h, aud)), 50027);
    }
}
