# MS.EXO.3.1v1 / CIS 2.1.9: DKIM SHOULD be enabled for all domains.
#
# Reads the verified custom domains that serve email (graph:/v1.0/domains: isVerified
# true, "Email" in supportedServices, not *.onmicrosoft.com, which Microsoft signs by
# default) and Get-DkimSigningConfig; each such domain must have a DKIM signing config
# (Domain, case-insensitive) with Enabled true. Each domain without one is an offender.
package sspm.m365.exchange.dkim_enabled_all_domains

import data.sspm.lib.exo
import data.sspm.lib.result as res

DOMAINS := "graph:/v1.0/domains"

KEY := "exo:Get-DkimSigningConfig"

_mail_domains := [lower(d.id) |
	some d in res.array_at(DOMAINS)
	is_object(d)
	is_string(d.id)
	d.isVerified == true
	"Email" in res.strings(d, ["supportedServices"])
	not endswith(lower(d.id), ".onmicrosoft.com")
]

_signing := {lower(c.Domain) |
	some c in exo.objects(KEY)
	is_string(c.Domain)
	exo.is_true(exo.prop(c, "Enabled"))
}

_configured := {lower(c.Domain) | some c in exo.objects(KEY); is_string(c.Domain)}

_missing := [d | some d in _mail_domains; not d in _signing]

_state(d) := "DKIM signing config disabled" if {
	d in _configured
} else := "no DKIM signing config"

_text := concat(", ", [sprintf("%s (%s)", [d, _state(d)]) | some d in _missing])

result := r if {
	r := res.unavailable([[DOMAINS, "array"], [KEY, "array"]])
} else := res.not_applicable("The tenant has no verified custom domain that serves email (only *.onmicrosoft.com, which Microsoft signs with DKIM by default)") if {
	count(_mail_domains) == 0
} else := object.union(
	res.fail(sprintf("DKIM signing is not enabled for %s: %s", [res.plural(count(_missing), "custom email domain"), _text]), [{"type": "domain", "id": d, "name": d} | some d in _missing]),
	{"compliant": count(_mail_domains) - count(_missing), "total": count(_mail_domains)},
) if {
	count(_missing) > 0
} else := object.union(
	res.pass(sprintf("DKIM signing is enabled for %s", [_all(count(_mail_domains))])),
	{"compliant": count(_mail_domains), "total": count(_mail_domains)},
)

_all(1) := "the only custom email domain"

_all(n) := sprintf("all %d custom email domains", [n]) if n != 1
