# Share of enabled member users registered for MFA (CIS "Ensure all member users are
# 'MFA capable'"); proportional scoring.
#
# Reads the authentication methods registration report (userRegistrationDetails): total =
# member users (userType "member"), compliant = those with isMfaRegistered true. The
# report has no accountEnabled field: when the snapshot also holds graph:/v1.0/users, the
# users with accountEnabled false are left out; otherwise every member counts. Linear:
# the set of disabled user ids is built once and each report row is a set lookup.
package sspm.m365.entra.mfa_registration_coverage

import data.sspm.lib.result as res

KEY := "graph:/v1.0/reports/authenticationMethods/userRegistrationDetails"

USERS := "graph:/v1.0/users"

# Hot paths over up to ~10^5 rows use plain references and no user-defined function
# calls (a reference into a non-object is simply undefined, which skips the row).
_disabled := {u.id | some u in res.array_at(USERS); u.accountEnabled == false}

_rows := res.array_at(KEY)

# Every pass over the rows costs ~1 µs per row in the interpreter; keep them few.
_member_rows := [d |
	some d in _rows
	d.userType == "member"
	d.id != ""
]

_members := _member_rows if {
	count(_disabled) == 0
} else := [d |
	some d in _member_rows
	not d.id in _disabled
]

_unregistered := [{"type": "user", "id": d.id, "name": name} |
	some d in _members
	not d.isMfaRegistered == true
	name := object.get(d, "userPrincipalName", d.id)
]

_total := count(_members)

_compliant := _total - count(_unregistered)

# How disabled accounts were handled, for the reason.
_scope_note := sprintf("; %s excluded using %s", [res.plural(_excluded, "disabled account"), USERS]) if {
	res.has(USERS, "array")
	_excluded := count(_member_rows) - count(_members)
} else := sprintf("; %s is malformed, so disabled accounts are counted", [USERS]) if {
	res.problem(USERS, "array")
	res.present(USERS)
} else := sprintf("; %s is not in the snapshot, so disabled accounts are counted", [USERS])

# Rounded down to one decimal, so that 1999 of 2000 reads 99.9% and not 100.0%.
_percent := sprintf("%d.%d%%", [floor(permille / 10), permille % 10]) if {
	_total > 0
	permille := floor((_compliant * 1000) / _total)
} else := "0.0%"

result := r if {
	r := res.unavailable([[KEY, "array"]])
} else := res.not_applicable(sprintf("The registration report has no enabled member users%s", [_scope_note])) if {
	_total == 0
} else := object.union(
	res.pass(sprintf("All %d enabled member users are registered for MFA%s", [_total, _scope_note])),
	{"compliant": _compliant, "total": _total},
) if {
	_compliant == _total
} else := {
	"status": "fail",
	"reason": sprintf("%d of %d enabled member users (%s) are registered for MFA; %d are not%s.", [
		_compliant,
		_total,
		_percent,
		count(_unregistered),
		_scope_note,
	]),
	"offenders": _unregistered,
	"compliant": _compliant,
	"total": _total,
}
