# Conditional Access helpers shared by the Entra ID checks.
#
# The snapshot key KEY holds every conditionalAccessPolicy object exactly as
# Microsoft Graph v1.0 returns them (GET /identity/conditionalAccess/policies).
#
# A check that wants "an enabled policy that applies to everyone and does X" selects the
# policies related to X, computes each one's *gaps* (why it does not meet the
# requirement: report-only, exclusions, narrowing conditions, wrong grant) and hands the
# result to `evaluate`, which passes when at least one related policy has no gaps and
# otherwise fails listing the near misses as offenders.
package sspm.lib.ca

import data.sspm.lib.result as res

KEY := "graph:/v1.0/identity/conditionalAccess/policies"

# Every CA policy object of the snapshot. Check `res.unavailable([[KEY, "array"]])` first.
policies := [p | some p in res.array_at(KEY); is_object(p)]

policy_id(p) := res.get(p, ["id"], "") if {
	is_string(res.get(p, ["id"], ""))
} else := ""

policy_name(p) := n if {
	n := res.get(p, ["displayName"], "")
	is_string(n)
	n != ""
} else := policy_id(p)

enabled(p) if p.state == "enabled"

includes_all_users(p) if "All" in res.strings(p, ["conditions", "users", "includeUsers"])

includes_all_apps(p) if "All" in res.list(p, ["conditions", "applications", "includeApplications"])

built_in_controls(p) := res.strings(p, ["grantControls", "builtInControls"])

client_app_types(p) := res.strings(p, ["conditions", "clientAppTypes"])

blocks(p) if "block" in built_in_controls(p)

# --- Gaps -------------------------------------------------------------------------
# Each *_gaps function returns an array of short phrases ("is report-only",
# "excludes 2 groups"), empty when the policy is fine in that respect.

# Why `p` does not apply to every user, every resource and every sign-in. `allowed` is
# the set of conditions the check itself relies on (e.g. {"userRiskLevels"}); any other
# configured condition narrows the policy and is a gap.
scope_gaps(p, allowed) := array.concat(
	array.concat(state_gaps(p), user_gaps(p)),
	array.concat(app_gaps(p), [g | some c, g in condition_gaps(p); not c in allowed]),
)

state_gaps(p) := [] if {
	enabled(p)
} else := ["is report-only (enabledForReportingButNotEnforced)"] if {
	p.state == "enabledForReportingButNotEnforced"
} else := ["is disabled"] if {
	p.state == "disabled"
} else := [sprintf("has state '%v' instead of 'enabled'", [res.get(p, ["state"], "missing")])]

user_gaps(p) := array.concat(
	[g | not includes_all_users(p); g := "does not include all users"],
	[g |
		some f in _user_exclusions
		n := count(res.list(p, ["conditions", "users", f[0]]))
		n > 0
		g := sprintf("excludes %s", [res.plural(n, f[1])])
	],
)

# The exclusion lists of conditionalAccessUsers, with the word for one entry.
_user_exclusions := [["excludeUsers", "user"], ["excludeGroups", "group"], ["excludeRoles", "directory role"]]

# excludeGuestsOrExternalUsers is an object when guests or external users are excluded
# and null otherwise.
_guest_exclusion_gaps(p) := ["excludes guests or external users"] if {
	is_object(res.get(p, ["conditions", "users", "excludeGuestsOrExternalUsers"], null))
} else := []

app_gaps(p) := array.concat(
	array.concat(
		_guest_exclusion_gaps(p),
		[g | not includes_all_apps(p); g := "does not target all resources (includeApplications is not All)"],
	),
	array.concat(
		[g |
			n := count(res.list(p, ["conditions", "applications", "excludeApplications"]))
			n > 0
			g := sprintf("excludes %s", [res.plural(n, "application")])
		],
		[g |
			is_object(res.get(p, ["conditions", "applications", "applicationFilter"], null))
			g := "is limited by an application filter"
		],
	),
)

# Conditions that narrow a policy to some sign-ins, keyed by the conditionalAccessConditionSet
# property name. A condition that is not configured (null or empty) is absent.
condition_gaps(p) := {c: g | some c in _conditions; g := _condition_gap(p, c)}

_conditions := [
	"userRiskLevels", "signInRiskLevels", "servicePrincipalRiskLevels", "insiderRiskLevels",
	"clientAppTypes", "platforms", "locations", "devices", "authenticationFlows", "clientApplications",
]

_condition_gap(p, "userRiskLevels") := sprintf("applies only at user risk levels %s", [concat(", ", l)]) if {
	l := res.strings(p, ["conditions", "userRiskLevels"])
	count(l) > 0
}

_condition_gap(p, "signInRiskLevels") := sprintf("applies only at sign-in risk levels %s", [concat(", ", l)]) if {
	l := res.strings(p, ["conditions", "signInRiskLevels"])
	count(l) > 0
}

_condition_gap(p, "servicePrincipalRiskLevels") := "applies only to risky service principals" if {
	count(res.list(p, ["conditions", "servicePrincipalRiskLevels"])) > 0
}

_condition_gap(p, "insiderRiskLevels") := sprintf("applies only at insider risk levels %v", [l]) if {
	l := res.get(p, ["conditions", "insiderRiskLevels"], "")
	l != ""
}

# clientAppTypes: "all" (or not configured) covers every client.
_condition_gap(p, "clientAppTypes") := sprintf("applies only to client app types %s", [concat(", ", l)]) if {
	l := client_app_types(p)
	count(l) > 0
	not "all" in l
}

_condition_gap(p, "platforms") := "is limited to some device platforms" if {
	pl := res.get(p, ["conditions", "platforms"], null)
	is_object(pl)
	_narrows(pl, "includePlatforms", "excludePlatforms", "all")
}

_condition_gap(p, "locations") := "is limited by network location" if {
	loc := res.get(p, ["conditions", "locations"], null)
	is_object(loc)
	_narrows(loc, "includeLocations", "excludeLocations", "All")
}

_condition_gap(p, "devices") := "is limited by a device filter" if {
	d := res.get(p, ["conditions", "devices"], null)
	is_object(d)
	_device_condition(d)
}

_condition_gap(p, "authenticationFlows") := sprintf("applies only to the authentication flows %v", [t]) if {
	t := res.get(p, ["conditions", "authenticationFlows", "transferMethods"], "")
	t != ""
}

_condition_gap(p, "clientApplications") := "targets workload identities (service principals), not users" if {
	capp := res.get(p, ["conditions", "clientApplications"], null)
	is_object(capp)
	_workload_condition(capp)
}

# An include/exclude pair narrows unless it includes everything and excludes nothing.
_narrows(obj, inc, _, everything) if not everything in res.list(obj, [inc])

_narrows(obj, _, exc, _) if count(res.list(obj, [exc])) > 0

_device_condition(d) if is_object(res.get(d, ["deviceFilter"], null))

_device_condition(d) if count(res.list(d, ["includeDevices"])) > 0

_device_condition(d) if count(res.list(d, ["excludeDevices"])) > 0

_workload_condition(ca) if count(res.list(ca, ["includeServicePrincipals"])) > 0

_workload_condition(ca) if is_object(res.get(ca, ["servicePrincipalFilter"], null))

# --- Grant controls ----------------------------------------------------------------

block_gaps(p) := [] if {
	blocks(p)
} else := [sprintf("does not block access (grant controls: %s)", [_controls_text(p)])]

_controls_text(p) := concat(", ", _controls(p)) if {
	count(_controls(p)) > 0
} else := "none"

_controls(p) := array.concat(
	built_in_controls(p),
	array.concat(
		[sprintf("authentication strength '%v'", [res.get(s, ["displayName"], res.get(s, ["id"], "?"))]) | s := strength(p)],
		array.concat(
			res.strings(p, ["grantControls", "customAuthenticationFactors"]),
			[t | count(res.list(p, ["grantControls", "termsOfUse"])) > 0; t := "terms of use"],
		),
	),
)

# The authentication strength of the grant, when the policy requires one. Graph returns
# it inline as an authenticationStrengthPolicy object.
strength(p) := s if {
	s := res.get(p, ["grantControls", "authenticationStrength"], null)
	is_object(s)
}

# An authentication strength satisfies MFA unless Graph says it does not
# (requirementsSatisfied "none").
strength_is_mfa(p) if {
	s := strength(p)
	res.get(s, ["requirementsSatisfied"], "mfa") != "none"
}

# The grant includes an MFA control: "mfa" or an MFA authentication strength.
mfa_control(p) if "mfa" in built_in_controls(p)

mfa_control(p) if strength_is_mfa(p)

# Controls that satisfy the grant without MFA when the operator is OR.
_alternatives(p) := array.concat(
	[c | some c in built_in_controls(p); c != "mfa"],
	array.concat(
		res.strings(p, ["grantControls", "customAuthenticationFactors"]),
		[t | count(res.list(p, ["grantControls", "termsOfUse"])) > 0; t := "terms of use"],
	),
)

# With operator OR ("require one of the selected controls") any alternative control
# lets a user in without MFA. A missing operator is read as OR (the weaker one).
_mfa_bypassable(p) if {
	_operator(p) == "OR"
	count(_alternatives(p)) > 0
}

_operator(p) := upper(op) if {
	op := res.get(p, ["grantControls", "operator"], "OR")
	is_string(op)
} else := "OR"

requires_mfa(p) if {
	mfa_control(p)
	not _mfa_bypassable(p)
}

mfa_gaps(p) := [] if {
	requires_mfa(p)
} else := [sprintf("lets users in with %s instead of MFA (operator OR)", [concat(" or ", _alternatives(p))])] if {
	mfa_control(p)
} else := [sprintf("uses authentication strength '%v', which does not satisfy MFA", [res.get(strength(p), ["displayName"], "?")])] if {
	strength(p)
} else := [sprintf("does not require multifactor authentication (grant controls: %s)", [_controls_text(p)])]

# --- Risk-based policies -------------------------------------------------------------

# True when the policy uses a risk condition (`field` is "userRiskLevels" or
# "signInRiskLevels") at all.
uses_risk_condition(p, field) if count(res.list(p, ["conditions", field])) > 0

# Gaps of a policy meant to block `field` level high; `word` names the risk for
# humans ("user risk").
high_risk_block_gaps(p, field, word) := array.concat(
	scope_gaps(p, {field}),
	array.concat(_high_level_gaps(p, field, word), block_gaps(p)),
)

_high_level_gaps(p, field, word) := [] if {
	"high" in res.strings(p, ["conditions", field])
} else := [sprintf("does not include %s level high (only %s)", [word, concat(", ", res.strings(p, ["conditions", field]))])]

# --- Evaluation --------------------------------------------------------------------

# One assessed policy: its id, name and gaps (empty when it meets the requirement).
assessed(p, gaps) := {"id": policy_id(p), "name": policy_name(p), "gaps": gaps}

# The result of a "some enabled CA policy must do X" check.
#   assessed_set: set of assessed(...) objects for the policies related to X
#   text.met:     "Legacy authentication is blocked for all users ..." (pass reason)
#   text.unmet:   "no enabled conditional access policy blocks legacy authentication ..."
#   text.related: "policy targets legacy authentication clients" (for "no ... at all")
evaluate(assessed_set, text) := res.pass(sprintf("%s by %s %s", [text.met, _policy_word(count(ok)), res.name_list(ok, 5)])) if {
	ok := {a.name | some a in assessed_set; count(a.gaps) == 0}
	count(ok) > 0
} else := res.fail(sprintf("%s. No conditional access %s", [text.unmet, text.related]), []) if {
	count(assessed_set) == 0
} else := res.fail(
	sprintf("%s. %s fall%s short: %s", [
		text.unmet,
		_related_word(count(assessed_set)),
		_verb_s(count(assessed_set)),
		_near_miss_text(assessed_set),
	]),
	{{"type": "conditionalAccessPolicy", "id": a.id, "name": a.name} | some a in assessed_set},
)

_policy_word(1) := "conditional access policy"

_policy_word(n) := "conditional access policies" if n != 1

_related_word(1) := "The related policy"

_related_word(n) := sprintf("%d related policies", [n]) if n != 1

_verb_s(1) := "s"

_verb_s(n) := "" if n != 1

_near_miss_text(assessed_set) := concat("; ", [s | some a in _first(assessed_set, 5); s := sprintf("'%s' %s", [a.name, concat(", ", a.gaps)])]) if {
	count(assessed_set) <= 5
} else := sprintf("%s; and %d more", [
	concat("; ", [s | some a in _first(assessed_set, 5); s := sprintf("'%s' %s", [a.name, concat(", ", a.gaps)])]),
	count(assessed_set) - 5,
])

# The first n assessed policies, ordered by name then id.
_first(s, n) := array.slice([x[2] | some x in {[a.name, a.id, a] | some a in s}], 0, n)

# --- Phishing-resistant MFA --------------------------------------------------------

# The authentication methods (allowedCombinations values) that CISA SCuBA accepts as
# phishing-resistant: Windows Hello for Business, FIDO2 security keys / passkeys and
# multifactor certificate-based authentication.
PHISHING_RESISTANT := {"windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"}

# The allowedCombinations of the policy's authentication strength ([] without one).
strength_combinations(p) := res.strings(s, ["allowedCombinations"]) if {
	s := strength(p)
} else := []

_strength_name(p) := res.get(strength(p), ["displayName"], res.get(strength(p), ["id"], "?")) if {
	strength(p)
} else := "?"

# Every other control that satisfies the grant instead of the authentication strength
# when the operator is OR (including the built-in "mfa").
_strength_alternatives(p) := array.concat(
	built_in_controls(p),
	array.concat(
		res.strings(p, ["grantControls", "customAuthenticationFactors"]),
		[t | count(res.list(p, ["grantControls", "termsOfUse"])) > 0; t := "terms of use"],
	),
)

_weak_combinations(p) := {c | some c in strength_combinations(p); not c in PHISHING_RESISTANT}

# Why the grant of `p` does not require phishing-resistant MFA; [] when it does.
phishing_resistant_gaps(p) := [sprintf("does not require an authentication strength (grant controls: %s)", [_controls_text(p)])] if {
	not strength(p)
} else := [sprintf("uses authentication strength '%v', whose allowed combinations are not in the snapshot", [_strength_name(p)])] if {
	count(strength_combinations(p)) == 0
} else := [sprintf("uses authentication strength '%v', which also allows methods that are not phishing-resistant (%s)", [
	_strength_name(p),
	res.name_list(sort([c | some c in _weak_combinations(p)]), 4),
])] if {
	count(_weak_combinations(p)) > 0
} else := [sprintf("lets users in with %s instead of the authentication strength (operator OR)", [concat(" or ", _strength_alternatives(p))])] if {
	_operator(p) == "OR"
	count(_strength_alternatives(p)) > 0
} else := []

# --- Managed devices ---------------------------------------------------------------

# Grant controls that require a managed device: compliant (Intune) or Microsoft Entra
# hybrid joined.
MANAGED_DEVICE_CONTROLS := {"compliantDevice", "domainJoinedDevice"}

_managed_control(p) if {
	some c in built_in_controls(p)
	c in MANAGED_DEVICE_CONTROLS
}

# Controls that satisfy the grant without a managed device when the operator is OR.
_device_alternatives(p) := array.concat(
	[c | some c in built_in_controls(p); not c in MANAGED_DEVICE_CONTROLS],
	array.concat(
		[sprintf("authentication strength '%v'", [_strength_name(p)]) | strength(p)],
		array.concat(
			res.strings(p, ["grantControls", "customAuthenticationFactors"]),
			[t | count(res.list(p, ["grantControls", "termsOfUse"])) > 0; t := "terms of use"],
		),
	),
)

# Why the grant of `p` does not require a managed device; [] when it does.
managed_device_gaps(p) := [sprintf("does not require a compliant or Microsoft Entra hybrid joined device (grant controls: %s)", [_controls_text(p)])] if {
	not _managed_control(p)
} else := [sprintf("lets users in with %s instead of a managed device (operator OR)", [concat(" or ", _device_alternatives(p))])] if {
	_operator(p) == "OR"
	count(_device_alternatives(p)) > 0
} else := []

# --- Other scopes ------------------------------------------------------------------

# The user/group/role exclusions of `p` as gaps (as in user_gaps, without the All-users
# requirement).
exclusion_gaps(p) := array.concat(
	[g |
		some f in _user_exclusions
		n := count(res.list(p, ["conditions", "users", f[0]]))
		n > 0
		g := sprintf("excludes %s", [res.plural(n, f[1])])
	],
	_guest_exclusion_gaps(p),
)

# Gaps of a policy meant to cover every role of `required` (an object: role template id ->
# name) on all resources. includeUsers "All" covers every role.
role_scope_gaps(p, required) := array.concat(
	array.concat(state_gaps(p), _missing_role_gaps(p, required)),
	array.concat(
		exclusion_gaps(p),
		array.concat(
			[g | some g in app_gaps(p); g != "excludes guests or external users"],
			[g | some _, g in condition_gaps(p)],
		),
	),
)

included_roles(p) := {lower(r) | some r in res.strings(p, ["conditions", "users", "includeRoles"])}

_missing_role_gaps(p, required) := [] if {
	count(missing_roles(p, required)) == 0
} else := gaps if {
	m := missing_roles(p, required)
	gaps := [sprintf("does not include %s: %s", [
		res.plural(count(m), "required role"),
		concat(", ", sort([n | some _, n in m])),
	])]
}

# The roles of `required` (template id -> name) that `p` does not include ({} when the
# policy includes all users).
missing_roles(p, required) := {} if {
	includes_all_users(p)
} else := m if {
	inc := included_roles(p)
	m := {t: n | some t, n in required; not t in inc}
}

# Gaps of a policy meant to apply to every user when they perform the user action
# `action` (e.g. "urn:user:registersecurityinfo").
user_action_scope_gaps(p, action) := array.concat(
	array.concat(state_gaps(p), user_gaps(p)),
	array.concat(
		_guest_exclusion_gaps(p),
		array.concat(
			[g |
				not action in res.strings(p, ["conditions", "applications", "includeUserActions"])
				g := sprintf("does not target the user action %s", [action])
			],
			[g | some _, g in condition_gaps(p)],
		),
	),
)

# --- Session controls --------------------------------------------------------------

_sign_in_frequency(p) := f if {
	f := res.get(p, ["sessionControls", "signInFrequency"], null)
	is_object(f)
	f.isEnabled == true
}

_hours_per_unit := {"hours": 1, "days": 24}

# Why the policy does not force re-authentication at least every `max_hours` hours; [] when
# it does (periodic within the limit, or frequencyInterval "everyTime").
sign_in_frequency_gaps(p, max_hours) := ["does not set a sign-in frequency (sessionControls.signInFrequency)"] if {
	not _sign_in_frequency(p)
} else := [] if {
	_sign_in_frequency(p).frequencyInterval == "everyTime"
} else := [sprintf("sets a sign-in frequency that cannot be read (value %v, type %v)", [
	res.get(_sign_in_frequency(p), ["value"], "missing"),
	res.get(_sign_in_frequency(p), ["type"], "missing"),
])] if {
	not _frequency_hours(p)
} else := [sprintf("asks for sign-in only every %v %s (more than %d hours)", [
	_sign_in_frequency(p).value,
	_sign_in_frequency(p).type,
	max_hours,
])] if {
	_frequency_hours(p) > max_hours
} else := []

_frequency_hours(p) := h if {
	f := _sign_in_frequency(p)
	is_number(f.value)
	h := f.value * _hours_per_unit[f.type]
}

# Why browser sessions of `p` can persist; [] when the policy sets "never persistent".
persistent_browser_gaps(p) := [] if {
	b := res.get(p, ["sessionControls", "persistentBrowser"], null)
	is_object(b)
	b.isEnabled == true
	b.mode == "never"
} else := ["does not set the persistent browser session to never persistent (sessionControls.persistentBrowser)"]
