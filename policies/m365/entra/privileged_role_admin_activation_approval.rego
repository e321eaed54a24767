# CIS 5.3.5: approval is required for Privileged Role Administrator activation.
#
# Reads the directory-scope PIM role management policy of the role (policy assignment with
# the policy's rules expanded): the rule "Approval_EndUser_Assignment" must have
# setting.isApprovalRequired true. A role without a policy in the snapshot fails, because
# nothing shows that approval is required.
package sspm.m365.entra.privileged_role_admin_activation_approval

import data.sspm.lib.result as res
import data.sspm.lib.roles

ROLE := roles.PRIVILEGED_ROLE_ADMINISTRATOR

result := r if {
	r := res.unavailable([[roles.POLICY_ASSIGNMENTS, "array"]])
} else := res.fail(sprintf("Eligible users can activate the Privileged Role Administrator role without approval: %s", [roles.approval_gap(ROLE)]), [roles.policy_offender(ROLE)]) if {
	roles.approval_gap(ROLE)
} else := res.pass(sprintf("Activating the Privileged Role Administrator role requires approval%s", [_approvers_text]))

_approvers := [a |
	some stage in res.list(roles.rule(ROLE, "Approval_EndUser_Assignment"), ["setting", "approvalStages"])
	some a in res.list(stage, ["primaryApprovers"])
]

_approvers_text := sprintf(" by %s", [res.plural(count(_approvers), "named approver")]) if {
	count(_approvers) > 0
} else := "; the policy names no approvers, so PIM uses its default approvers"
