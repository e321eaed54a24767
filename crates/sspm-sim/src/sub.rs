//! Per-object Graph lists: `/groups/{id}/members`, `/applications/{id}/owners`,
//! `/servicePrincipals/{id}/owners` and `/servicePrincipals/{id}/appRoleAssignedTo`.
//!
//! The connector asks for them for some items of the tenant-wide lists (role-assignable
//! groups, every application, the service principals of the tenant's own apps, the
//! first-party APIs Microsoft Graph, Exchange Online and SharePoint Online);
//! [`M365Tenant::sub_lists`] names those, and snapshots hold exactly them.

use serde_json::{json, Value};

use crate::catalog::{EXCHANGE_ONLINE_APP_ID, MICROSOFT_GRAPH_APP_ID, SHAREPOINT_ONLINE_APP_ID};
use crate::model::{M365Tenant, SpKind};
use crate::time;

/// The first-party APIs whose granted application permissions are collected (appId).
pub const FIRST_PARTY_APIS: [&str; 3] = [
    MICROSOFT_GRAPH_APP_ID,
    EXCHANGE_ONLINE_APP_ID,
    SHAREPOINT_ONLINE_APP_ID,
];

/// Which per-object list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SubKind {
    /// `/groups/{id}/members`.
    GroupMembers,
    /// `/applications/{id}/owners`.
    ApplicationOwners,
    /// `/servicePrincipals/{id}/owners`.
    ServicePrincipalOwners,
    /// `/servicePrincipals/{id}/appRoleAssignedTo`.
    AppRoleAssignedTo,
}

/// One per-object list: its kind and the parent's index in the tenant's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SubList {
    /// Which list.
    pub kind: SubKind,
    /// Index of the group, application or service principal.
    pub parent: usize,
}

impl M365Tenant {
    /// The per-object list at a request path (`/v1.0/groups/{id}/members` …, query
    /// ignored); `None` when the path is not one or the parent does not exist.
    pub fn sub_list(&self, path: &str) -> Option<SubList> {
        let path = path.split('?').next().unwrap_or(path).trim_end_matches('/');
        let rest = path.strip_prefix("/v1.0/")?;
        let parts: Vec<&str> = rest.split('/').collect();
        let [set, id, nav] = parts.as_slice() else {
            return None;
        };
        let is = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
        let (kind, parent) = if is(set, "groups") && is(nav, "members") {
            (
                SubKind::GroupMembers,
                self.groups.iter().position(|g| is(&g.id, id))?,
            )
        } else if is(set, "applications") && is(nav, "owners") {
            (
                SubKind::ApplicationOwners,
                self.applications.iter().position(|a| is(&a.id, id))?,
            )
        } else if is(set, "servicePrincipals")
            && (is(nav, "owners") || is(nav, "appRoleAssignedTo"))
        {
            let kind = if is(nav, "owners") {
                SubKind::ServicePrincipalOwners
            } else {
                SubKind::AppRoleAssignedTo
            };
            (
                kind,
                self.service_principals.iter().position(|s| is(&s.id, id))?,
            )
        } else {
            return None;
        };
        Some(SubList { kind, parent })
    }

    /// The request path of a per-object list, e.g. `/v1.0/groups/{id}/members`.
    pub fn sub_path(&self, s: SubList) -> String {
        let id = |v: Option<&String>| v.cloned().unwrap_or_default();
        match s.kind {
            SubKind::GroupMembers => format!(
                "/v1.0/groups/{}/members",
                id(self.groups.get(s.parent).map(|g| &g.id))
            ),
            SubKind::ApplicationOwners => format!(
                "/v1.0/applications/{}/owners",
                id(self.applications.get(s.parent).map(|a| &a.id))
            ),
            SubKind::ServicePrincipalOwners => format!(
                "/v1.0/servicePrincipals/{}/owners",
                id(self.service_principals.get(s.parent).map(|p| &p.id))
            ),
            SubKind::AppRoleAssignedTo => format!(
                "/v1.0/servicePrincipals/{}/appRoleAssignedTo",
                id(self.service_principals.get(s.parent).map(|p| &p.id))
            ),
        }
    }

    /// The snapshot key of a per-object list: `graph:` + its path.
    pub fn sub_key(&self, s: SubList) -> String {
        format!("graph:{}", self.sub_path(s))
    }

    /// The per-object lists a collection reads, in the connector's order: members of
    /// role-assignable groups, owners of every application, owners of the service
    /// principals of the tenant's own apps, and the application permissions granted on
    /// the first-party APIs.
    pub fn sub_lists(&self) -> Vec<SubList> {
        let mut out = Vec::new();
        for (parent, g) in self.groups.iter().enumerate() {
            if g.is_assignable_to_role {
                out.push(SubList {
                    kind: SubKind::GroupMembers,
                    parent,
                });
            }
        }
        out.extend((0..self.applications.len()).map(|parent| SubList {
            kind: SubKind::ApplicationOwners,
            parent,
        }));
        for (parent, sp) in self.service_principals.iter().enumerate() {
            if FIRST_PARTY_APIS.contains(&sp.app_id.as_str()) {
                out.push(SubList {
                    kind: SubKind::AppRoleAssignedTo,
                    parent,
                });
            }
            if sp.app_owner_organization_id.as_deref() == Some(self.tenant_id.as_str()) {
                out.push(SubList {
                    kind: SubKind::ServicePrincipalOwners,
                    parent,
                });
            }
        }
        out
    }

    /// The users (indexes into `users`) of a members or owners list.
    fn sub_user_ids(&self, s: SubList) -> &[usize] {
        let ids = match s.kind {
            SubKind::GroupMembers => self.groups.get(s.parent).map(|g| &g.members),
            SubKind::ApplicationOwners => self.applications.get(s.parent).map(|a| &a.owners),
            SubKind::ServicePrincipalOwners => {
                self.service_principals.get(s.parent).map(|p| &p.owners)
            }
            SubKind::AppRoleAssignedTo => None,
        };
        ids.map_or(&[], Vec::as_slice)
    }

    /// The indexes into `app_role_assignments` granted on the resource of `s`.
    fn assigned_to(&self, s: SubList) -> Vec<usize> {
        let Some(sp) = self.service_principals.get(s.parent) else {
            return Vec::new();
        };
        if sp.kind != SpKind::Microsoft {
            return Vec::new();
        }
        self.app_role_assignments
            .iter()
            .enumerate()
            .filter(|(_, a)| a.resource_id == sp.id)
            .map(|(i, _)| i)
            .collect()
    }

    /// Number of items of a per-object list.
    pub fn sub_len(&self, s: SubList) -> usize {
        match s.kind {
            SubKind::AppRoleAssignedTo => self.assigned_to(s).len(),
            _ => self.sub_user_ids(s).len(),
        }
    }

    /// Items `start..end` of a per-object list, as Graph returns them.
    pub fn sub_items(&self, s: SubList, start: usize, end: usize) -> Vec<Value> {
        match s.kind {
            SubKind::AppRoleAssignedTo => self
                .assigned_to(s)
                .into_iter()
                .skip(start)
                .take(end.saturating_sub(start))
                .filter_map(|i| self.app_role_assignments.get(i))
                .map(|a| {
                    json!({
                        "id": a.id,
                        "deletedDateTime": null,
                        "appRoleId": a.app_role_id,
                        "createdDateTime": time::format(a.created),
                        "principalDisplayName": a.principal_display_name,
                        "principalId": a.principal_id,
                        "principalType": "ServicePrincipal",
                        "resourceDisplayName": a.resource_display_name,
                        "resourceId": a.resource_id,
                    })
                })
                .collect(),
            _ => self
                .sub_user_ids(s)
                .iter()
                .skip(start)
                .take(end.saturating_sub(start))
                .filter_map(|i| self.users.get(*i))
                .map(|u| {
                    // The properties the connector selects (`$select=id,displayName,
                    // userPrincipalName`); the type annotation is always returned.
                    json!({
                        "@odata.type": "#microsoft.graph.user",
                        "id": u.id,
                        "displayName": u.display_name,
                        "userPrincipalName": u.user_principal_name,
                    })
                })
                .collect(),
        }
    }

    /// The whole per-object list as a JSON array.
    pub fn render_sub(&self, s: SubList) -> Value {
        Value::Array(self.sub_items(s, 0, self.sub_len(s)))
    }
}
