package sspm.m365.exchange.audit_log_ingestion_enabled_test

import data.sspm.m365.exchange.audit_log_ingestion_enabled as check

KEY := "exo:Get-AdminAuditLogConfig"

# As Get-AdminAuditLogConfig returns it.
config(v) := {
	"Name": "Admin Audit Log Settings",
	"Identity": "Admin Audit Log Settings",
	"AdminAuditLogEnabled": true,
	"UnifiedAuditLogIngestionEnabled": v,
}

eval(v) := r if {
	r := check.result with input as {"resources": {KEY: v}}
}

test_pass_enabled if {
	r := eval([config(true)])
	r.status == "pass"
}

test_fail_disabled if {
	r := eval([config(false)])
	r.status == "fail"
	contains(r.reason, "UnifiedAuditLogIngestionEnabled is false")
}

test_error_when_property_is_a_number if {
	r := eval([config(1)])
	r.status == "error"
	contains(r.reason, "UnifiedAuditLogIngestionEnabled")
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
