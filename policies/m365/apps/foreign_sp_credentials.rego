# No credentials are added in this tenant to the service principal of an application
# registered in another tenant (a multi-tenant third-party or Microsoft first-party app).
#
# The credentials of a multi-tenant application belong on its app registration in the
# owner's tenant. A client secret or certificate on its service principal in this tenant
# was added here, and lets whoever holds it sign in as that application with every
# permission it was granted in this tenant: a persistence technique (MITRE ATT&CK
# T1098.001, Additional Cloud Credentials). Service principals set up for SAML single
# sign-on (preferredSingleSignOnMode "saml") carry their token-signing certificate as
# credentials and are left out. Every credential counts, expired or not: it shows that a
# credential was added. Linear: sspm.select narrows the list to rows with credentials.
package sspm.m365.apps.foreign_sp_credentials

import data.sspm.lib.apps
import data.sspm.lib.result as res

_with_credentials := {sp |
	rows := sspm.select(res.array_at(apps.SERVICE_PRINCIPALS), [
		["servicePrincipalType", "==", "Application"],
		["preferredSingleSignOnMode", "!=", "saml"],
		["id", "exists"],
	])
	some sp in array.concat(
		sspm.select(rows, [["passwordCredentials", "!=", []]]),
		sspm.select(rows, [["keyCredentials", "!=", []]]),
	)
	is_string(sp.id)
	apps.is_foreign(sp, apps.tenant_id)
	count(array.concat(res.list(sp, ["passwordCredentials"]), res.list(sp, ["keyCredentials"]))) > 0
}

_owner(sp) := "Microsoft first-party" if {
	apps.is_microsoft_owned(sp)
} else := sprintf("owner tenant %s", [sp.appOwnerOrganizationId])

_list := [sp | some sp in _with_credentials]

# {service principal position in _list: its credentials}.
_credentials := sspm.group(apps.credentials(_list), "index")

# Credentials with an unreadable endDateTime are still named.
_details(i) := concat("; ", array.concat(
	array.concat(
		sspm.format(sspm.select(_credentials[i], [["expired", "==", true]]), "%s ended %s", ["label", "end"]),
		sspm.format(sspm.select(_credentials[i], [["expired", "==", false]]), "%s ends %s", ["label", "end"]),
	),
	sspm.format(sspm.select(_credentials[i], [["expired", "==", null]]), "%s with an unreadable endDateTime", ["label"]),
))

_offenders := [{
	"type": "servicePrincipal",
	"id": sp.id,
	"name": sprintf("%s (%s): %s", [apps.display_name(sp), _owner(sp), _details(i)]),
} |
	some i, sp in _list
]

_n_microsoft := count({sp.id | some sp in _with_credentials; apps.is_microsoft_owned(sp)})

result := r if {
	r := res.unavailable([[apps.SERVICE_PRINCIPALS, "array"]])
} else := r if {
	r := apps.tenant_unavailable
} else := r if {
	r := apps.now_unavailable
} else := res.pass("No service principal of an application registered in another tenant has a client secret or certificate added in this tenant") if {
	count(_with_credentials) == 0
} else := res.fail(
	sprintf("%s credentials added in this tenant (%d of them Microsoft first-party): %s", [
		_sp_text(count(_with_credentials)),
		_n_microsoft,
		res.name_list([apps.display_name(sp) | some sp in _with_credentials], 5),
	]),
	_offenders,
)

_sp_text(1) := "1 service principal of an application registered in another tenant has"

_sp_text(n) := sprintf("%d service principals of applications registered in other tenants have", [n]) if n != 1
