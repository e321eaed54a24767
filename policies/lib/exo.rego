# Helpers shared by the Exchange Online checks (policies/m365/exchange/).
#
# An `exo:<Cmdlet>` snapshot key holds the ARRAY of objects the cmdlet returned through
# the Exchange Online admin API (InvokeCommand), with the PowerShell property names:
# `exo:Get-OrganizationConfig` is `[{"Name": "contoso.onmicrosoft.com", "AuditDisabled": false, …}]`.
# Checks name their key as a string literal (so that the engine converts it) and pass it
# to these helpers. Every helper is total: malformed data gives a harmless value.
package sspm.lib.exo

import data.sspm.lib.result as res

# The object items of the cmdlet's array ([] when missing or malformed).
objects(key) := [o | some o in res.array_at(key); is_object(o)]

# The first object of a cmdlet that returns one object per organisation
# (Get-OrganizationConfig, Get-TransportConfig, Get-AdminAuditLogConfig), or {}.
single(key) := o if {
	objs := objects(key)
	count(objs) > 0
	o := objs[0]
} else := {}

# An `error` result when the cmdlet returned no object at all, where the organisation
# always has at least one (a default policy, the organisation configuration);
# undefined otherwise.
no_object(key) := res.error(sprintf("snapshot key %s holds no object: the cmdlet returned an empty result, so the setting cannot be evaluated", [key])) if {
	count(objects(key)) == 0
}

# Booleans as the API returns them: JSON true/false, or the strings "True"/"False" that
# some PowerShell serialisations produce.
is_true(v) if v == true

is_true(v) if {
	is_string(v)
	lower(trim_space(v)) == "true"
}

is_false(v) if v == false

is_false(v) if {
	is_string(v)
	lower(trim_space(v)) == "false"
}

is_bool(v) if is_true(v)

is_bool(v) if is_false(v)

# The value of property `prop` of `obj`, or null.
prop(obj, name) := v if {
	is_object(obj)
	v := object.get(obj, name, null)
} else := null

# A display name for a cmdlet object: Name, else Identity, else "(unnamed)".
name(o) := n if {
	n := prop(o, "Name")
	is_string(n)
	n != ""
} else := n if {
	n := prop(o, "Identity")
	is_string(n)
	n != ""
} else := "(unnamed)"

# A stable id for a cmdlet object: Identity, else Guid, else the name.
id(o) := i if {
	i := prop(o, "Identity")
	is_string(i)
	i != ""
} else := i if {
	i := prop(o, "Guid")
	is_string(i)
	i != ""
} else := name(o)

# The offender object of the check contract for a policy-like cmdlet object.
offender(o, type) := {"type": type, "id": id(o), "name": name(o)}

# An `error` result when a property of the single object is not a boolean; undefined
# when it is one.
bad_bool(key, name) := res.error(sprintf("snapshot key %s is malformed: %s is %s, expected true or false", [key, name, _describe(prop(single(key), name))])) if {
	not is_bool(prop(single(key), name))
}

# An `error` result when a property of any object of the array is not a boolean (it
# names the first such object); undefined when all are booleans.
bad_bool_any(key, name) := res.error(sprintf("snapshot key %s is malformed: %s of %s is %s, expected true or false", [key, name, _quoted(bad[0]), _describe(prop(bad[0], name))])) if {
	bad := [o | some o in objects(key); not is_bool(prop(o, name))]
	count(bad) > 0
}

# An `error` result when a property of any object of the array is not a string.
bad_string_any(key, name) := res.error(sprintf("snapshot key %s is malformed: %s of %s is %s, expected a string", [key, name, _quoted(bad[0]), _describe(prop(bad[0], name))])) if {
	bad := [o | some o in objects(key); not is_string(prop(o, name))]
	count(bad) > 0
}

# The string items of an array property (a MultiValuedProperty), [] when missing.
strings(o, name) := [s | some s in _list(prop(o, name)); is_string(s); trim_space(s) != ""]

_list(v) := v if {
	is_array(v)
} else := [v] if {
	is_string(v)
} else := []

_quoted(o) := sprintf("'%s'", [name(o)])

_describe(null) := "missing or null"

_describe(v) := sprintf("the %s %v", [type_name(v), v]) if v != null

# The policy that applies to everyone not covered by a higher-priority policy
# (IsDefault true), or {} when the cmdlet returned none.
default_policy(key) := p if {
	defaults := [o | some o in objects(key); is_true(prop(o, "IsDefault"))]
	count(defaults) > 0
	p := defaults[0]
} else := {}

# "'A', 'B'" of the names of `objs`, at most 5.
names(objs) := res.name_list([name(o) | some o in objs], 5)

# "1 anti-phishing policy" / "3 anti-phishing policies"
policy_count(n, kind) := sprintf("%d %s policy", [n, kind]) if {
	n == 1
} else := sprintf("%d %s policies", [n, kind])

# The sharing rules of a sharing policy (Get-SharingPolicy Domains entries such as
# "*:CalendarSharingFreeBusySimple" or "contoso.com:CalendarSharingFreeBusyDetail, ContactsSharing"),
# as {"domain", "actions"} objects with the action names lower-cased.
sharing_rules(policy) := [{"domain": trim_space(substring(entry, 0, i)), "actions": actions} |
	some entry in strings(policy, "Domains")
	i := indexof(entry, ":")
	i > 0
	actions := {lower(trim_space(a)) | some a in split(substring(entry, i + 1, -1), ","); trim_space(a) != ""}
]

# The actions a sharing policy grants to all external domains ("*").
all_domain_actions(policy) := {a | some r in sharing_rules(policy); r.domain == "*"; some a in r.actions}
