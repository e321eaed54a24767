# MFA is required to reach Azure management and the Microsoft admin portals.
#
# Two targets must each be covered by an enabled conditional access policy that requires
# MFA (the built-in "mfa" control or an MFA authentication strength, without a non-MFA
# alternative under OR), has no user, group, role or guest exclusions and no narrowing
# conditions, and whose includeApplications contains the target or "All" (without
# excluding the target):
#   - Azure management, the Windows Azure Service Management API application
#     (797f4846-ba00-4fd7-ba43-dac1f8f63013), for all users;
#   - the Microsoft admin portals ("MicrosoftAdminPortals"), for all users or at least the
#     administrative roles that CIS lists.
package sspm.m365.entra.mfa_admin_portals

import data.sspm.lib.ca
import data.sspm.lib.result as res
import data.sspm.lib.roles

AZURE_MANAGEMENT := "797f4846-ba00-4fd7-ba43-dac1f8f63013"

ADMIN_PORTALS := "MicrosoftAdminPortals"

TARGETS := {
	AZURE_MANAGEMENT: "Azure management",
	ADMIN_PORTALS: "Microsoft admin portals",
}

_included(p) := {a | some a in res.strings(p, ["conditions", "applications", "includeApplications"])}

_excluded(p) := {a | some a in res.strings(p, ["conditions", "applications", "excludeApplications"])}

_covers(p, t) if {
	t in _included(p)
	not t in _excluded(p)
}

_covers(p, t) if {
	"All" in _included(p)
	not t in _excluded(p)
}

_mfa_related(p) if ca.mfa_control(p)

_mfa_related(p) if ca.strength(p)

_related(p) if {
	_mfa_related(p)
	some t, _ in TARGETS
	_covers(p, t)
}

_filter_gaps(p) := ["is limited by an application filter"] if {
	is_object(res.get(p, ["conditions", "applications", "applicationFilter"], null))
} else := []

_common_gaps(p) := array.concat(
	array.concat(ca.state_gaps(p), ca.exclusion_gaps(p)),
	array.concat(
		array.concat([g | some _, g in ca.condition_gaps(p)], _filter_gaps(p)),
		ca.mfa_gaps(p),
	),
)

_user_gaps(p, "797f4846-ba00-4fd7-ba43-dac1f8f63013") := [] if {
	ca.includes_all_users(p)
} else := ["does not include all users"]

_user_gaps(p, "MicrosoftAdminPortals") := [] if {
	count(ca.missing_roles(p, roles.CIS_ADMIN_ROLES)) == 0
} else := [sprintf("includes neither all users nor all administrative roles (missing %s)", [res.plural(count(ca.missing_roles(p, roles.CIS_ADMIN_ROLES)), "role")])]

_gaps(p, t) := array.concat(_user_gaps(p, t), _common_gaps(p))

_related_policies := [p | some p in ca.policies; _related(p)]

# target -> names of the policies that fully cover it.
_covered_by := {t: names |
	some t, _ in TARGETS
	names := {ca.policy_name(p) | some p in _related_policies; _covers(p, t); count(_gaps(p, t)) == 0}
}

_uncovered := {t | some t, _ in TARGETS; count(_covered_by[t]) == 0}

# For each uncovered target, why the related policies fall short.
_shortfalls := [s |
	some t in _uncovered
	near := [sprintf("'%s' %s", [ca.policy_name(p), concat(", ", _gaps(p, t))]) | some p in _related_policies; _covers(p, t)]
	s := _shortfall(TARGETS[t], near)
]

_shortfall(name, []) := sprintf("%s: no enabled policy requires MFA for it", [name])

_shortfall(name, near) := sprintf("%s: %s", [name, concat("; ", near)]) if count(near) > 0

_offenders := {{"type": "conditionalAccessPolicy", "id": ca.policy_id(p), "name": ca.policy_name(p)} |
	some p in _related_policies
	some t in _uncovered
	_covers(p, t)
}

result := r if {
	r := res.unavailable([[ca.KEY, "array"]])
} else := res.fail(sprintf("MFA is not required for %s without exclusions. %s", [
	concat(" and ", sort([TARGETS[t] | some t in _uncovered])),
	concat(". ", sort(_shortfalls)),
]), _offenders) if {
	count(_uncovered) > 0
} else := res.pass(sprintf("MFA is required for Azure management (by %s) and the Microsoft admin portals (by %s)", [
	res.name_list(sort([n | some n in _covered_by[AZURE_MANAGEMENT]]), 3),
	res.name_list(sort([n | some n in _covered_by[ADMIN_PORTALS]]), 3),
]))
