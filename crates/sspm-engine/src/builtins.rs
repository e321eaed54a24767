//! sspm's own Rego builtins: linear-time operations on the long lists of a snapshot.
//!
//! The Rego interpreter spends about a microsecond per item on every pass over a list,
//! so a check that filters 100,000 users three times spends a third of a second doing
//! it. These builtins do the same work in Rust, in one pass, at memory speed. Each one
//! is equivalent to the Rego it declares; checks use them for lists that grow with the
//! tenant (users, registration details, role assignments) and plain Rego elsewhere.
//!
//! `rows` is an array or a set. Items that are not objects are always left out (a
//! malformed item is skipped, as a reference into it would be undefined in Rego).

use std::cell::Cell;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use anyhow::{anyhow, bail, Result};
use regorus::Value;

use crate::fxhash::FxHashSet;
use crate::snapshot::type_name;

/// A builtin: its name in Rego, its signature, what it returns, an example call and the
/// plain Rego it is equivalent to (a unit test checks that they agree), its number of
/// arguments and its implementation.
pub struct Builtin {
    pub name: &'static str,
    pub signature: &'static str,
    pub summary: &'static str,
    pub example: &'static str,
    pub equivalent: &'static str,
    args: u8,
    run: fn(&[Value]) -> Result<Value>,
}

const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "sspm.select",
        signature: "sspm.select(rows, conditions)",
        summary: "The object items of `rows` for which every condition holds, in one pass. A condition is `[field, op, value]` (a field is a name, or a path `[name, name, …]` into nested objects) with op `==`, `!=` (also true when the field is missing), `in` or `not in` (value: a set or an array), `<`, `<=`, `>`, `>=` (the field is a number), `any word in` (the field is a string of space-separated words, such as an OAuth scope list, and one of them is in the set or array), or `[field, \"exists\"]` (present and not null) and `[field, \"missing\"]` (absent or null). A set of rows gives a set.",
        example: r#"sspm.select(rows, [["userType", "==", "member"], ["id", "not in", disabled]])"#,
        equivalent: r#"[r | some r in rows; is_object(r); r.userType == "member"; not r.id in disabled]"#,
        args: 2,
        run: |a| select(&a[0], &a[1]),
    },
    Builtin {
        name: "sspm.values",
        signature: "sspm.values(rows, field)",
        summary: "The set of the values of `field` in `rows`; rows without it add nothing.",
        example: r#"sspm.values(rows, "userType")"#,
        equivalent: "{r.userType | some r in rows}",
        args: 2,
        run: |a| {
            let name = "sspm.values";
            let field = Field::new(&a[1], name)?;
            let mut out = BTreeSet::new();
            for row in items(&a[0], name)? {
                if let Some(v) = field.get(row) {
                    out.insert(v.clone());
                }
            }
            Ok(Value::from(out))
        },
    },
    Builtin {
        name: "sspm.offenders",
        signature: "sspm.offenders(rows, type, id_field, name_field)",
        summary: "The offender objects of the check contract, `{type, id, name}`, one per row with an id; the name is `name_field` when that is a non-empty string, else the id.",
        example: r#"sspm.offenders(rows, "user", "id", "userPrincipalName")"#,
        equivalent: r#"[{"type": "user", "id": r.id, "name": object.get(r, "userPrincipalName", r.id)} | some r in rows; r.id != null]"#,
        args: 4,
        run: |a| offenders(&a[0], &a[1], &a[2], &a[3]),
    },
    Builtin {
        name: "sspm.group",
        signature: "sspm.group(rows, field)",
        summary: "The object rows grouped by the value of `field`: `{value: [rows with that value, in order]}`; rows without the field are left out.",
        example: r#"sspm.group(rows, "type")"#,
        equivalent: r#"{t: [r | some r in rows; r.type == t] | some t in {r.type | some r in rows}}"#,
        args: 2,
        run: |a| group(&a[0], &a[1]),
    },
    Builtin {
        name: "sspm.parse_time",
        signature: "sspm.parse_time(s)",
        summary: "Nanoseconds since the epoch of an RFC 3339 date-time string, like `time.parse_rfc3339_ns`, but undefined (not an error) for anything else, and clamped to the largest value for dates after 2262 (Graph writes \"never expires\" as e.g. 2299-12-31).",
        example: r#"sspm.parse_time("2026-11-27T08:00:00.5+01:00")"#,
        equivalent: r#"time.parse_rfc3339_ns("2026-11-27T08:00:00.5+01:00")"#,
        args: 1,
        run: |a| Ok(parse_time(&a[0])),
    },
    Builtin {
        name: "sspm.credentials",
        signature: "sspm.credentials(rows, now_ns)",
        summary: "The Microsoft Graph credentials of each object row (an application or service principal) as one flat list: its `passwordCredentials` (kind `client secret`), then its `keyCredentials` (kind `certificate`), each as `{index, owner_id, owner_name, kind, label, start, end, expired, lifetime_days, remaining_days}`. `index` is the row's position, `owner_id` its id and `owner_name` its `displayName`, else `appDisplayName`, else its id; `label` names the credential for messages (`kind 'displayName'`, else `kind keyId`, else the kind); `expired` is whether `endDateTime` is at or before `now_ns`; `lifetime_days` is `endDateTime - startDateTime` and `remaining_days` is `endDateTime - now_ns`, in whole days rounded down. A date that is not RFC 3339 makes the values that need it null; dates after 2262 are exact.",
        example: r#"sspm.credentials([{"passwordCredentials": [{"displayName": "ci", "keyId": "k1", "startDateTime": "2026-01-01T00:00:00Z", "endDateTime": "2026-07-01T00:00:00Z"}]}], 1767225600000000000)"#,
        equivalent: r#"[{"index": 0, "kind": "client secret", "label": "client secret 'ci'", "start": "2026-01-01T00:00:00Z", "end": "2026-07-01T00:00:00Z", "expired": false, "lifetime_days": 181, "owner_id": null, "owner_name": null, "remaining_days": 181}]"#,
        args: 2,
        run: |a| credentials(&a[0], &a[1]),
    },
    Builtin {
        name: "sspm.format",
        signature: "sspm.format(rows, format, fields)",
        summary: "One string per object row that has every one of `fields`: `format` with its `%s`, `%d` or `%v` verbs filled by those fields' values in order (`%%` is a percent sign), as `sprintf` would; for offender names and details of thousands of rows.",
        example: r#"sspm.format(rows, "%s is a %s", ["id", "type"])"#,
        equivalent: r#"[sprintf("%s is a %s", [r.id, r.type]) | some r in rows]"#,
        args: 3,
        run: |a| format_rows(&a[0], &a[1], &a[2]),
    },
    Builtin {
        name: "sspm.format_by",
        signature: "sspm.format_by(rows, key, format, fields, separator)",
        summary: "`sspm.format` per value of the field `key`: `{key value: the texts of its rows, in order, joined by separator}`; rows without `key` or one of `fields` add nothing.",
        example: r#"sspm.format_by(rows, "type", "%s", ["id"], ", ")"#,
        equivalent: r#"{t: concat(", ", [r.id | some r in rows; r.type == t]) | some t in {r.type | some r in rows; r.id}}"#,
        args: 5,
        run: |a| format_by(&a[0], &a[1], &a[2], &a[3], &a[4]),
    },
    Builtin {
        name: "sspm.offenders_by",
        signature: "sspm.offenders_by(rows, {type, id, name, detail, fields, names, separator, suffix})",
        summary: "One offender `{type, id, name}` per value of the field `id` in `rows` (items of one object, such as the credentials of an application), in id order: `name` is the id's entry in the object `names` (optional), else the field `name` of its first row, else the id; then a colon, the distinct texts of the `detail` format filled from `fields` of its rows (as `sspm.format`; a field may be `[field, {value: text}]` to print a table's text for its value) joined by `separator` (default `; `), then `suffix` (optional). Rows lacking the id or a field add nothing.",
        example: r#"sspm.offenders_by(rows, {"type": "kind", "id": "type", "name": "type", "detail": "%s", "fields": ["id"]})"#,
        equivalent: r#"[{"type": "kind", "id": t, "name": sprintf("%s: %s", [t, concat("; ", [r.id | some r in rows; r.type == t])])} | some t in sort({r.type | some r in rows; r.id})]"#,
        args: 2,
        run: |a| offenders_by(&a[0], &a[1]),
    },
    Builtin {
        name: "sspm.names",
        signature: "sspm.names(rows, id_field, name_fields)",
        summary: "`{id: name}` for the object rows with a non-null `id_field`: the name is the first of `name_fields` that is a non-empty string, else the id; the first row of an id wins.",
        example: r#"sspm.names(rows, "id", ["name", "userPrincipalName"])"#,
        equivalent: r#"{r.id: n | some r in rows; r.id != null; n := [x | some f in ["name", "userPrincipalName", "id"]; x := r[f]; is_string(x); x != ""][0]}"#,
        args: 3,
        run: |a| names(&a[0], &a[1], &a[2]),
    },
    Builtin {
        name: "sspm.per_object",
        signature: "sspm.per_object(resources, template)",
        summary: "The per-object keys of `resources` that match `template`, a key with one `%s` standing for an object id, as `{id: value}`: every collected sub-resource of one kind (owners, members, app role assignments) without building a key per object.",
        example: r#"sspm.per_object({"g:/groups/1/members": [1], "g:/groups": []}, "g:/groups/%s/members")"#,
        equivalent: r#"{trim_suffix(trim_prefix(k, "g:/groups/"), "/members"): v | some k, v in {"g:/groups/1/members": [1], "g:/groups": []}; startswith(k, "g:/groups/"); endswith(k, "/members")}"#,
        args: 2,
        run: |a| per_object(&a[0], &a[1]),
    },
];

/// `sspm.per_object`.
fn per_object(resources: &Value, template: &Value) -> Result<Value> {
    let name = "sspm.per_object";
    let Value::Object(resources) = resources else {
        bail!(
            "{name}: resources must be an object, got {}",
            type_name(resources)
        );
    };
    let (prefix, suffix) = match template {
        Value::String(t) => t.split_once("%s").filter(|(_, rest)| !rest.contains("%s")),
        _ => None,
    }
    .ok_or_else(|| {
        anyhow!(
            "{name}: the template must be a string with exactly one %s, got {}",
            text(template)
        )
    })?;
    let mut out = BTreeMap::new();
    for (key, value) in resources.iter() {
        let Value::String(key) = key else {
            continue;
        };
        let id = key
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(suffix))
            .filter(|id| !id.is_empty() && !id.contains('/'));
        if let Some(id) = id {
            out.insert(Value::from(id), value.clone());
        }
    }
    Ok(Value::from(out))
}

/// `sspm.credentials`.
fn credentials(rows: &Value, now: &Value) -> Result<Value> {
    let name = "sspm.credentials";
    let now = match now {
        Value::Number(n) => n.as_i64(),
        _ => None,
    }
    .map(chrono::DateTime::from_timestamp_nanos)
    .ok_or_else(|| {
        anyhow!(
            "{name}: now_ns must be an integer number of nanoseconds, got {}",
            text(now)
        )
    })?;
    let field_names = [
        "passwordCredentials",
        "keyCredentials",
        "displayName",
        "keyId",
        "startDateTime",
        "endDateTime",
        "id",
        "appDisplayName",
    ]
    .map(Value::from);
    let [secrets, certificates, display_name, key_id, start_date, end_date, row_id, app_name] =
        field_names.each_ref().map(|f| Field {
            name: f,
            rest: Vec::new(),
            hint: Cell::new(None),
        });
    // Sorted, as regorus keeps object keys.
    let keys = [
        "end",
        "expired",
        "index",
        "kind",
        "label",
        "lifetime_days",
        "owner_id",
        "owner_name",
        "remaining_days",
        "start",
    ]
    .map(Value::from);
    let date = |v: &Value| match v {
        Value::String(s) => chrono::DateTime::parse_from_rfc3339(s).ok(),
        _ => None,
    };
    type Date = chrono::DateTime<chrono::FixedOffset>;
    let days = |from: Date, to: Date| Value::from((to - from).num_seconds().div_euclid(86_400));
    let mut out = Vec::new();
    for (index, row) in items(rows, name)?.enumerate() {
        let owner_id = row_id.get(row).cloned().unwrap_or(Value::Null);
        let owner_name = [&display_name, &app_name]
            .iter()
            .find_map(|f| match f.get(row) {
                Some(Value::String(s)) if !s.is_empty() => Some(Value::String(s.clone())),
                _ => None,
            })
            .unwrap_or_else(|| owner_id.clone());
        for (list, kind) in [(&secrets, "client secret"), (&certificates, "certificate")] {
            let Some(Value::Array(creds)) = list.get(row) else {
                continue;
            };
            for cred in creds.iter() {
                let start = start_date.get(cred).cloned().unwrap_or(Value::Null);
                let end = end_date.get(cred).cloned().unwrap_or(Value::Null);
                let (start_at, end_at) = (date(&start), date(&end));
                let label = match (display_name.get(cred), key_id.get(cred)) {
                    (Some(Value::String(n)), _) if !n.is_empty() => format!("{kind} '{n}'"),
                    (_, Some(Value::String(k))) => format!("{kind} {k}"),
                    _ => kind.to_string(),
                };
                let values = [
                    end,
                    end_at.map_or(Value::Null, |e| Value::from(e <= now)),
                    Value::from(index as u64),
                    Value::from(kind),
                    Value::from(label),
                    start_at
                        .zip(end_at)
                        .map_or(Value::Null, |(s, e)| days(s, e)),
                    owner_id.clone(),
                    owner_name.clone(),
                    end_at.map_or(Value::Null, |e| days(now.fixed_offset(), e)),
                    start,
                ];
                out.push(Value::from(
                    keys.iter().cloned().zip(values).collect::<BTreeMap<_, _>>(),
                ));
            }
        }
    }
    Ok(Value::from(out))
}

/// A `sprintf`-style format with `%s`, `%d` and `%v` verbs, each filled from one field of a row.
struct Template<'f> {
    /// Literal text, then the field whose value follows it (none after the last piece).
    pieces: Vec<(String, Option<Slot<'f>>)>,
}

/// What fills one verb of a [`Template`]: a field, or a field's value looked up in a
/// table (`[field, {value: text}]`; a value not in the table prints as itself).
struct Slot<'f> {
    field: Field<'f>,
    table: Option<&'f regorus::value::Object>,
}

impl<'f> Slot<'f> {
    fn new(spec: &'f Value, name: &str) -> Result<Self> {
        if let Value::Array(parts) = spec {
            if let [field, Value::Object(table)] = parts.iter().collect::<Vec<_>>()[..] {
                return Ok(Slot {
                    field: Field::new(field, name)?,
                    table: Some(table),
                });
            }
        }
        Ok(Slot {
            field: Field::new(spec, name)?,
            table: None,
        })
    }

    fn get<'v>(&self, row: &'v Value) -> Option<&'v Value>
    where
        'f: 'v,
    {
        let v = self.field.get(row)?;
        Some(self.table.and_then(|t| t.get(v)).unwrap_or(v))
    }
}

impl<'f> Template<'f> {
    fn new(format: &Value, fields: &'f Value, name: &str) -> Result<Self> {
        let Value::String(format) = format else {
            bail!("{name}: format must be a string, got {}", type_name(format));
        };
        let Value::Array(fields) = fields else {
            bail!(
                "{name}: fields must be an array of field names, got {}",
                type_name(fields)
            );
        };
        let mut fields_left = fields.iter();
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut verbs = 0;
        let mut chars = format.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                literal.push(c);
                continue;
            }
            match chars.next() {
                Some('%') => literal.push('%'),
                Some('s' | 'd' | 'v') => {
                    verbs += 1;
                    let field = fields_left.next().map(|f| Slot::new(f, name)).transpose()?;
                    pieces.push((std::mem::take(&mut literal), field));
                }
                other => bail!(
                    "{name}: format {format:?} uses %{}; only %s, %d, %v and %% are supported",
                    other.map(String::from).unwrap_or_default()
                ),
            }
        }
        if verbs != fields.len() {
            bail!(
                "{name}: format {format:?} has {verbs} verbs but {} fields are given",
                fields.len()
            );
        }
        pieces.push((literal, None));
        Ok(Template { pieces })
    }

    /// The text for `row`, or `None` when it lacks one of the fields.
    fn render(&self, row: &Value) -> Option<String> {
        let mut out = String::new();
        for (literal, field) in &self.pieces {
            out.push_str(literal);
            match field.as_ref().map(|f| f.get(row)) {
                None => {}
                Some(Some(Value::String(s))) => out.push_str(s),
                Some(Some(v)) => out.push_str(&text(v)),
                Some(None) => return None,
            }
        }
        Some(out)
    }
}

/// `sspm.format`.
fn format_rows(rows: &Value, format: &Value, fields: &Value) -> Result<Value> {
    let name = "sspm.format";
    let template = Template::new(format, fields, name)?;
    let out: Vec<Value> = items(rows, name)?
        .filter_map(|row| template.render(row).map(Value::from))
        .collect();
    Ok(Value::from(out))
}

/// `sspm.offenders_by`.
fn offenders_by(rows: &Value, options: &Value) -> Result<Value> {
    let name = "sspm.offenders_by";
    let Value::Object(opts) = options else {
        bail!(
            "{name}: options must be an object {{type, id, name, detail, fields}}, got {}",
            type_name(options)
        );
    };
    let opt = |key: &str| -> Result<&Value> {
        opts.get(&Value::from(key)).ok_or_else(|| {
            anyhow!("{name}: options lack `{key}`; give type, id, name, detail and fields")
        })
    };
    let type_ = opt("type")?;
    if !matches!(type_, Value::String(_)) {
        bail!("{name}: `type` must be a string, got {}", type_name(type_));
    }
    let (id, label) = (
        Field::new(opt("id")?, name)?,
        Field::new(opt("name")?, name)?,
    );
    let template = Template::new(opt("detail")?, opt("fields")?, name)?;
    let text_option = |key: &str, default: &'static str| -> Result<&str> {
        match opts.get(&Value::from(key)) {
            None => Ok(default),
            Some(Value::String(s)) => Ok(s),
            Some(other) => bail!("{name}: `{key}` must be a string, got {}", type_name(other)),
        }
    };
    let (suffix, separator) = (text_option("suffix", "")?, text_option("separator", "; ")?);
    let names = match opts.get(&Value::from("names")) {
        None => None,
        Some(Value::Object(names)) => Some(names),
        Some(other) => bail!(
            "{name}: `names` must be an object {{id: name}}, got {}",
            type_name(other)
        ),
    };
    // key -> (name text, its distinct details in row order), in key order.
    let mut groups: BTreeMap<&Value, (String, Vec<String>)> = BTreeMap::new();
    for row in items(rows, name)? {
        let (Some(key), Some(detail)) = (id.get(row), template.render(row)) else {
            continue;
        };
        if matches!(key, Value::Null) {
            continue;
        }
        let entry = groups.entry(key).or_insert_with(|| {
            let listed = names.and_then(|n| n.get(key));
            let display = match listed.or_else(|| label.get(row)) {
                Some(Value::String(s)) if !s.is_empty() => s.to_string(),
                _ => match key {
                    Value::String(s) => s.to_string(),
                    other => text(other),
                },
            };
            (display, Vec::new())
        });
        if !entry.1.contains(&detail) {
            entry.1.push(detail);
        }
    }
    let keys = [Value::from("id"), Value::from("name"), Value::from("type")];
    let out: Vec<Value> = groups
        .into_iter()
        .map(|(key, (display, details))| {
            let values = [
                key.clone(),
                Value::from(format!("{display}: {}{suffix}", details.join(separator))),
                type_.clone(),
            ];
            Value::from(keys.iter().cloned().zip(values).collect::<BTreeMap<_, _>>())
        })
        .collect();
    Ok(Value::from(out))
}

/// `sspm.format_by`.
fn format_by(
    rows: &Value,
    key: &Value,
    format: &Value,
    fields: &Value,
    separator: &Value,
) -> Result<Value> {
    let name = "sspm.format_by";
    let key = Field::new(key, name)?;
    let template = Template::new(format, fields, name)?;
    let Value::String(separator) = separator else {
        bail!(
            "{name}: the separator must be a string, got {}",
            type_name(separator)
        );
    };
    let mut out: BTreeMap<Value, String> = BTreeMap::new();
    for row in items(rows, name)? {
        let (Some(k), Some(t)) = (key.get(row), template.render(row)) else {
            continue;
        };
        match out.get_mut(k) {
            Some(joined) => {
                joined.push_str(separator);
                joined.push_str(&t);
            }
            None => {
                out.insert(k.clone(), t);
            }
        }
    }
    Ok(Value::from(
        out.into_iter()
            .map(|(k, v)| (k, Value::from(v)))
            .collect::<BTreeMap<_, _>>(),
    ))
}

/// `sspm.names`.
fn names(rows: &Value, id: &Value, name_fields: &Value) -> Result<Value> {
    let name = "sspm.names";
    let id = Field::new(id, name)?;
    let Value::Array(name_fields) = name_fields else {
        bail!(
            "{name}: name_fields must be an array of field names, got {}",
            type_name(name_fields)
        );
    };
    let name_fields = name_fields
        .iter()
        .map(|f| Field::new(f, name))
        .collect::<Result<Vec<_>>>()?;
    let mut out: BTreeMap<Value, Value> = BTreeMap::new();
    for row in items(rows, name)? {
        let Some(key) = id.get(row).filter(|v| !matches!(v, Value::Null)) else {
            continue;
        };
        if out.contains_key(key) {
            continue;
        }
        let display = name_fields
            .iter()
            .find_map(|f| match f.get(row) {
                Some(Value::String(s)) if !s.is_empty() => Some(Value::String(s.clone())),
                _ => None,
            })
            .unwrap_or_else(|| key.clone());
        out.insert(key.clone(), display);
    }
    Ok(Value::from(out))
}

/// `sspm.group`.
fn group(rows: &Value, field: &Value) -> Result<Value> {
    let name = "sspm.group";
    let field = Field::new(field, name)?;
    let mut groups: BTreeMap<Value, Vec<Value>> = BTreeMap::new();
    for row in items(rows, name)? {
        if let Some(key) = field.get(row) {
            groups.entry(key.clone()).or_default().push(row.clone());
        }
    }
    Ok(Value::from(
        groups
            .into_iter()
            .map(|(k, v)| (k, Value::from(v)))
            .collect::<BTreeMap<_, _>>(),
    ))
}

/// `sspm.parse_time`.
fn parse_time(value: &Value) -> Value {
    nanos(value).map_or(Value::Undefined, Value::from)
}

/// Nanoseconds since the epoch of an RFC 3339 date-time string, clamped to `i64::MAX`
/// after 2262; `None` for anything else.
fn nanos(value: &Value) -> Option<i64> {
    let Value::String(s) = value else {
        return None;
    };
    let t = chrono::DateTime::parse_from_rfc3339(s).ok()?;
    match t.timestamp_nanos_opt() {
        Some(ns) => Some(ns),
        None if t.timestamp() > 0 => Some(i64::MAX),
        None => None,
    }
}

/// sspm's builtins, for documentation and tests.
pub fn all() -> &'static [Builtin] {
    BUILTINS
}

/// The Markdown reference of the builtins (kept in `policies/README.md`).
pub fn reference() -> String {
    let mut out = String::new();
    for b in BUILTINS {
        out.push_str(&format!(
            "- `{}`: {}\n\n  `{}` is the same as `{}`.\n",
            b.signature, b.summary, b.example, b.equivalent
        ));
    }
    out
}

/// Adds sspm's builtins to `engine` (before any module that calls them is added).
pub fn register(engine: &mut regorus::Engine) -> Result<()> {
    for builtin in BUILTINS {
        let run = builtin.run;
        engine.add_extension(
            builtin.name.to_string(),
            builtin.args,
            Box::new(move |args: Vec<Value>| run(&args)),
        )?;
    }
    Ok(())
}

/// One condition of `sspm.select`.
enum Condition<'v> {
    Equals(Field<'v>, &'v Value),
    NotEquals(Field<'v>, &'v Value),
    In(Field<'v>, Members<'v>),
    NotIn(Field<'v>, Members<'v>),
    AnyWordIn(Field<'v>, Members<'v>),
    Compare(Field<'v>, &'static [Ordering], f64),
    Exists(Field<'v>),
    Missing(Field<'v>),
}

impl<'v> Condition<'v> {
    /// Reads `[field, op, value]` or `[field, "exists"]`.
    fn parse(condition: &'v Value) -> Result<Self> {
        let Value::Array(parts) = condition else {
            bail!(
                "sspm.select: each condition must be an array [field, op, value], got {}",
                type_name(condition)
            );
        };
        let parts: Vec<&Value> = parts.iter().collect();
        let (field, op) = match parts.as_slice() {
            [field, Value::String(op), ..] => (*field, &**op),
            _ => bail!(
                "sspm.select: a condition must start with a field and an operator: {}",
                text(condition)
            ),
        };
        let field = Field::new(field, "sspm.select")?;
        Ok(match (op, parts.get(2), parts.len()) {
            ("exists", None, 2) => Condition::Exists(field),
            ("missing", None, 2) => Condition::Missing(field),
            ("==", Some(v), 3) => Condition::Equals(field, v),
            ("!=", Some(v), 3) => Condition::NotEquals(field, v),
            ("in", Some(v), 3) => Condition::In(field, Members::of(v)?),
            ("not in", Some(v), 3) => Condition::NotIn(field, Members::of(v)?),
            ("any word in", Some(v), 3) => Condition::AnyWordIn(field, Members::of(v)?),
            (op @ ("<" | "<=" | ">" | ">="), Some(Value::Number(n)), 3) => {
                let accepted: &'static [Ordering] = match op {
                    "<" => &[Ordering::Less],
                    "<=" => &[Ordering::Less, Ordering::Equal],
                    ">" => &[Ordering::Greater],
                    _ => &[Ordering::Greater, Ordering::Equal],
                };
                let n = n.as_f64().ok_or_else(|| {
                    anyhow!("sspm.select: cannot compare with {}", text(condition))
                })?;
                Condition::Compare(field, accepted, n)
            }
            _ => bail!(
                "sspm.select: cannot read condition {}: use [field, op, value] with op ==, !=, in, not in, any word in, or <, <=, >, >= and a number, or [field, \"exists\"] or [field, \"missing\"]",
                text(condition)
            ),
        })
    }

    fn holds(&self, row: &Value) -> bool {
        match self {
            Condition::Equals(f, v) => f.get(row) == Some(*v),
            Condition::NotEquals(f, v) => f.get(row) != Some(*v),
            Condition::In(f, m) => f.get(row).is_some_and(|x| m.contains(x)),
            Condition::NotIn(f, m) => !f.get(row).is_some_and(|x| m.contains(x)),
            Condition::AnyWordIn(f, m) => match f.get(row) {
                Some(Value::String(s)) => s.split_whitespace().any(|w| m.strings.contains(w)),
                _ => false,
            },
            Condition::Compare(f, accepted, n) => match f.get(row) {
                Some(Value::Number(x)) => x
                    .as_f64()
                    .and_then(|x| x.partial_cmp(n))
                    .is_some_and(|o| accepted.contains(&o)),
                _ => false,
            },
            Condition::Exists(f) => f.get(row).is_some_and(|x| !matches!(x, Value::Null)),
            Condition::Missing(f) => f.get(row).is_none_or(|x| matches!(x, Value::Null)),
        }
    }
}

/// `sspm.select`: the object items of `rows` for which every condition holds.
fn select(rows: &Value, conditions: &Value) -> Result<Value> {
    let Value::Array(list) = conditions else {
        bail!(
            "sspm.select: conditions must be an array of conditions, got {}",
            type_name(conditions)
        );
    };
    let conditions = list
        .iter()
        .map(Condition::parse)
        .collect::<Result<Vec<_>>>()?;
    let items = items(rows, "sspm.select")?;
    let mut kept = Vec::with_capacity(items.size_hint().0);
    kept.extend(
        items
            .filter(|row| {
                matches!(row, Value::Object(_)) && conditions.iter().all(|c| c.holds(row))
            })
            .cloned(),
    );
    Ok(match rows {
        Value::Set(_) => Value::from(kept.into_iter().collect::<BTreeSet<_>>()),
        _ => Value::from(kept),
    })
}

/// `sspm.offenders`: the offender objects (`{type, id, name}`) of the check contract.
fn offenders(rows: &Value, type_: &Value, id_field: &Value, name_field: &Value) -> Result<Value> {
    let name = "sspm.offenders";
    if !matches!(type_, Value::String(_)) {
        bail!(
            "{name}: the type argument must be a string, got {}",
            type_name(type_)
        );
    }
    let (id_field, name_field) = (Field::new(id_field, name)?, Field::new(name_field, name)?);
    // Every offender has the same keys: fill a copy of one template object (which keeps
    // its compact sorted storage) instead of building a map per offender.
    let keys = [Value::from("id"), Value::from("name"), Value::from("type")];
    let Value::Object(template) = Value::from(
        keys.iter()
            .map(|k| (k.clone(), type_.clone()))
            .collect::<BTreeMap<_, _>>(),
    ) else {
        bail!("{name}: internal error building the offender template");
    };
    let mut out = Vec::new();
    for row in items(rows, name)? {
        let Some(id) = id_field.get(row).filter(|v| !matches!(v, Value::Null)) else {
            continue;
        };
        let display = match name_field.get(row) {
            Some(Value::String(s)) if !s.is_empty() => Value::String(s.clone()),
            _ => id.clone(),
        };
        let mut offender = (*template).clone();
        for (key, value) in keys[..2].iter().zip([id.clone(), display]) {
            if let Some(slot) = offender.get_mut(key) {
                *slot = value;
            }
        }
        out.push(Value::from(offender));
    }
    Ok(Value::from(out))
}

/// The items of `rows` (an array or a set).
fn items<'v>(rows: &'v Value, name: &str) -> Result<Box<dyn Iterator<Item = &'v Value> + 'v>> {
    match rows {
        Value::Array(a) => Ok(Box::new(a.iter())),
        Value::Set(s) => Ok(Box::new(s.iter())),
        other => bail!(
            "{name}: rows must be an array or a set, got {}",
            type_name(other)
        ),
    }
}

/// Reads one field from many rows.
///
/// The rows of a list share their key strings (the snapshot loader interns them) and
/// mostly their shape, so the entry that held the field in the previous row is tried
/// first, by pointer, before the row is searched: one memory access per row instead of
/// a binary search that compares key strings.
struct Field<'f> {
    name: &'f Value,
    /// Further keys of a path into nested objects (`["a", "b"]` reads `row.a.b`).
    rest: Vec<&'f Value>,
    /// Where the field was last found: entry index and key string address.
    hint: Cell<Option<(usize, *const u8)>>,
}

impl<'f> Field<'f> {
    /// A reader for the field named by `name`: a string, or a path (an array of strings)
    /// into nested objects; anything else is an error naming `builtin`.
    fn new(name: &'f Value, builtin: &str) -> Result<Self> {
        let path: Vec<&Value> = match name {
            Value::String(_) => vec![name],
            Value::Array(parts) => parts.iter().collect(),
            _ => Vec::new(),
        };
        match path.split_first() {
            Some((first, rest)) if path.iter().all(|p| matches!(p, Value::String(_))) => {
                Ok(Field {
                    name: first,
                    rest: rest.to_vec(),
                    hint: Cell::new(None),
                })
            }
            _ => bail!(
                "{builtin}: a field must be a string or a path (an array of strings), got {}",
                text(name)
            ),
        }
    }

    /// The field's value in `row`, or `None` when `row` is not an object or lacks it.
    fn get<'v>(&self, row: &'v Value) -> Option<&'v Value> {
        let Value::Object(row) = row else {
            return None;
        };
        if let Some((index, key)) = self.hint.get() {
            if let Some((Value::String(k), v)) = row.iter().nth(index) {
                if k.as_ptr() == key {
                    return self.nested(v);
                }
            }
        }
        let (index, (k, v)) = row.iter().enumerate().find(|(_, (k, _))| *k == self.name)?;
        if let Value::String(k) = k {
            self.hint.set(Some((index, k.as_ptr())));
        }
        self.nested(v)
    }

    /// The rest of the path below the first key's value `v`.
    fn nested<'v>(&self, mut v: &'v Value) -> Option<&'v Value> {
        for key in &self.rest {
            match v {
                Value::Object(o) => v = o.get(key)?,
                _ => return None,
            }
        }
        Some(v)
    }
}

/// The members of a set or an array, for membership tests: strings (ids, nearly always)
/// in a hash set, anything else in an ordered set.
struct Members<'v> {
    strings: FxHashSet<&'v str>,
    others: BTreeSet<&'v Value>,
}

impl<'v> Members<'v> {
    fn of(values: &'v Value) -> Result<Self> {
        let items: Box<dyn Iterator<Item = &'v Value>> = match values {
            Value::Set(s) => Box::new(s.iter()),
            Value::Array(a) => Box::new(a.iter()),
            other => bail!(
                "sspm.select: the values of in / not in must be a set or an array, got {}",
                type_name(other)
            ),
        };
        let mut members = Members {
            strings: FxHashSet::default(),
            others: BTreeSet::new(),
        };
        for item in items {
            match item {
                Value::String(s) => members.strings.insert(&**s),
                other => members.others.insert(other),
            };
        }
        Ok(members)
    }

    fn contains(&self, value: &Value) -> bool {
        match value {
            Value::String(s) => self.strings.contains(&**s),
            other => self.others.contains(other),
        }
    }
}

/// A value as compact JSON, for messages.
fn text(v: &Value) -> String {
    v.to_json_str()
        .map(|s| s.split_whitespace().collect())
        .unwrap_or_else(|_| type_name(v).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Evaluates `query` (a Rego expression) on an engine with the builtins and `input`.
    fn eval(query: &str, input: &str) -> Result<Value> {
        let mut engine = regorus::Engine::new();
        register(&mut engine)?;
        engine.add_policy(
            "t.rego".into(),
            format!(
                "package t\n\nrows := input.rows\n\ndisabled := {{\"a\", \"b\"}}\n\nx := {query}\n"
            ),
        )?;
        engine.set_input(Value::from_json_str(input)?);
        engine.eval_rule("data.t.x".into())
    }

    const ROWS: &str = r#"{"rows": [
        {"id": "a", "type": "member", "on": true, "name": "Alice", "userType": "member", "userPrincipalName": "alice@x", "tags": ["x", "y"]},
        {"id": "b", "type": "guest", "on": true, "userType": "guest", "tags": "not a list"},
        {"id": "c", "type": "member", "on": false, "userType": "member", "userPrincipalName": "c@x", "tags": ["z"]},
        {"id": "d", "type": "member", "on": null, "userType": "member"},
        "not an object",
        {"type": "member", "on": true, "userType": "member"}
    ]}"#;

    /// Each builtin agrees with the Rego comprehension it stands for: the documented
    /// example, and more cases.
    #[test]
    fn builtins_agree_with_their_comprehensions() {
        let documented = all().iter().map(|b| (b.example, b.equivalent));
        let cases = documented.chain([
            (
                r#"sspm.select(input.rows, [["type", "==", "member"], ["on", "==", true]])"#,
                r#"[r | some r in input.rows; r.type == "member"; r.on == true]"#,
            ),
            (
                r#"sspm.select(input.rows, [["on", "!=", true]])"#,
                r#"[r | some r in input.rows; is_object(r); not r.on == true]"#,
            ),
            (
                r#"sspm.select(input.rows, [["id", "in", {"a", "c", "z"}]])"#,
                r#"[r | some r in input.rows; r.id in {"a", "c", "z"}]"#,
            ),
            (
                r#"sspm.select(input.rows, [["on", "in", [false, "a", null]]])"#,
                r#"[r | some r in input.rows; r.on in [false, "a", null]]"#,
            ),
            (
                r#"sspm.select(input.rows, [["id", "not in", {"a", "b"}], ["type", "==", "member"]])"#,
                r#"[r | some r in input.rows; is_object(r); not r.id in {"a", "b"}; r.type == "member"]"#,
            ),
            (
                r#"sspm.select(input.rows, [["name", "any word in", ["Bob", "Alice"]]])"#,
                r#"[r | some r in input.rows; is_string(r.name); some w in split(r.name, " "); w in {"Bob", "Alice"}]"#,
            ),
            (
                r#"sspm.per_object({"a/1/x": 1, "a/2/x": 2, "a/x": 0, "a/1/y": 3, "b/3/x": 4}, "a/%s/x")"#,
                r#"{"1": 1, "2": 2}"#,
            ),
            (
                r#"sspm.select([{"n": 1}, {"n": 2.5}, {"n": "3"}, {"n": null}, {"m": 9}], [["n", ">", 1], ["n", "<=", 2.5]])"#,
                r#"[r | some r in [{"n": 1}, {"n": 2.5}, {"n": "3"}, {"n": null}, {"m": 9}]; is_number(r.n); r.n > 1; r.n <= 2.5]"#,
            ),
            (
                r#"sspm.select([{"p": {"q": 1}}, {"p": {"q": 2}}, {"p": 3}, {"q": 1}], [[["p", "q"], "==", 1]])"#,
                r#"[r | some r in [{"p": {"q": 1}}, {"p": {"q": 2}}, {"p": 3}, {"q": 1}]; r.p.q == 1]"#,
            ),
            (
                r#"sspm.select(input.rows, [["on", "missing"]])"#,
                r#"[r | some r in input.rows; is_object(r); object.get(r, "on", null) == null]"#,
            ),
            (
                r#"sspm.select(input.rows, [["on", "exists"]])"#,
                r#"[r | some r in input.rows; r.on != null]"#,
            ),
            (
                r#"sspm.select(input.rows, [])"#,
                r#"[r | some r in input.rows; is_object(r)]"#,
            ),
            (
                r#"sspm.select({r | some r in input.rows}, [["type", "==", "guest"]])"#,
                r#"{r | some r in input.rows; r.type == "guest"}"#,
            ),
            (
                r#"sspm.offenders(input.rows, "user", "id", "name")"#,
                r#"[{"type": "user", "id": r.id, "name": object.get(r, "name", r.id)} | some r in input.rows; r.id != null]"#,
            ),
            (
                r#"sspm.format([{"on": true, "n": 5, "id": "a"}, {"on": null, "n": 7, "id": "b"}, {"id": "c"}, [1]], "%v: %d%% of %s", ["on", "n", "id"])"#,
                r#"[sprintf("%v: %d%% of %s", [r.on, r.n, r.id]) | some r in [{"on": true, "n": 5, "id": "a"}, {"on": null, "n": 7, "id": "b"}, {"id": "c"}, [1]]]"#,
            ),
            (
                r#"sspm.values(input.rows, "type")"#,
                r#"{r.type | some r in input.rows}"#,
            ),
        ]);
        for (builtin, comprehension) in cases {
            let got = eval(builtin, ROWS).unwrap();
            let want = eval(comprehension, ROWS).unwrap();
            assert_eq!(text(&got), text(&want), "{builtin}");
            assert!(
                !matches!(text(&got).as_str(), "[]" | "{}"),
                "{builtin} should select something"
            );
        }
    }

    #[test]
    fn credentials_are_labelled_and_dated_even_when_fields_are_missing_or_unreadable() {
        let input = r#"{"rows": [
            "not an object",
            {"passwordCredentials": [
                {"keyId": "k1", "displayName": "", "startDateTime": "soon", "endDateTime": "2026-01-01T00:00:00Z"},
                {"endDateTime": "2299-12-31T00:00:00Z", "startDateTime": "2025-12-31T12:00:00Z"}
            ], "keyCredentials": [{"displayName": "signing", "startDateTime": "2025-01-01T00:00:00Z", "endDateTime": null}]},
            {"keyCredentials": "not a list"}
        ]}"#;
        let now = 1_767_225_600_000_000_000_i64; // 2026-01-01T00:00:00Z
        let got = eval(&format!("sspm.credentials(input.rows, {now})"), input).unwrap();
        let want = Value::from_json_str(
            r#"[
            {"index": 1, "kind": "client secret", "label": "client secret k1", "start": "soon", "end": "2026-01-01T00:00:00Z", "expired": true, "lifetime_days": null, "owner_id": null, "owner_name": null, "remaining_days": 0},
            {"index": 1, "kind": "client secret", "label": "client secret", "start": "2025-12-31T12:00:00Z", "end": "2299-12-31T00:00:00Z", "expired": false, "lifetime_days": 100075, "owner_id": null, "owner_name": null, "remaining_days": 100075},
            {"index": 1, "kind": "certificate", "label": "certificate 'signing'", "start": "2025-01-01T00:00:00Z", "end": null, "expired": null, "lifetime_days": null, "owner_id": null, "owner_name": null, "remaining_days": null}
            ]"#,
        )
        .unwrap();
        assert_eq!(text(&got), text(&want));
    }

    #[test]
    fn offenders_by_names_from_a_table_and_lists_each_detail_once() {
        let got = eval(
            r#"sspm.offenders_by([
                {"p": "b", "n": "Row B", "r": "1"},
                {"p": "a", "n": "", "r": "2"},
                {"p": "a", "n": "Row A", "r": "1"},
                {"p": "a", "r": "1"},
                {"p": "c", "n": "Row C", "r": "9"},
                {"n": "no id", "r": "1"}
            ], {"type": "sp", "id": "p", "name": "n", "names": {"b": "Listed B"},
                "detail": "role %s", "fields": [["r", {"1": "One", "2": "Two"}]],
                "separator": ", ", "suffix": "!"})"#,
            ROWS,
        )
        .unwrap();
        let want = r#"[{"id":"a","name":"a: role Two, role One!","type":"sp"},{"id":"b","name":"Listed B: role One!","type":"sp"},{"id":"c","name":"Row C: role 9!","type":"sp"}]"#;
        assert_eq!(got, Value::from_json_str(want).unwrap());
    }

    #[test]
    fn parse_time_is_undefined_for_non_dates_and_clamps_far_dates() {
        let far = eval(r#"sspm.parse_time("2299-12-31T00:00:00Z")"#, ROWS).unwrap();
        assert_eq!(far, Value::from(i64::MAX));
        for bad in [r#""31/12/2026""#, "7", r#""2026-02-30T00:00:00Z""#] {
            let got = eval(&format!("sspm.parse_time({bad})"), ROWS).unwrap();
            assert_eq!(got, Value::Undefined, "{bad}");
        }
    }

    #[test]
    fn offenders_are_named_by_their_id_when_the_name_is_empty_or_not_a_string() {
        let got = eval(
            r#"sspm.offenders(input.rows, "app", "appId", "displayName")"#,
            r#"{"rows": [{"appId": "1", "displayName": ""}, {"appId": "2", "displayName": 7},
                {"appId": "3", "displayName": "Three"}, {"appId": null}, {"displayName": "x"}]}"#,
        )
        .unwrap();
        assert_eq!(
            text(&got),
            r#"[{"id":"1","name":"1","type":"app"},{"id":"2","name":"2","type":"app"},{"id":"3","name":"Three","type":"app"}]"#
        );
    }

    #[test]
    fn bad_arguments_are_errors_that_say_what_to_write() {
        for (query, expected) in [
            (
                r#"sspm.select("x", [])"#,
                "sspm.select: rows must be an array or a set, got string",
            ),
            (
                r#"sspm.select(input.rows, {"type": "member"})"#,
                "conditions must be an array",
            ),
            (
                r#"sspm.select(input.rows, [["type", "=", "member"]])"#,
                r#"cannot read condition ["type","=","member"]: use [field, op, value]"#,
            ),
            (
                r#"sspm.select(input.rows, [["type", "=="]])"#,
                "cannot read condition",
            ),
            (
                r#"sspm.select(input.rows, [[1, "==", 1]])"#,
                "a field must be a string or a path (an array of strings), got 1",
            ),
            (
                r#"sspm.select(input.rows, [["id", "in", "a"]])"#,
                "must be a set or an array, got string",
            ),
            (
                r#"sspm.values(input.rows, 1)"#,
                "sspm.values: a field must be a string or a path",
            ),
            (
                r#"sspm.offenders(input.rows, 1, "id", "name")"#,
                "the type argument must be a string",
            ),
            (
                r#"sspm.select(input.rows, [["on", ">", "1"]])"#,
                "cannot read condition",
            ),
            (
                r#"sspm.format(input.rows, "%s %q", ["id", "type"])"#,
                "uses %q; only %s, %d, %v and %% are supported",
            ),
            (
                r#"sspm.format(input.rows, "%s", ["id", "type"])"#,
                "has 1 verbs but 2 fields are given",
            ),
            (
                r#"sspm.per_object(input, "no verb")"#,
                "the template must be a string with exactly one %s",
            ),
            (
                r#"sspm.per_object(input.rows, "a/%s")"#,
                "resources must be an object, got array",
            ),
            (
                r#"sspm.offenders_by(input.rows, {"type": "user", "name": "name", "detail": "%s", "fields": ["id"]})"#,
                "options lack `id`",
            ),
            (
                r#"sspm.format_by(input.rows, "type", "%s", ["id"], 1)"#,
                "the separator must be a string, got number",
            ),
            (
                r#"sspm.names(input.rows, "id", "name")"#,
                "name_fields must be an array of field names, got string",
            ),
            (
                r#"sspm.credentials(input.rows, "now")"#,
                "now_ns must be an integer number of nanoseconds",
            ),
        ] {
            let err = eval(query, ROWS)
                .err()
                .map(|e| format!("{e:#}"))
                .unwrap_or_default();
            assert!(err.contains(expected), "{query}: {err}");
        }
    }

    /// `policies/README.md` documents every builtin as the code declares it.
    #[test]
    fn the_policy_readme_documents_every_builtin() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/README.md");
        let readme = std::fs::read_to_string(&path).unwrap();
        let start = readme.find("<!-- builtins:start").unwrap();
        let start = start + readme[start..].find("-->\n").unwrap() + 4;
        let end = readme.find("<!-- builtins:end -->").unwrap();
        let expected = reference();
        if std::env::var_os("SSPM_UPDATE_DOCS").is_some() {
            let updated = format!("{}{}{}", &readme[..start], expected, &readme[end..]);
            std::fs::write(&path, updated).unwrap();
        } else {
            assert_eq!(
                &readme[start..end],
                expected,
                "policies/README.md is out of date: run SSPM_UPDATE_DOCS=1 cargo test -p sspm-engine"
            );
        }
    }

    #[test]
    fn builtins_register_once_and_document_themselves() {
        let mut engine = regorus::Engine::new();
        register(&mut engine).unwrap();
        assert!(
            register(&mut engine).is_err(),
            "registering twice must fail"
        );
        assert!(all()
            .iter()
            .all(|b| b.signature.starts_with(&format!("{}(", b.name))));
    }
}
