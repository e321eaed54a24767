# CIS 1.3.6: the customer lockbox feature is enabled.
#
# Reads Get-OrganizationConfig; passes when CustomerLockBoxEnabled is true.
package sspm.m365.exchange.customer_lockbox_enabled

import data.sspm.lib.exo
import data.sspm.lib.result as res

KEY := "exo:Get-OrganizationConfig"

result := r if {
	r := res.unavailable([[KEY, "array"]])
} else := r if {
	r := exo.no_object(KEY)
} else := r if {
	r := exo.bad_bool(KEY, "CustomerLockBoxEnabled")
} else := res.pass("Customer Lockbox is enabled (CustomerLockBoxEnabled is true): Microsoft engineers need your approval before accessing tenant content") if {
	exo.is_true(exo.single(KEY).CustomerLockBoxEnabled)
} else := res.fail("Customer Lockbox is disabled (CustomerLockBoxEnabled is false): Microsoft support engineers can be granted access to mailbox and file content without your explicit approval", [])
