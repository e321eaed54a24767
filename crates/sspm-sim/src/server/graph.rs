//! Microsoft Graph v1.0: every [`Resource`] at its path, and the per-object lists of
//! [`crate::sub`] (`/groups/{id}/members`, `/applications/{id}/owners`,
//! `/servicePrincipals/{id}/owners`, `/servicePrincipals/{id}/appRoleAssignedTo`), paged
//! like Graph.
//!
//! Lists answer `{"@odata.context", "@odata.nextLink"?, "value": [...]}`. A page
//! holds `$top` items (1–999; anything else is Graph's `400
//! Request_UnsupportedQuery`) or [`super::SimOptions::page_size`] without `$top`.
//! `@odata.nextLink` is an absolute URL on this server: the request's own query
//! string with a `$skiptoken` (opaque; it names the endpoint and the offset) — a
//! client follows it verbatim. Items are rendered per page with
//! [`M365Tenant::item`], so paging 100,000 users never renders the whole list.
//!
//! `$select` (comma-separated, case-insensitive) keeps those properties of each item
//! (and of objects) plus `@odata.*` annotations; unknown names are left out rather
//! than refused. `$filter`, `$expand`, `$count`, `$orderby` and `$search` are
//! accepted and **not applied** (the whole list is returned); any other `$` option
//! is refused with `400`.

use hyper::{Method, StatusCode};
use serde_json::{Map, Value};

use super::response::{bytes_response, graph_error, Resp};
use super::token::{Audience, AuthError};
use super::State;
use crate::model::M365Tenant;
use crate::sub::{SubKind, SubList};
use crate::Resource;

/// Largest `$top` Graph accepts for directory lists.
pub const MAX_TOP: usize = 999;

/// Query options accepted and not applied.
pub const IGNORED_OPTIONS: &[&str] = &["$filter", "$expand", "$count", "$orderby", "$search"];

struct Query {
    top: Option<usize>,
    select: Option<Vec<String>>,
    offset: usize,
}

/// What a request path names: a tenant-wide endpoint or a per-object list.
#[derive(Debug, Clone, Copy)]
enum Target {
    Top(Resource),
    Sub(SubList),
}

impl Target {
    fn of(t: &M365Tenant, path: &str) -> Option<Target> {
        Resource::from_path(path)
            .map(Target::Top)
            .or_else(|| t.sub_list(path).map(Target::Sub))
    }

    fn path(self, t: &M365Tenant) -> String {
        match self {
            Target::Top(r) => r.path().to_string(),
            Target::Sub(s) => t.sub_path(s),
        }
    }

    fn len(self, t: &M365Tenant) -> Option<usize> {
        match self {
            Target::Top(r) => t.len(r),
            Target::Sub(s) => Some(t.sub_len(s)),
        }
    }
}

/// The `$skiptoken` of the page starting at `offset` of the list at `path`.
fn skiptoken(path: &str, offset: usize) -> String {
    crate::rng::base64url(format!("sim1|{path}|{offset}").as_bytes())
}

fn parse_skiptoken(path: &str, token: &str) -> Option<usize> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let mut parts = text.split('|');
    (parts.next()? == "sim1" && parts.next()? == path)
        .then(|| parts.next()?.parse().ok())
        .flatten()
}

fn bad_request(code: &str, message: &str) -> Box<Resp> {
    Box::new(graph_error(StatusCode::BAD_REQUEST, code, message))
}

fn parse_query(path: &str, query: &str) -> Result<Query, Box<Resp>> {
    let mut q = Query {
        top: None,
        select: None,
        offset: 0,
    };
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let key = key.to_ascii_lowercase();
        match key.as_str() {
            "$top" => match value.trim().parse::<usize>() {
                Ok(n) if (1..=MAX_TOP).contains(&n) => q.top = Some(n),
                _ => {
                    return Err(bad_request(
                        "Request_UnsupportedQuery",
                        &format!("Invalid page size specified: '{value}'. Must be between 1 and {MAX_TOP} inclusive."),
                    ))
                }
            },
            "$select" => {
                q.select = Some(
                    value
                        .split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect(),
                )
            }
            "$skiptoken" => {
                q.offset = parse_skiptoken(path, &value).ok_or_else(|| {
                    bad_request(
                        "Directory_ExpiredPageToken",
                        "The specified page token value has expired and can no longer be included in your request.",
                    )
                })?
            }
            k if IGNORED_OPTIONS.contains(&k) => {}
            k if k.starts_with('$') => {
                return Err(bad_request(
                    "BadRequest",
                    &format!("Unrecognized query argument specified: '{key}'."),
                ))
            }
            _ => {}
        }
    }
    Ok(q)
}

/// `item` with only the `select`ed properties (and `@odata.*` annotations).
pub(crate) fn project(item: Value, select: Option<&[String]>) -> Value {
    match (item, select) {
        (Value::Object(map), Some(select)) => Value::Object(
            map.into_iter()
                .filter(|(k, _)| {
                    k.starts_with("@odata.") || select.iter().any(|s| s.eq_ignore_ascii_case(k))
                })
                .collect(),
        ),
        (item, _) => item,
    }
}

fn context(state: &State, target: Target, select: Option<&[String]>, entity: bool) -> String {
    let entity_set = match target {
        Target::Top(r) => r.path().trim_start_matches("/v1.0/").to_string(),
        Target::Sub(s) if s.kind == SubKind::AppRoleAssignedTo => {
            let id = state
                .tenant
                .service_principals
                .get(s.parent)
                .map_or("", |p| p.id.as_str());
            format!("servicePrincipals('{id}')/appRoleAssignedTo")
        }
        Target::Sub(_) => "directoryObjects".to_string(),
    };
    let select = select.map_or(String::new(), |s| format!("({})", s.join(",")));
    let suffix = if entity { "/$entity" } else { "" };
    format!(
        "{}/v1.0/$metadata#{entity_set}{select}{suffix}",
        state.base_url
    )
}

/// The next page's link: this request's query string without its `$skiptoken`,
/// plus the new one.
fn next_link(state: &State, path: &str, query: &str, offset: usize) -> String {
    let mut parts: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let key = p.split('=').next().unwrap_or("");
            let key = form_urlencoded::parse(key.as_bytes())
                .next()
                .map(|(k, _)| k.to_ascii_lowercase())
                .unwrap_or_default();
            key != "$skiptoken"
        })
        .collect();
    let token = format!("$skiptoken={}", skiptoken(path, offset));
    parts.push(&token);
    format!("{}{path}?{}", state.base_url, parts.join("&"))
}

/// Answer a Graph request.
pub(crate) fn handle(
    state: &State,
    method: &Method,
    path: &str,
    query: &str,
    authorization: Option<&str>,
) -> Resp {
    if let Err(e) = state.tokens.check(authorization, Audience::Graph) {
        let message = match e {
            AuthError::Missing => "Access token is empty.",
            AuthError::Unknown => "Access token validation failure.",
            AuthError::WrongAudience => "Access token validation failure. Invalid audience.",
            AuthError::Expired => "Lifetime validation failed, the token is expired.",
        };
        return graph_error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            message,
        );
    }
    let Some(target) = Target::of(&state.tenant, path) else {
        let segment = path.trim_matches('/').rsplit('/').next().unwrap_or("");
        return graph_error(
            StatusCode::NOT_FOUND,
            "Request_ResourceNotFound",
            &format!("Resource not found for the segment '{segment}'."),
        );
    };
    if method != Method::GET {
        return graph_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "Request_BadRequest",
            "Specified HTTP method is not allowed for the request target.",
        );
    }
    let path = target.path(&state.tenant);
    if state
        .options
        .forbidden
        .iter()
        .any(|p| p.trim_end_matches('/').eq_ignore_ascii_case(&path))
    {
        state.stats.update(|s| s.forbidden += 1);
        return graph_error(
            StatusCode::FORBIDDEN,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        );
    }
    if let Some(f) = state.tenant.failures.get(&format!("graph:{path}")) {
        let status = StatusCode::from_u16(f.status).unwrap_or(StatusCode::BAD_REQUEST);
        return graph_error(
            status,
            f.code.as_deref().unwrap_or("UnknownError"),
            &f.message,
        );
    }
    let q = match parse_query(&path, query) {
        Ok(q) => q,
        Err(resp) => return *resp,
    };
    let select = q.select.as_deref();
    let mut body = Map::new();
    match target.len(&state.tenant) {
        // Object endpoints (per-object lists are always lists).
        None => {
            body.insert(
                "@odata.context".into(),
                Value::String(context(state, target, select, true)),
            );
            let object = match target {
                Target::Top(r) => state.tenant.object(r),
                Target::Sub(_) => None,
            };
            if let Some(Value::Object(obj)) = object.map(|o| project(o, select)) {
                body.extend(obj);
            }
        }
        Some(len) => {
            let page = q.top.unwrap_or(state.options.page_size.max(1));
            let (start, end) = page_bounds(q.offset, page, len);
            body.insert(
                "@odata.context".into(),
                Value::String(context(state, target, select, false)),
            );
            if end < len {
                body.insert(
                    "@odata.nextLink".into(),
                    Value::String(next_link(state, &path, query, end)),
                );
            }
            body.insert(
                "value".into(),
                page_items(&state.tenant, target, start, end, select),
            );
        }
    }
    bytes_response(
        StatusCode::OK,
        serde_json::to_vec(&Value::Object(body)).unwrap_or_default(),
    )
}

fn page_bounds(offset: usize, page: usize, len: usize) -> (usize, usize) {
    let start = offset.min(len);
    (start, start.saturating_add(page).min(len))
}

fn page_items(
    t: &M365Tenant,
    target: Target,
    start: usize,
    end: usize,
    select: Option<&[String]>,
) -> Value {
    let items: Vec<Value> = match target {
        Target::Top(r) => (start..end).filter_map(|i| t.item(r, i)).collect(),
        Target::Sub(s) => t.sub_items(s, start, end),
    };
    Value::Array(
        items
            .into_iter()
            .map(|item| project(item, select))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn skiptokens_round_trip_and_belong_to_one_endpoint() {
        let (users, groups) = (Resource::Users.path(), Resource::Groups.path());
        let t = skiptoken(users, 1998);
        assert_eq!(parse_skiptoken(users, &t), Some(1998));
        assert_eq!(parse_skiptoken(groups, &t), None);
        assert_eq!(parse_skiptoken(users, "garbage!"), None);
    }

    #[test]
    fn select_keeps_named_properties_and_annotations() {
        let item = json!({ "@odata.type": "#x", "id": "1", "displayName": "A", "other": 2 });
        let sel = vec!["ID".to_string(), "displayName".to_string()];
        assert_eq!(
            project(item.clone(), Some(&sel)),
            json!({ "@odata.type": "#x", "id": "1", "displayName": "A" })
        );
        assert_eq!(project(item.clone(), None), item);
    }

    #[test]
    fn top_outside_graph_limits_is_refused() {
        for bad in ["0", "1000", "x", ""] {
            assert!(
                parse_query(Resource::Users.path(), &format!("$top={bad}")).is_err(),
                "{bad}"
            );
        }
        assert_eq!(
            parse_query(Resource::Users.path(), "%24top=999")
                .ok()
                .and_then(|q| q.top),
            Some(999)
        );
        assert!(parse_query(Resource::Users.path(), "$filter=x&$count=true&$expand=y").is_ok());
        assert!(parse_query(Resource::Users.path(), "$bogus=1").is_err());
    }
}
