package sspm.m365.exchange.owa_storage_providers_restricted_test

import data.sspm.m365.exchange.owa_storage_providers_restricted as check

KEY := "exo:Get-OwaMailboxPolicy"

# An OWA mailbox policy as Get-OwaMailboxPolicy returns it.
policy(name, v) := {
	"Name": name,
	"Identity": name,
	"IsDefault": name == "OwaMailboxPolicy-Default",
	"AdditionalStorageProvidersAvailable": v,
	"ThirdPartyFileProvidersEnabled": false,
}

eval(v) := r if {
	r := check.result with input as {"resources": {KEY: v}}
}

test_pass_all_restricted if {
	r := eval([policy("OwaMailboxPolicy-Default", false), policy("Executives", false)])
	r.status == "pass"
	contains(r.reason, "all 2 OWA mailbox policies")
	r.total == 2
}

test_fail_default_policy if {
	r := eval([policy("OwaMailboxPolicy-Default", true), policy("Executives", false)])
	r.status == "fail"
	r.offenders == [{"type": "policy", "id": "OwaMailboxPolicy-Default", "name": "OwaMailboxPolicy-Default"}]
	contains(r.reason, "1 OWA mailbox policy:")
	r.compliant == 1
	r.total == 2
}

test_fail_string_true if {
	r := eval([policy("OwaMailboxPolicy-Default", "True")])
	r.status == "fail"
}

test_error_when_property_missing if {
	r := eval([object.remove(policy("OwaMailboxPolicy-Default", false), ["AdditionalStorageProvidersAvailable"])])
	r.status == "error"
	contains(r.reason, "'OwaMailboxPolicy-Default'")
}

test_error_when_empty if {
	r := eval([])
	r.status == "error"
}

test_error_when_resource_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
}
