package sspm.m365.exchange.dkim_enabled_all_domains_test

import data.sspm.m365.exchange.dkim_enabled_all_domains as check

DOMAINS := "graph:/v1.0/domains"

KEY := "exo:Get-DkimSigningConfig"

# A domain as GET /v1.0/domains returns it.
domain(id, verified, services) := {
	"id": id,
	"authenticationType": "Managed",
	"isDefault": false,
	"isInitial": endswith(id, ".onmicrosoft.com"),
	"isRoot": true,
	"isVerified": verified,
	"supportedServices": services,
}

# A DKIM signing config as Get-DkimSigningConfig returns it.
dkim(d, enabled) := {
	"Domain": d,
	"Name": d,
	"Identity": d,
	"Enabled": enabled,
	"Status": "Valid",
	"Selector1CNAME": sprintf("selector1-%s._domainkey.contoso.onmicrosoft.com", [d]),
}

domains := [
	domain("contoso.onmicrosoft.com", true, ["Email", "OfficeCommunicationsOnline"]),
	domain("contoso.com", true, ["Email", "OfficeCommunicationsOnline", "Intune"]),
	domain("Fabrikam.com", true, ["Email"]),
	domain("pending.example", false, ["Email"]),
	domain("sso.contoso.com", true, ["Intune"]),
]

eval(d, c) := r if {
	r := check.result with input as {"resources": {DOMAINS: d, KEY: c}}
}

test_pass_all_signed if {
	r := eval(domains, [dkim("contoso.onmicrosoft.com", true), dkim("contoso.com", true), dkim("fabrikam.com", true)])
	r.status == "pass"
	contains(r.reason, "all 2 custom email domains")
	r.total == 2
}

test_fail_disabled_and_missing if {
	r := eval(domains, [dkim("contoso.onmicrosoft.com", true), dkim("contoso.com", false)])
	r.status == "fail"
	{o.id | some o in r.offenders} == {"contoso.com", "fabrikam.com"}
	contains(r.reason, "contoso.com (DKIM signing config disabled)")
	contains(r.reason, "fabrikam.com (no DKIM signing config)")
	r.compliant == 0
}

test_fail_string_false if {
	r := eval([domain("contoso.com", true, ["Email"])], [dkim("contoso.com", "False")])
	r.status == "fail"
}

test_not_applicable_only_initial_domain if {
	r := eval([domain("contoso.onmicrosoft.com", true, ["Email"])], [])
	r.status == "not_applicable"
}

test_error_when_dkim_missing if {
	r := check.result with input as {"resources": {DOMAINS: domains}}
	r.status == "error"
	contains(r.reason, KEY)
}

test_error_when_domains_failed if {
	r := check.result with input as {"resources": {KEY: []}, "failures": {DOMAINS: {"status": 403, "code": "Authorization_RequestDenied", "message": "", "needs": "Domain.Read.All"}}}
	r.status == "error"
	contains(r.reason, "Domain.Read.All")
}
