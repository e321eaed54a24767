# No multi-tenant application from an unverified publisher holds permissions in the
# tenant.
#
# Offenders are service principals of type Application whose appOwnerOrganizationId is
# another tenant (not this tenant, the `id` of graph:/v1.0/organization, and not one of
# Microsoft's own tenants), whose verifiedPublisher.verifiedPublisherId is empty, that are
# enabled, and that hold a delegated grant (an oAuth2PermissionGrant with this client) or
# an application permission (an appRoleAssignment with this principal on Microsoft Graph
# or any other resource whose appRoleAssignedTo list is in the snapshot). Linear: the sets
# of client ids with grants or assignments are built in Rust (sspm.values), then the
# service principal list is filtered once.
package sspm.m365.apps.unverified_multitenant_apps

import data.sspm.lib.apps
import data.sspm.lib.result as res

_grants := res.array_at(apps.GRANTS)

_grant_clients := sspm.values(_grants, "clientId")

# Clients holding an application permission on any resource whose appRoleAssignedTo
# list is in the snapshot (the connector collects Microsoft Graph's and other first-party
# APIs').
_assigned := {p |
	some _, rows in sspm.per_object(res.resources, apps.ASSIGNED_TO)
	is_array(rows)
	some p in sspm.values(rows, "principalId")
}

_candidates := sspm.select(res.array_at(apps.SERVICE_PRINCIPALS), [
	["id", "in", _grant_clients | _assigned],
	["servicePrincipalType", "==", "Application"],
	["accountEnabled", "!=", false],
])

_tenant := apps.tenant_id

# Owners that are certainly not foreign: this tenant and Microsoft's (as written by
# Graph; the exact, case-insensitive tests follow for the rest).
_not_foreign := {t | some x in apps.MICROSOFT_OWNER_TENANTS | {_tenant}; some t in [x, lower(x), upper(x)]}

_tenant_lower := lower(_tenant)

_PUBLISHER_ID := ["verifiedPublisher", "verifiedPublisherId"]

_foreign_owned := sspm.select(_candidates, [["appOwnerOrganizationId", "not in", _not_foreign], ["appOwnerOrganizationId", "exists"]])

# Unverified: verifiedPublisher.verifiedPublisherId absent, null or "" (Graph writes a
# string or null); then the exact, case-insensitive owner tests of apps.is_foreign and
# apps.is_microsoft_owned, inline: thousands of rows may pass here.
_unverified := [sp |
	some sp in array.concat(
		sspm.select(_foreign_owned, [[_PUBLISHER_ID, "missing"]]),
		sspm.select(_foreign_owned, [[_PUBLISHER_ID, "==", ""]]),
	)
	is_string(sp.id)
	is_string(sp.appOwnerOrganizationId)
	owner := lower(sp.appOwnerOrganizationId)
	owner != ""
	owner != _tenant_lower
	not owner in apps.MICROSOFT_OWNER_TENANTS
]

_holds(sp) := concat(" and ", [h |
	some h in [_if(sp.id in _grant_clients, "delegated permission grants"), _if(sp.id in _assigned, "application permissions")]
	h != ""
])

_if(true, s) := s

_if(false, _) := ""

_publisher(sp) := sprintf("publisher '%s', ", [sp.publisherName]) if {
	is_string(sp.publisherName)
	sp.publisherName != ""
} else := ""

_names := apps.names(_unverified)

_offenders := [{
	"type": "servicePrincipal",
	"id": sp.id,
	"name": sprintf("%s (%sowner tenant %s, unverified): holds %s", [_names[sp.id], _publisher(sp), sp.appOwnerOrganizationId, _holds(sp)]),
} |
	some sp in _unverified
]

result := r if {
	r := res.unavailable([[apps.SERVICE_PRINCIPALS, "array"], [apps.GRANTS, "array"]])
} else := r if {
	r := apps.tenant_unavailable
} else := r if {
	r := apps.graph_assignments_unavailable
} else := res.pass(sprintf("No enabled multi-tenant application from an unverified publisher holds delegated grants or application permissions (%s with permissions checked)", [res.plural(count(_candidates), "service principal")])) if {
	count(_unverified) == 0
} else := res.fail(
	sprintf("%s permissions in this tenant: %s", [
		_app_text(count(_unverified)),
		res.name_list([_names[sp.id] | some sp in _unverified], 5),
	]),
	_offenders,
)

_app_text(1) := "1 multi-tenant application from an unverified publisher in another tenant holds"

_app_text(n) := sprintf("%d multi-tenant applications from unverified publishers in other tenants hold", [n]) if n != 1
