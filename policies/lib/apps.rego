# Snapshot keys, well-known identifiers and helpers shared by the OAuth application
# hygiene checks (policies/m365/apps/).
#
# Sources:
# - Microsoft Graph application permission (appRole) ids: the Microsoft Graph permissions
#   reference, as listed in CISA ScubaGear's Modules/Permissions/RiskyPermissions.json.
# - Owner tenants of Microsoft's first-party applications: Microsoft Services
#   (f8cdef31-…, the appOwnerOrganizationId of Microsoft Graph, Exchange Online … service
#   principals) and Microsoft's corporate tenant (72f988bf-…).
#
# regorus evaluates every rule of an imported package when a check first refers to it:
# the rules here stay cheap (constants, one pass in Rust); work over whole lists is done
# in functions or in the checks.
package sspm.lib.apps

import data.sspm.lib.result as res

APPLICATIONS := "graph:/v1.0/applications"

SERVICE_PRINCIPALS := "graph:/v1.0/servicePrincipals"

GRANTS := "graph:/v1.0/oauth2PermissionGrants"

ORGANIZATION := "graph:/v1.0/organization"

MICROSOFT_GRAPH_APP_ID := "00000003-0000-0000-c000-000000000000"

MICROSOFT_SERVICES_TENANT := "f8cdef31-a31e-4b4a-93e4-5f571e91255a"

MICROSOFT_CORP_TENANT := "72f988bf-86f1-41af-91ab-2d7cd011db47"

MICROSOFT_OWNER_TENANTS := {MICROSOFT_SERVICES_TENANT, MICROSOFT_CORP_TENANT}

# The per-object key template of the app role assignments granted on a resource service
# principal (GET /servicePrincipals/{id}/appRoleAssignedTo).
ASSIGNED_TO := "graph:/v1.0/servicePrincipals/%s/appRoleAssignedTo"

assigned_to_key(sp_id) := sprintf(ASSIGNED_TO, [sp_id])

# ---------------------------------------------------------------------------------------
# Tenant id: the `id` of the single organization object.

tenant_id := id if {
	orgs := res.array_at(ORGANIZATION)
	count(orgs) == 1
	id := orgs[0].id
	is_string(id)
	id != ""
}

# An `error` result when the tenant id cannot be read; undefined otherwise.
tenant_unavailable := r if {
	r := res.unavailable([[ORGANIZATION, "array"]])
} else := res.error(sprintf("snapshot key %s is malformed: expected exactly one organization with a string id, found %s", [
	ORGANIZATION,
	res.plural(count(res.array_at(ORGANIZATION)), "item"),
])) if {
	not tenant_id
}

# ---------------------------------------------------------------------------------------
# Microsoft Graph's service principal and the application permissions granted on it.

_graph_sps := sspm.select(res.array_at(SERVICE_PRINCIPALS), [["appId", "==", MICROSOFT_GRAPH_APP_ID], ["id", "exists"]])

graph_sp_id := id if {
	ids := sort([i | some sp in _graph_sps; i := sp.id; is_string(i)])
	count(ids) > 0
	id := ids[0]
}

graph_assignments_key := assigned_to_key(graph_sp_id)

# Error when the appRoleAssignedTo list of Microsoft Graph cannot be read (the Graph service
# principal is absent, or its key is missing, failed or malformed); undefined otherwise.
graph_assignments_unavailable := res.error(sprintf("Microsoft Graph's service principal (appId %s) is not in %s, so the application permissions granted on it (snapshot key graph:/v1.0/servicePrincipals/<id>/appRoleAssignedTo) cannot be read", [
	MICROSOFT_GRAPH_APP_ID,
	SERVICE_PRINCIPALS,
])) if {
	not graph_sp_id
} else := r if {
	r := res.unavailable([[graph_assignments_key, "array"]])
}

graph_assignments := res.array_at(graph_assignments_key)

# ---------------------------------------------------------------------------------------
# High-privilege Microsoft Graph application permissions, by appRole id.
# kind "control": can change the directory, its roles, applications or policies and so
# reach Global Administrator; kind "data": reads or changes every mailbox, file or site.

HIGH_PRIVILEGE_GRAPH_APP_ROLES := {
	"9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8": {"value": "RoleManagement.ReadWrite.Directory", "kind": "control"},
	"06b708a9-e830-4db3-a914-8e69da51d44f": {"value": "AppRoleAssignment.ReadWrite.All", "kind": "control"},
	"1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9": {"value": "Application.ReadWrite.All", "kind": "control"},
	"19dbc75e-c2e2-444c-a770-ec69d8559fc7": {"value": "Directory.ReadWrite.All", "kind": "control"},
	"741f803b-c850-494e-b5df-cde7c675a1ca": {"value": "User.ReadWrite.All", "kind": "control"},
	"62a82d76-70ea-41e2-9197-370581804d09": {"value": "Group.ReadWrite.All", "kind": "control"},
	"dbaae8cf-10b5-4b86-a4a1-f871c94c6695": {"value": "GroupMember.ReadWrite.All", "kind": "control"},
	"01c0a623-fc9b-48e9-b794-0756f8e8f067": {"value": "Policy.ReadWrite.ConditionalAccess", "kind": "control"},
	"e2a3a72e-5f79-4c64-b1b1-878b674786c9": {"value": "Mail.ReadWrite", "kind": "data"},
	"810c84a8-4a9e-49e6-bf7d-12d183f40d01": {"value": "Mail.Read", "kind": "data"},
	"b633e1c5-b582-4048-a93e-9f11b44c7e96": {"value": "Mail.Send", "kind": "data"},
	"6931bccd-447a-43d1-b442-00a195474933": {"value": "MailboxSettings.ReadWrite", "kind": "data"},
	"75359482-378d-4052-8f01-80520e7db3cd": {"value": "Files.ReadWrite.All", "kind": "data"},
	"9492366f-7969-46a4-8d15-ed1a20078fff": {"value": "Sites.ReadWrite.All", "kind": "data"},
	"a82116e5-55eb-4c41-a434-62fe8a61c773": {"value": "Sites.FullControl.All", "kind": "data"},
}

# Delegated permissions (scope values of oAuth2PermissionGrant.scope) that give access to
# every consenting user's mail or files, or write access to the directory.
RISKY_DELEGATED_SCOPES := {
	"Mail.Read",
	"Mail.ReadWrite",
	"Mail.Send",
	"Mail.Send.Shared",
	"MailboxSettings.ReadWrite",
	"EAS.AccessAsUser.All",
	"Files.ReadWrite",
	"Files.Read.All",
	"Files.ReadWrite.All",
	"Sites.ReadWrite.All",
	"Sites.FullControl.All",
	"Directory.AccessAsUser.All",
	"Directory.ReadWrite.All",
	"User.ReadWrite.All",
	"Group.ReadWrite.All",
	"Application.ReadWrite.All",
	"AppRoleAssignment.ReadWrite.All",
	"RoleManagement.ReadWrite.Directory",
}

# ---------------------------------------------------------------------------------------
# Service principal names and owners.

# {id: display name} of applications or service principals, as display_name names
# them, in one pass in Rust (the first row of a repeated id wins).
names(rows) := sspm.names(rows, "id", ["displayName", "appDisplayName"])

display_name(sp) := n if {
	n := sp.displayName
	is_string(n)
	n != ""
} else := n if {
	n := sp.appDisplayName
	is_string(n)
	n != ""
} else := sp.id

# Multi-tenant applications registered in another tenant: a service principal of type
# Application whose appOwnerOrganizationId is set and is not this tenant.
is_foreign(sp, tenant) if {
	sp.servicePrincipalType == "Application"
	is_string(sp.appOwnerOrganizationId)
	sp.appOwnerOrganizationId != ""
	lower(sp.appOwnerOrganizationId) != lower(tenant)
}

is_microsoft_owned(sp) if res.lower_str(res.get(sp, ["appOwnerOrganizationId"], "")) in MICROSOFT_OWNER_TENANTS

# ---------------------------------------------------------------------------------------
# Credentials (passwordCredential / keyCredential) and dates.

# The assessment time: the snapshot header's collected_at, in ns since the epoch.
now_ns := parse_ns(input.collected_at)

# An `error` result when collected_at is not a usable RFC 3339 time; undefined otherwise.
now_unavailable := res.error(sprintf("the snapshot header's collected_at is %s, not an RFC 3339 date-time, so credential dates cannot be compared with the assessment time", [_show(object.get(input, "collected_at", null))])) if {
	not now_ns
}

_show(null) := "missing"

_show(v) := sprintf("%v", [v]) if v != null

# ns since the epoch of an RFC 3339 date-time string; undefined, never an error, for
# anything else.
parse_ns(s) := sspm.parse_time(s)

# The credentials of the applications or service principals `rows` as one flat list, each
# as {index, owner_id, owner_name, kind, label, start, end, expired, lifetime_days,
# remaining_days} (see sspm.credentials in policies/README.md): kind is "client secret"
# (passwordCredentials) or "certificate" (keyCredentials), expired and remaining_days are
# judged at the snapshot's collected_at (null when endDateTime is unreadable). Thousands
# of credentials pass through here, so they are flattened, dated and labelled in Rust.
credentials(rows) := sspm.credentials(rows, now_ns)
