package sspm.m365.entra.admin_consent_workflow_test

import data.sspm.m365.entra.admin_consent_workflow as check

KEY := "graph:/v1.0/policies/adminConsentRequestPolicy"

# As GET /v1.0/policies/adminConsentRequestPolicy returns it.
policy := {
	"isEnabled": true,
	"notifyReviewers": true,
	"remindersEnabled": true,
	"requestDurationInDays": 30,
	"version": 1,
	"reviewers": [
		{"query": "/users/aaaaaaaa-0000-0000-0000-000000000001", "queryType": "MicrosoftGraph", "queryRoot": null},
		{"query": "/groups/bbbbbbbb-0000-0000-0000-000000000002/transitiveMembers/microsoft.graph.user", "queryType": "MicrosoftGraph", "queryRoot": null},
	],
}

eval(p) := r if {
	r := check.result with input as {"resources": {KEY: p}}
}

test_pass_enabled_with_reviewers if {
	r := eval(policy)
	r.status == "pass"
	contains(r.reason, "2 reviewer scopes")
}

test_pass_mentions_disabled_notifications if {
	r := eval(object.union(policy, {"notifyReviewers": false}))
	r.status == "pass"
	contains(r.reason, "not notified")
}

test_fail_disabled if {
	r := eval({"isEnabled": false, "notifyReviewers": false, "remindersEnabled": false, "requestDurationInDays": 0, "reviewers": [], "version": 0})
	r.status == "fail"
	contains(r.reason, "disabled")
}

test_fail_enabled_without_reviewers if {
	r := eval(object.union(policy, {"reviewers": []}))
	r.status == "fail"
	contains(r.reason, "no reviewers")
}

test_fail_enabled_with_null_reviewers if {
	r := eval(object.union(policy, {"reviewers": null}))
	r.status == "fail"
}

test_error_when_is_enabled_missing if {
	r := eval(object.remove(policy, ["isEnabled"]))
	r.status == "error"
	contains(r.reason, "isEnabled")
}

test_error_when_resource_missing if {
	f := {"status": 403, "code": "Authorization_RequestDenied", "message": "Insufficient privileges to complete the operation.", "needs": "Policy.Read.All"}
	r := check.result with input as {"resources": {}, "failures": {KEY: f}}
	r.status == "error"
	contains(r.reason, KEY)
	contains(r.reason, "Policy.Read.All")
}

test_error_when_resource_is_an_array if {
	r := eval([policy])
	r.status == "error"
}
