# MS.SHAREPOINT.1.3v1 / CIS 7.2.6: external sharing SHALL be restricted to approved
# external domains.
#
# Reads the Graph sharepointSettings object. Not applicable when sharingCapability is
# disabled (no external sharing). Otherwise passes when sharingDomainRestrictionMode is
# allowList with at least one domain in sharingAllowedDomainList.
package sspm.m365.sharepoint.sharing_domain_allow_list

import data.sspm.lib.result as res

KEY := "graph:/v1.0/admin/sharepoint/settings"

_settings := res.object_at(KEY)

_mode := object.get(_settings, "sharingDomainRestrictionMode", "")

_allowed := res.strings(_settings, ["sharingAllowedDomainList"])

_blocked := res.strings(_settings, ["sharingBlockedDomainList"])

result := r if {
	r := res.unavailable([[KEY, "object"]])
} else := r if {
	r := res.bad_field(KEY, ["sharingCapability"], "string")
} else := res.not_applicable("External sharing is turned off (sharingCapability is disabled), so there is nothing to restrict by domain") if {
	_settings.sharingCapability == "disabled"
} else := r if {
	r := res.bad_field(KEY, ["sharingDomainRestrictionMode"], "string")
} else := res.pass(sprintf("External sharing is limited to %s: %s", [res.plural(count(_allowed), "approved domain"), res.name_list(_allowed, 5)])) if {
	_mode == "allowList"
	count(_allowed) > 0
} else := res.fail("sharingDomainRestrictionMode is allowList but sharingAllowedDomainList is empty", []) if {
	_mode == "allowList"
} else := res.fail(sprintf("External sharing uses a block list of %s instead of an allow list of approved domains (sharingDomainRestrictionMode is blockList): sharing with every other domain is allowed", [res.plural(count(_blocked), "domain")]), []) if {
	_mode == "blockList"
} else := res.fail(sprintf("External sharing is not restricted by domain (sharingDomainRestrictionMode is %s): users can share with any external domain", [_mode]), [])
