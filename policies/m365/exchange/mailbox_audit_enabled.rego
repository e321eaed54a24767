# MS.EXO.13.1v1 / CIS 6.1.1: mailbox auditing SHALL be enabled (organisation-wide
# AuditDisabled is False).
#
# Reads Get-OrganizationConfig; passes when AuditDisabled is false.
package sspm.m365.exchange.mailbox_audit_enabled

import data.sspm.lib.exo
import data.sspm.lib.result as res

KEY := "exo:Get-OrganizationConfig"

result := r if {
	r := res.unavailable([[KEY, "array"]])
} else := r if {
	r := exo.no_object(KEY)
} else := r if {
	r := exo.bad_bool(KEY, "AuditDisabled")
} else := res.pass("Mailbox auditing is on by default for the organisation (AuditDisabled is false)") if {
	exo.is_false(exo.single(KEY).AuditDisabled)
} else := res.fail("Mailbox auditing is turned off for the whole organisation (AuditDisabled is true): mailbox access by owners, delegates and administrators is not logged", [])
