package sspm.m365.entra.passwords_never_expire_test

import data.sspm.m365.entra.passwords_never_expire as check

KEY := "graph:/v1.0/domains"

NEVER := 2147483647

# A domain as GET /v1.0/domains returns it.
domain(id, days) := {
	"id": id,
	"authenticationType": "Managed",
	"availabilityStatus": null,
	"isAdminManaged": true,
	"isDefault": false,
	"isInitial": false,
	"isRoot": true,
	"isVerified": true,
	"passwordNotificationWindowInDays": 14,
	"passwordValidityPeriodInDays": days,
	"supportedServices": ["Email", "OfficeCommunicationsOnline"],
	"state": null,
}

initial := object.union(domain("contoso.onmicrosoft.com", NEVER), {"isInitial": true})

eval(domains) := r if {
	r := check.result with input as {"resources": {KEY: domains}}
}

test_pass_all_never_expire if {
	r := eval([initial, domain("contoso.com", NEVER)])
	r.status == "pass"
	contains(r.reason, "all 2 verified managed domains")
	r.compliant == 2
	r.total == 2
}

test_fail_lists_offending_domain if {
	r := eval([initial, domain("contoso.com", 90)])
	r.status == "fail"
	r.offenders == [{"type": "domain", "id": "contoso.com", "name": "contoso.com"}]
	contains(r.reason, "contoso.com (90 days)")
	r.compliant == 1
	r.total == 2
}

test_fail_when_value_not_set if {
	r := eval([initial, object.remove(domain("fabrikam.com", 0), ["passwordValidityPeriodInDays"])])
	r.status == "fail"
	contains(r.reason, "fabrikam.com (not set, so 90 days)")
}

test_fail_null_value if {
	r := eval([initial, domain("fabrikam.com", null)])
	r.status == "fail"
	some o in r.offenders
	o.id == "fabrikam.com"
}

test_fail_counts_several if {
	r := eval([domain("contoso.onmicrosoft.com", 180), domain("contoso.com", 90)])
	r.status == "fail"
	count(r.offenders) == 2
	contains(r.reason, "2 verified managed domains")
}

test_unverified_domains_are_ignored if {
	unverified := object.union(domain("pending.example", 90), {"isVerified": false, "isRoot": false})
	r := eval([initial, unverified])
	r.status == "pass"
}

test_federated_domains_are_not_evaluated if {
	fed := object.union(domain("corp.contoso.com", 90), {"authenticationType": "Federated"})
	r := eval([initial, fed])
	r.status == "pass"
	contains(r.reason, "1 federated domain is not evaluated")
	contains(r.reason, "corp.contoso.com")
}

test_subdomain_inherits_root_that_never_expires if {
	sub := object.union(domain("sales.contoso.com", null), {"isRoot": false})
	r := eval([initial, domain("contoso.com", NEVER), sub])
	r.status == "pass"
}

test_subdomain_inherits_root_that_expires if {
	sub := object.union(domain("eu.sales.contoso.com", NEVER), {"isRoot": false})
	r := eval([initial, domain("contoso.com", 90), sub])
	r.status == "fail"
	{o.id | some o in r.offenders} == {"contoso.com", "eu.sales.contoso.com"}
	contains(r.reason, "eu.sales.contoso.com (inherits contoso.com)")
}

test_subdomain_without_known_root_uses_own_value if {
	sub := object.union(domain("sales.example.org", 90), {"isRoot": false})
	r := eval([initial, sub])
	r.status == "fail"
	r.offenders[0].id == "sales.example.org"
}

test_missing_is_root_means_root if {
	d := object.remove(domain("contoso.com", NEVER), ["isRoot"])
	sub := object.union(domain("a.contoso.com", 90), {"isRoot": false})
	r := eval([initial, d, sub])
	r.status == "pass"
}

test_not_applicable_without_verified_domains if {
	r := eval([object.union(domain("x.example", 90), {"isVerified": false})])
	r.status == "not_applicable"
}

test_not_applicable_when_all_federated if {
	r := eval([object.union(domain("contoso.com", 90), {"authenticationType": "Federated"})])
	r.status == "not_applicable"
	contains(r.reason, "federated")
}

test_error_when_resource_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
	contains(r.reason, KEY)
}

test_error_when_resource_is_an_object if {
	r := eval({"value": [initial]})
	r.status == "error"
	contains(r.reason, "expected a JSON array")
}

test_malformed_items_do_not_break_the_check if {
	r := eval([initial, null, {"id": 7}, {"id": "x.example", "isVerified": true, "authenticationType": 3, "passwordValidityPeriodInDays": NEVER}])
	r.status == "pass"
}
