# MS.EXO.17.1v1 / CIS 3.1.1: unified audit logging SHALL be enabled.
#
# Reads Get-AdminAuditLogConfig; passes when UnifiedAuditLogIngestionEnabled is true.
package sspm.m365.exchange.audit_log_ingestion_enabled

import data.sspm.lib.exo
import data.sspm.lib.result as res

KEY := "exo:Get-AdminAuditLogConfig"

result := r if {
	r := res.unavailable([[KEY, "array"]])
} else := r if {
	r := exo.no_object(KEY)
} else := r if {
	r := exo.bad_bool(KEY, "UnifiedAuditLogIngestionEnabled")
} else := res.pass("The unified audit log is recording activity (UnifiedAuditLogIngestionEnabled is true)") if {
	exo.is_true(exo.single(KEY).UnifiedAuditLogIngestionEnabled)
} else := res.fail("The unified audit log is turned off (UnifiedAuditLogIngestionEnabled is false): user and administrator activity across Microsoft 365 is not recorded and cannot be searched", [])
