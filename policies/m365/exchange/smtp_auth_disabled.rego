# MS.EXO.5.1v1 / CIS 6.5.4: SMTP AUTH SHALL be disabled.
#
# Reads Get-TransportConfig; passes when SmtpClientAuthenticationDisabled is true.
package sspm.m365.exchange.smtp_auth_disabled

import data.sspm.lib.exo
import data.sspm.lib.result as res

KEY := "exo:Get-TransportConfig"

result := r if {
	r := res.unavailable([[KEY, "array"]])
} else := r if {
	r := exo.no_object(KEY)
} else := r if {
	r := exo.bad_bool(KEY, "SmtpClientAuthenticationDisabled")
} else := res.pass("Authenticated SMTP client submission (SMTP AUTH) is turned off for the organisation (SmtpClientAuthenticationDisabled is true)") if {
	exo.is_true(exo.single(KEY).SmtpClientAuthenticationDisabled)
} else := res.fail("Authenticated SMTP client submission (SMTP AUTH) is allowed for the organisation (SmtpClientAuthenticationDisabled is false): SMTP AUTH uses basic authentication and cannot enforce MFA", [])
