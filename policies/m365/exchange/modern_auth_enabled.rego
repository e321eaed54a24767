# CIS 6.5.1: modern authentication for Exchange Online is enabled.
#
# Reads Get-OrganizationConfig; passes when OAuth2ClientProfileEnabled is true.
package sspm.m365.exchange.modern_auth_enabled

import data.sspm.lib.exo
import data.sspm.lib.result as res

KEY := "exo:Get-OrganizationConfig"

result := r if {
	r := res.unavailable([[KEY, "array"]])
} else := r if {
	r := exo.no_object(KEY)
} else := r if {
	r := exo.bad_bool(KEY, "OAuth2ClientProfileEnabled")
} else := res.pass("Modern authentication is enabled for Exchange Online (OAuth2ClientProfileEnabled is true)") if {
	exo.is_true(exo.single(KEY).OAuth2ClientProfileEnabled)
} else := res.fail("Modern authentication is disabled for Exchange Online (OAuth2ClientProfileEnabled is false): Outlook clients fall back to basic authentication prompts that cannot enforce MFA or Conditional Access", [])
