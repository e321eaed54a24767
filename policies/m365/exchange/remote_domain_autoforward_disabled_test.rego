package sspm.m365.exchange.remote_domain_autoforward_disabled_test

import data.sspm.m365.exchange.remote_domain_autoforward_disabled as check

KEY := "exo:Get-RemoteDomain"

# A remote domain as Get-RemoteDomain returns it.
remote(name, domain, fwd) := {
	"Name": name,
	"Identity": name,
	"DomainName": domain,
	"AutoForwardEnabled": fwd,
	"AutoReplyEnabled": true,
	"AllowedOOFType": "External",
}

eval(v) := r if {
	r := check.result with input as {"resources": {KEY: v}}
}

test_pass_default_blocked if {
	r := eval([remote("Default", "*", false)])
	r.status == "pass"
	contains(r.reason, "the only remote domain")
}

test_fail_default_allows_forwarding if {
	r := eval([remote("Default", "*", true), remote("Fabrikam", "fabrikam.com", false)])
	r.status == "fail"
	r.offenders == [{"type": "domain", "id": "Default", "name": "Default (*)"}]
	contains(r.reason, "1 remote domain: 'Default (*)'")
	r.compliant == 1
}

test_fail_specific_domain_allows_forwarding if {
	r := eval([remote("Default", "*", false), remote("Fabrikam", "fabrikam.com", "True")])
	r.status == "fail"
	r.offenders[0].name == "Fabrikam (fabrikam.com)"
}

test_error_when_property_missing if {
	r := eval([object.remove(remote("Default", "*", false), ["AutoForwardEnabled"])])
	r.status == "error"
	contains(r.reason, "AutoForwardEnabled of 'Default' is missing or null")
}

test_error_when_empty if {
	r := eval([])
	r.status == "error"
}

test_error_when_resource_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
	contains(r.reason, KEY)
}
