# MS.AAD.5.3v1: an admin consent workflow SHALL be configured for applications.
#
# Passes when adminConsentRequestPolicy.isEnabled is true and the policy names at least one
# reviewer; an enabled workflow without reviewers cannot approve anything and fails.
package sspm.m365.entra.admin_consent_workflow

import data.sspm.lib.result as res

KEY := "graph:/v1.0/policies/adminConsentRequestPolicy"

_policy := res.object_at(KEY)

_reviewers := res.list(_policy, ["reviewers"])

result := r if {
	r := res.unavailable([[KEY, "object"]])
} else := r if {
	r := res.bad_field(KEY, ["isEnabled"], "boolean")
} else := res.fail("The admin consent workflow is disabled (isEnabled is false): users who cannot consent to an application have no way to ask an administrator to review it", []) if {
	_policy.isEnabled == false
} else := res.fail("The admin consent workflow is enabled but has no reviewers, so requests cannot be approved or denied", []) if {
	count(_reviewers) == 0
} else := res.pass(sprintf("The admin consent workflow is enabled with %s%s", [
	res.plural(count(_reviewers), "reviewer scope"),
	_notify_text,
]))

_notify_text := "; reviewers are notified of new requests" if {
	_policy.notifyReviewers == true
} else := "; reviewers are not notified by email (notifyReviewers is false)"
