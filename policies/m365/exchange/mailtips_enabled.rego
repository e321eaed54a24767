# CIS 6.5.2: MailTips are enabled for end users.
#
# Reads Get-OrganizationConfig; passes when MailTipsAllTipsEnabled,
# MailTipsExternalRecipientsTipsEnabled and MailTipsGroupMetricsEnabled are all true.
package sspm.m365.exchange.mailtips_enabled

import data.sspm.lib.exo
import data.sspm.lib.result as res

KEY := "exo:Get-OrganizationConfig"

PROPS := ["MailTipsAllTipsEnabled", "MailTipsExternalRecipientsTipsEnabled", "MailTipsGroupMetricsEnabled"]

_org := exo.single(KEY)

_bad := [r | some p in PROPS; r := exo.bad_bool(KEY, p)]

_off := [p | some p in PROPS; exo.is_false(exo.prop(_org, p))]

_threshold := sprintf("; the large-audience threshold (MailTipsLargeAudienceThreshold) is %v recipients", [t]) if {
	t := exo.prop(_org, "MailTipsLargeAudienceThreshold")
	is_number(t)
} else := ""

result := r if {
	r := res.unavailable([[KEY, "array"]])
} else := r if {
	r := exo.no_object(KEY)
} else := _bad[0] if {
	count(_bad) > 0
} else := res.pass(sprintf("MailTips are on, including tips for external recipients and group metrics%s", [_threshold])) if {
	count(_off) == 0
} else := res.fail(sprintf("MailTips are not fully enabled: %s %s false%s", [concat(", ", _off), _verb(count(_off)), _threshold]), [])

_verb(1) := "is"

_verb(n) := "are" if n != 1
