package sspm.m365.exchange.safe_attachments_enabled_test

import data.sspm.m365.exchange.safe_attachments_enabled as check

KEY := "exo:Get-SafeAttachmentPolicy"

# A Safe Attachments policy as Get-SafeAttachmentPolicy returns it.
policy(name, enable, action) := {
	"Name": name,
	"Identity": name,
	"IsDefault": false,
	"IsBuiltInProtection": false,
	"Enable": enable,
	"Action": action,
	"Redirect": false,
	"RedirectAddress": null,
	"QuarantineTag": "AdminOnlyAccessPolicy",
}

eval(v) := r if {
	r := check.result with input as {"resources": {KEY: v}}
}

test_pass_block_policy if {
	r := eval([policy("Contoso Safe Attachments", true, "Block"), policy("Lab", false, "Allow")])
	r.status == "pass"
	contains(r.reason, "'Contoso Safe Attachments'")
}

test_fail_dynamic_delivery_only if {
	r := eval([policy("Contoso Safe Attachments", true, "DynamicDelivery")])
	r.status == "fail"
	contains(r.reason, "Action is DynamicDelivery, not Block")
	r.offenders == [{"type": "policy", "id": "Contoso Safe Attachments", "name": "Contoso Safe Attachments"}]
}

test_fail_disabled if {
	r := eval([policy("Contoso Safe Attachments", "False", "Block")])
	r.status == "fail"
	contains(r.reason, "Enable is not true")
}

test_fail_no_policy if {
	r := eval([])
	r.status == "fail"
	contains(r.reason, "No Safe Attachments policy exists")
}

test_fail_action_missing if {
	r := eval([object.remove(policy("P", true, "Block"), ["Action"])])
	r.status == "fail"
	contains(r.reason, "Action is (not set)")
}

test_error_when_resource_missing if {
	r := check.result with input as {"resources": {}}
	r.status == "error"
}

test_error_when_resource_is_an_object if {
	r := eval(policy("P", true, "Block"))
	r.status == "error"
	contains(r.reason, "expected a JSON array")
}
