# CIS 6.5.3: additional storage providers are restricted in Outlook on the web.
#
# Reads Get-OwaMailboxPolicy; every policy must have AdditionalStorageProvidersAvailable
# false. Each policy that allows them is an offender.
package sspm.m365.exchange.owa_storage_providers_restricted

import data.sspm.lib.exo
import data.sspm.lib.result as res

KEY := "exo:Get-OwaMailboxPolicy"

PROP := "AdditionalStorageProvidersAvailable"

_policies := exo.objects(KEY)

_open := [p | some p in _policies; exo.is_true(exo.prop(p, PROP))]

result := r if {
	r := res.unavailable([[KEY, "array"]])
} else := r if {
	r := exo.no_object(KEY)
} else := r if {
	r := exo.bad_bool_any(KEY, PROP)
} else := object.union(
	res.fail(sprintf("Outlook on the web lets users open and save attachments in third-party storage (AdditionalStorageProvidersAvailable is true) in %s: %s", [
		exo.policy_count(count(_open), "OWA mailbox"),
		exo.names(_open),
	]), [exo.offender(p, "policy") | some p in _open]),
	{"compliant": count(_policies) - count(_open), "total": count(_policies)},
) if {
	count(_open) > 0
} else := object.union(
	res.pass(sprintf("Additional storage providers are turned off in %s (AdditionalStorageProvidersAvailable is false)", [_all(count(_policies))])),
	{"compliant": count(_policies), "total": count(_policies)},
)

_all(1) := "the only OWA mailbox policy"

_all(n) := sprintf("all %d OWA mailbox policies", [n]) if n != 1
