# The tenant's baseline identity protection comes from exactly one source: security
# defaults, or Conditional Access.
#
# Reads identitySecurityDefaultsEnforcementPolicy.isEnabled and counts the enabled
# (state "enabled") conditional access policies:
#   security defaults off, Conditional Access in use   -> pass
#   security defaults on, no enabled CA policy         -> pass (baseline MFA from defaults)
#   security defaults off, no enabled CA policy        -> fail (no baseline protection)
#   security defaults on and enabled CA policies       -> fail (conflicting configuration)
package sspm.m365.entra.security_defaults_or_conditional_access

import data.sspm.lib.ca
import data.sspm.lib.result as res

KEY := "graph:/v1.0/policies/identitySecurityDefaultsEnforcementPolicy"

_defaults := res.object_at(KEY)

_enabled := [p | some p in ca.policies; ca.enabled(p)]

_n := count(_enabled)

_report_only := count([p | some p in ca.policies; p.state == "enabledForReportingButNotEnforced"])

_report_only_note := "" if {
	_report_only == 0
} else := sprintf(" (%s in report-only mode enforce nothing)", [res.plural(_report_only, "policy")])

_defaults_offender := {"type": "identitySecurityDefaultsEnforcementPolicy", "id": res.get(_defaults, ["id"], "identitySecurityDefaultsEnforcementPolicy"), "name": "Security defaults"}

result := r if {
	r := res.unavailable([[KEY, "object"], [ca.KEY, "array"]])
} else := r if {
	r := res.bad_field(KEY, ["isEnabled"], "boolean")
} else := res.fail(sprintf("Security defaults are disabled and no conditional access policy is enabled%s: nothing enforces MFA or blocks legacy authentication for the tenant", [_report_only_note]), [_defaults_offender]) if {
	_defaults.isEnabled == false
	_n == 0
} else := res.fail(sprintf("Security defaults are enabled while %s also enabled; use one model: turn security defaults off and rely on Conditional Access", [_policies_are(_n)]), [_defaults_offender]) if {
	_defaults.isEnabled == true
	_n > 0
} else := res.pass("Security defaults are enabled and no conditional access policy is enabled: the tenant relies on security defaults for baseline MFA and legacy authentication blocking") if {
	_defaults.isEnabled == true
} else := res.pass(sprintf("Security defaults are disabled and %s enabled: the tenant relies on Conditional Access", [_policies_are(_n)]))

_policies_are(1) := "1 conditional access policy is"

_policies_are(n) := sprintf("%d conditional access policies are", [n]) if n != 1
