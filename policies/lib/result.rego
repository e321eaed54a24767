# Helpers shared by every check: reading snapshot resources safely and building the
# `result` object of the check contract
#   {"status", "reason", "offenders", "compliant", "total"}.
#
# A check guards itself first:
#
#   result := r if {
#   	r := res.unavailable([["graph:/v1.0/domains", "array"]])
#   } else := ...
#
# `unavailable` is defined (an `error` result) only when a resource is missing, failed
# or is not of the JSON type the vendor API returns; its reason names the snapshot key.
package sspm.lib.result

# The snapshot's resources, or an empty object when the snapshot has none.
resources := input.resources if {
	is_object(input.resources)
} else := {}

failures := input.failures if {
	is_object(input.failures)
} else := {}

# The array at `key`, or [] when it is missing or not an array. Checks guard with
# `unavailable` first; these accessors still never fail, because regorus may evaluate a
# rule that a check's else-branch references even when that branch is not taken.
array_at(key) := v if {
	v := resources[key]
	is_array(v)
} else := []

# The object at `key`, or {} when it is missing or not an object.
object_at(key) := v if {
	v := resources[key]
	is_object(v)
} else := {}

# True when `key` is present and holds a value of JSON type `kind`
# ("array", "object", "string", "boolean", "number").
has(key, kind) if {
	some k, _ in resources
	k == key
	_is_kind(resources[key], kind)
}

_is_kind(v, "array") if is_array(v)

_is_kind(v, "object") if is_object(v)

_is_kind(v, "string") if is_string(v)

_is_kind(v, "boolean") if is_boolean(v)

_is_kind(v, "number") if is_number(v)

# Why the resource at `key` cannot be used, or undefined when it can.
problem(key, kind) := reason if {
	not present(key)
	reason := _missing_reason(key)
} else := reason if {
	not _is_kind(resources[key], kind)
	reason := sprintf("snapshot key %s is malformed: expected a JSON %s as the API returns it, found %s", [key, kind, _a(type_name(resources[key]))])
}

_a(t) := sprintf("an %s", [t]) if {
	t in {"array", "object"}
} else := sprintf("a %s", [t])

present(key) if {
	some k, _ in resources
	k == key
}

_missing_reason(key) := sprintf("the call for snapshot key %s failed (HTTP %v %v: %v); it needs %v", [
	key,
	object.get(f, "status", "?"),
	object.get(f, "code", "?"),
	object.get(f, "message", ""),
	object.get(f, "needs", "the permissions listed in the check"),
]) if {
	f := failures[key]
	is_object(f)
} else := sprintf("snapshot key %s is missing: the resource was not collected", [key])

# An `error` result naming every unusable resource among `specs`, a list of
# [key, kind] pairs; undefined when all of them are usable.
unavailable(specs) := error(concat("; ", reasons)) if {
	reasons := [r | some s in specs; r := problem(s[0], s[1])]
	count(reasons) > 0
}

# An `error` result when the field at `path` (a list of keys) of the object at `key` is
# missing, null or not of JSON type `kind`; undefined when the field is usable.
bad_field(key, path, kind) := error(sprintf("snapshot key %s is malformed: %s is %s, expected a JSON %s", [
	key,
	concat(".", path),
	_describe(object.get(object_at(key), path, null)),
	kind,
])) if {
	not _is_kind(object.get(object_at(key), path, null), kind)
}

_describe(null) := "missing or null"

_describe(v) := _a(type_name(v)) if v != null

error(reason) := {"status": "error", "reason": _sentence(reason)}

pass(reason) := {"status": "pass", "reason": _sentence(reason)}

not_applicable(reason) := {"status": "not_applicable", "reason": _sentence(reason)}

manual(reason) := {"status": "manual", "reason": _sentence(reason)}

# A fail result; `offenders` is a set or an array of {type, id, name} objects.
fail(reason, offenders) := {"status": "fail", "reason": _sentence(reason), "offenders": [o | some o in offenders]}

# A reason reads as a sentence: capitalised, ending with a full stop.
_sentence(s) := out if {
	first := upper(substring(s, 0, 1))
	rest := substring(s, 1, -1)
	body := concat("", [first, rest])
	out := _stop(body)
}

_stop(s) := s if {
	endswith(s, ".")
} else := concat("", [s, "."])

# "1 user" / "2 users"
plural(n, word) := sprintf("%d %s", [n, word]) if {
	n == 1
} else := sprintf("%d %ss", [n, word])

# Quoted, comma-separated names, at most `limit` of them followed by "and N more".
name_list(names, limit) := concat(", ", quoted) if {
	items := [n | some n in names]
	count(items) <= limit
	quoted := [sprintf("'%s'", [n]) | some n in items]
} else := sprintf("%s and %d more", [concat(", ", quoted), count(items) - limit]) if {
	items := [n | some n in names]
	quoted := [sprintf("'%s'", [items[i]]) | some i in numbers.range(0, limit - 1)]
}

# The same for the first names of `total` items: "'a', 'b' and 3 more".
name_list_of(first, total) := concat(", ", [sprintf("'%s'", [n]) | some n in first]) if {
	total <= count(first)
} else := sprintf("%s and %d more", [concat(", ", [sprintf("'%s'", [n]) | some n in first]), total - count(first)])

# A field of an object, or `dflt` when the object or field is missing or null.
get(obj, path, dflt) := v if {
	is_object(obj)
	v := object.get(obj, path, dflt)
	v != null
} else := dflt

# The string items of a JSON array field ([] when missing, null or not an array).
strings(obj, path) := [x | some x in list(obj, path); is_string(x)]

# lower(x) for strings, "" for anything else.
lower_str(x) := lower(x) if {
	is_string(x)
} else := ""

# A JSON array field as an array ([] when missing or null).
list(obj, path) := v if {
	v := get(obj, path, [])
	is_array(v)
} else := []
