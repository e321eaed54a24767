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

# Every list here grows with the tenant, so it is filtered with sspm.select (one pass,
# in Rust) rather than comprehensions (about a microsecond per row and pass).
_disabled := sspm.values(sspm.select(res.array_at(USERS), [["accountEnabled", "==", false]]), "id")

_rows := res.array_at(KEY)

_member_rows := sspm.select(_rows, [["userType", "==", "member"], ["id", "exists"]])

_members := sspm.select(_member_rows, [["id", "not in", _disabled]])

_unregistered_rows := sspm.select(_members, [["isMfaRegistered", "!=", true]])

_unregistered := sspm.offenders(_unregistered_rows, "user", "id", "userPrincipalName")

_total := count(_members)

_compliant := _total - count(_unregistered_rows)

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
