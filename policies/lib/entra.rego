# Snapshot keys and well-known identifiers shared by the Entra ID checks.
package sspm.lib.entra

import data.sspm.lib.result as res

# GET /policies/authorizationPolicy returns a single authorizationPolicy object.
AUTHORIZATION_POLICY := "graph:/v1.0/policies/authorizationPolicy"

authorization_policy := res.object_at(AUTHORIZATION_POLICY)

# Built-in role template ids.
GLOBAL_ADMINISTRATOR := "62e90394-69f5-4237-9190-012177145e10"

# guestUserRoleId values of authorizationPolicy.
GUEST_ROLE_MEMBER := "a0b1b346-4d3e-4e8b-98f8-753987be4970"

GUEST_ROLE_LIMITED := "10dae51f-b6af-4016-8d66-8c2a99b929b3"

GUEST_ROLE_RESTRICTED := "2af84b1e-32c8-42b7-82bc-daa82404023b"
