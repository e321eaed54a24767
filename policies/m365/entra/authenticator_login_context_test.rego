package sspm.m365.entra.authenticator_login_context_test

import data.sspm.m365.entra.authenticator_login_context as check

KEY := "graph:/v1.0/policies/authenticationMethodsPolicy"

feature(state, target) := {
	"state": state,
	"includeTarget": {"targetType": "group", "id": target},
	"excludeTarget": {"targetType": "group", "id": "00000000-0000-0000-0000-000000000000"},
}

authenticator := {
	"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
	"id": "MicrosoftAuthenticator",
	"state": "enabled",
	"isSoftwareOathEnabled": false,
	"featureSettings": {
		"displayAppInformationRequiredState": feature("enabled", "all_users"),
		"displayLocationInformationRequiredState": feature("enabled", "all_users"),
	},
	"includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": false, "authenticationMode": "any"}],
	"excludeTargets": [],
}

fido2 := {
	"@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
	"id": "Fido2",
	"state": "enabled",
	"isSelfServiceRegistrationAllowed": true,
	"isAttestationEnforced": false,
	"includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": false}],
	"excludeTargets": [],
}

policy(configs) := {
	"id": "authenticationMethodsPolicy",
	"displayName": "Authentication Methods Policy",
	"policyVersion": "1.5",
	"policyMigrationState": "migrationComplete",
	"authenticationMethodConfigurations": configs,
}

eval(configs) := r if {
	r := check.result with input as {"resources": {KEY: policy(configs)}}
}

with_features(app, loc) := object.union(authenticator, {"featureSettings": {"displayAppInformationRequiredState": app, "displayLocationInformationRequiredState": loc}})

test_pass_context_shown_to_all_users if {
	r := eval([fido2, authenticator])
	r.status == "pass"
}

test_fail_default_state if {
	r := eval([with_features(feature("default", "all_users"), feature("enabled", "all_users"))])
	r.status == "fail"
	contains(r.reason, "the application name is not shown (displayAppInformationRequiredState.state is 'default')")
	r.offenders == [{"type": "authenticationMethodConfiguration", "id": "MicrosoftAuthenticator", "name": "Microsoft Authenticator"}]
}

test_fail_location_for_one_group_only if {
	r := eval([with_features(feature("enabled", "all_users"), feature("enabled", "3c1b0bd6-0000-0000-0000-000000000001"))])
	r.status == "fail"
	contains(r.reason, "geographic location is shown only to '3c1b0bd6-0000-0000-0000-000000000001'")
}

test_fail_software_oath_enabled if {
	r := eval([object.union(authenticator, {"isSoftwareOathEnabled": true})])
	r.status == "fail"
	contains(r.reason, "isSoftwareOathEnabled")
}

test_fail_feature_settings_missing if {
	r := eval([object.remove(authenticator, ["featureSettings"])])
	r.status == "fail"
	contains(r.reason, "state is 'missing'")
}

test_not_applicable_when_disabled if {
	r := eval([object.union(authenticator, {"state": "disabled"})])
	r.status == "not_applicable"
}

test_not_applicable_without_configuration if {
	r := eval([fido2])
	r.status == "not_applicable"
}

test_error_when_configurations_missing if {
	r := check.result with input as {"resources": {KEY: object.remove(policy([]), ["authenticationMethodConfigurations"])}}
	r.status == "error"
	contains(r.reason, "authenticationMethodConfigurations")
}

test_error_when_resource_failed if {
	f := {"status": 403, "code": "Authorization_RequestDenied", "message": "Insufficient privileges", "needs": "Policy.Read.AuthenticationMethod"}
	r := check.result with input as {"resources": {}, "failures": {KEY: f}}
	r.status == "error"
	contains(r.reason, "Policy.Read.AuthenticationMethod")
}

test_error_when_array if {
	r := check.result with input as {"resources": {KEY: [policy([authenticator])]}}
	r.status == "error"
}
