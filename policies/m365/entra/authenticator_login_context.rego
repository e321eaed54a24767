# MS.AAD.3.3v2: if Microsoft Authenticator is enabled, it SHALL be configured to show login
# context information.
#
# Reads the Microsoft Authenticator configuration of the authentication methods policy.
# When Authenticator is enabled, both feature settings displayAppInformationRequiredState
# and displayLocationInformationRequiredState must be "enabled" and target all users
# (includeTarget.id "all_users"), and Authenticator OTP must be off
# (isSoftwareOathEnabled false), as in the baseline's instructions and ScubaGear. When
# Authenticator is disabled the policy does not apply.
package sspm.m365.entra.authenticator_login_context

import data.sspm.lib.result as res

KEY := "graph:/v1.0/policies/authenticationMethodsPolicy"

_policy := res.object_at(KEY)

_configs := res.list(_policy, ["authenticationMethodConfigurations"])

_authenticator := found[0] if {
	found := [c | some c in _configs; res.lower_str(c.id) == "microsoftauthenticator"]
	count(found) > 0
}

_features := [
	["displayAppInformationRequiredState", "the application name"],
	["displayLocationInformationRequiredState", "the geographic location"],
]

_feature_gaps := [g |
	some f in _features
	setting := res.get(_authenticator, ["featureSettings", f[0]], {})
	some g in _feature_gap(setting, f[1], f[0])
]

_feature_gap(setting, what, field) := [sprintf("%s is not shown (%s.state is '%v')", [what, field, res.get(setting, ["state"], "missing")])] if {
	res.get(setting, ["state"], "") != "enabled"
} else := [sprintf("%s is shown only to '%v', not to all users (%s.includeTarget)", [what, res.get(setting, ["includeTarget", "id"], "nobody"), field])] if {
	res.get(setting, ["includeTarget", "id"], "") != "all_users"
} else := []

_oath_gaps := ["Authenticator one-time passcodes are allowed (isSoftwareOathEnabled is true)"] if {
	_authenticator.isSoftwareOathEnabled == true
} else := []

_gaps := array.concat(_feature_gaps, _oath_gaps)

_offender := {"type": "authenticationMethodConfiguration", "id": "MicrosoftAuthenticator", "name": "Microsoft Authenticator"}

result := r if {
	r := res.unavailable([[KEY, "object"]])
} else := r if {
	r := res.bad_field(KEY, ["authenticationMethodConfigurations"], "array")
} else := res.not_applicable("The authentication methods policy has no Microsoft Authenticator configuration") if {
	not _authenticator
} else := res.not_applicable(sprintf("Microsoft Authenticator is not enabled (state '%v'), so its notifications are not used", [res.get(_authenticator, ["state"], "missing")])) if {
	res.get(_authenticator, ["state"], "") != "enabled"
} else := res.fail(sprintf("Microsoft Authenticator is enabled but does not show login context to every user: %s", [concat("; ", _gaps)]), [_offender]) if {
	count(_gaps) > 0
} else := res.pass("Microsoft Authenticator shows the application name and geographic location in push and passwordless notifications to all users, and Authenticator OTP is off")
