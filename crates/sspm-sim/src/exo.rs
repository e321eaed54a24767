//! Exchange Online configuration of a simulated tenant: the objects that Exchange
//! cmdlets (`Get-OrganizationConfig`, `Get-TransportConfig`, …) return through the
//! admin API's `InvokeCommand`, with the property names and types of the cmdlets'
//! Microsoft Learn reference pages.
//!
//! Values follow the tenant's [`Posture`]: a weak tenant allows automatic external
//! forwarding, leaves DKIM off for its custom domains, keeps SMTP AUTH on, has
//! mailbox and unified audit logging off and filters little; a hardened one is set
//! as the CISA SCuBA Exchange Online baseline asks (MS.EXO.1.1 no automatic
//! forwarding, 3.1 DKIM on every domain, 5.1 SMTP AUTH off, 6.1/6.2 no contacts or
//! calendar details shared with all domains, 9 attachment filtering, 10 malware
//! scanning with ZAP, 11 impersonation protection, 13.1 mailbox auditing, 15 Safe
//! Links, 17.1 unified audit logging). A [`Posture::Mixed`](crate::Posture::Mixed)
//! tenant draws each cmdlet's settings from one or the other.

use serde_json::{json, Value};

use crate::model::M365Tenant;
use crate::rng::Rng;
use crate::time;

/// The cmdlets the simulated tenant has data for, in the casing of their documentation.
pub const EXO_CMDLETS: &[&str] = &[
    "Get-OrganizationConfig",
    "Get-TransportConfig",
    "Get-RemoteDomain",
    "Get-SharingPolicy",
    "Get-DkimSigningConfig",
    "Get-AdminAuditLogConfig",
    "Get-HostedOutboundSpamFilterPolicy",
    "Get-AntiPhishPolicy",
    "Get-MalwareFilterPolicy",
    "Get-SafeLinksPolicy",
    "Get-SafeAttachmentPolicy",
    "Get-OwaMailboxPolicy",
];

/// File types the common attachment filter blocks (the default list of
/// `New-MalwareFilterPolicy -EnableFileFilter`).
const FILE_TYPES: &[&str] = &[
    "ace", "ani", "apk", "app", "appx", "arj", "bat", "cab", "cmd", "com", "deb", "dex", "dll",
    "docm", "elf", "exe", "hta", "img", "iso", "jar", "jnlp", "kext", "lha", "lib", "library",
    "lnk", "lzh", "macho", "msc", "msi", "msix", "msp", "mst", "pif", "ppa", "ppam", "reg", "rev",
    "scf", "scr", "sct", "sys", "uif", "vb", "vbe", "vbs", "vxd", "wsc", "wsf", "wsh", "xll", "xz",
    "z",
];

impl M365Tenant {
    /// The objects `cmdlet` returns for this tenant (each as the admin API's JSON),
    /// or `None` when the simulator has no data for that cmdlet. Cmdlet names are
    /// matched case-insensitively, as PowerShell does; see [`EXO_CMDLETS`].
    pub fn exo_cmdlet(&self, cmdlet: &str) -> Option<Vec<Value>> {
        let name = EXO_CMDLETS
            .iter()
            .find(|c| c.eq_ignore_ascii_case(cmdlet))?;
        // A mixed tenant configured some cmdlets' settings and not others.
        let hardened = self.strong(&format!("exo:{name}"));
        let exo = Exo { t: self, hardened };
        Some(match *name {
            "Get-OrganizationConfig" => vec![exo.organization_config()],
            "Get-TransportConfig" => vec![exo.transport_config()],
            "Get-RemoteDomain" => exo.remote_domains(),
            "Get-SharingPolicy" => vec![exo.sharing_policy()],
            "Get-DkimSigningConfig" => exo.dkim(),
            "Get-AdminAuditLogConfig" => vec![exo.admin_audit_log_config()],
            "Get-HostedOutboundSpamFilterPolicy" => exo.outbound_spam(),
            "Get-AntiPhishPolicy" => exo.anti_phish(),
            "Get-MalwareFilterPolicy" => exo.malware(),
            "Get-SafeLinksPolicy" => exo.safe_links(),
            "Get-SafeAttachmentPolicy" => exo.safe_attachments(),
            _ => vec![exo.owa_mailbox_policy()],
        })
    }
}

struct Exo<'a> {
    t: &'a M365Tenant,
    hardened: bool,
}

impl Exo<'_> {
    /// A stable GUID per object.
    fn guid(&self, label: &str) -> String {
        let seed = self
            .t
            .tenant_id
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
            });
        Rng::stream(seed, &format!("exo:{label}")).guid()
    }

    fn created(&self) -> String {
        time::format(self.t.organization.created + 2 * time::DAY)
    }

    fn changed(&self, days_ago: i64) -> String {
        time::format(self.t.now - days_ago * time::DAY)
    }

    fn org_name(&self) -> String {
        self.t.tenant_domain.clone()
    }

    fn default_domain(&self) -> &str {
        self.t
            .domains
            .iter()
            .find(|d| d.is_default)
            .map_or(self.t.tenant_domain.as_str(), |d| d.name.as_str())
    }

    /// `Identity`, `Name`, `Guid`, `WhenCreated`, `WhenChanged`, `IsValid` of a
    /// configuration object, followed by `fields`.
    fn object(&self, name: &str, identity: &str, days_ago: i64, fields: Value) -> Value {
        let mut obj = json!({
            "Identity": identity,
            "Name": name,
            "Guid": self.guid(identity),
            "WhenCreated": self.created(),
            "WhenChanged": self.changed(days_ago),
            "WhenCreatedUTC": self.created(),
            "WhenChangedUTC": self.changed(days_ago),
            "OrganizationId": format!("EURPR01A001.prod.outlook.com/Microsoft Exchange Hosted Organizations/{} - EURPR01A001.prod.outlook.com/ConfigurationUnits/{}/Configuration", self.org_name(), self.org_name()),
            "IsValid": true,
            "ObjectState": "Unchanged",
        });
        if let (Some(o), Value::Object(f)) = (obj.as_object_mut(), fields) {
            o.extend(f);
        }
        obj
    }

    fn organization_config(&self) -> Value {
        let h = self.hardened;
        self.object(
            &self.org_name(),
            &self.org_name(),
            40,
            json!({
                "DisplayName": self.t.organization.display_name,
                "AuditDisabled": !h,
                // Modern authentication: off in a weak tenant created before it became the default.
                "OAuth2ClientProfileEnabled": h,
                "ActivityBasedAuthenticationTimeoutEnabled": true,
                "ActivityBasedAuthenticationTimeoutInterval": "06:00:00",
                "ActivityBasedAuthenticationTimeoutWithSingleSignOnEnabled": true,
                "AppsForOfficeEnabled": !h,
                "AutoExpandingArchiveEnabled": h,
                "BookingsEnabled": !h,
                "ConnectorsEnabled": true,
                "CustomerLockBoxEnabled": h,
                "DefaultAuthenticationPolicy": if h { "Block Basic Auth" } else { "" },
                "DirectReportsGroupAutoCreationEnabled": false,
                "ElcProcessingDisabled": false,
                "EwsApplicationAccessPolicy": if h { "EnforceAllowList" } else { "" },
                "EwsAllowList": if h { json!(["Outlook*", "Microsoft Office*"]) } else { Value::Null },
                "FocusedInboxOn": true,
                "IsDehydrated": false,
                "MailTipsAllTipsEnabled": true,
                "MailTipsExternalRecipientsTipsEnabled": h,
                "MailTipsGroupMetricsEnabled": true,
                "MailTipsLargeAudienceThreshold": 25,
                "MailTipsMailboxSourcedTipsEnabled": true,
                "OutlookMobileGCCRestrictionsEnabled": false,
                "PublicFoldersEnabled": "Local",
                "SmtpActionableMessagesEnabled": !h,
                "UnblockUnsafeSenderPromptEnabled": !h,
            }),
        )
    }

    fn transport_config(&self) -> Value {
        let h = self.hardened;
        self.object(
            "Transport Settings",
            "Transport Settings",
            60,
            json!({
                "SmtpClientAuthenticationDisabled": h,
                "AddressBookPolicyRoutingEnabled": false,
                "AllowLegacyTLSClients": !h,
                "ClearCategories": true,
                "ConvertDisclaimerWrapperToEml": false,
                "DSNConversionMode": "UseExchangeDSNs",
                "ExternalDelayDsnEnabled": true,
                "ExternalDsnReportingAuthority": "",
                "ExternalPostmasterAddress": Value::Null,
                "InternalSMTPServers": [],
                "JournalingReportNdrTo": "<>",
                "MaxDumpsterSizePerDatabase": "18 MB (18,874,368 bytes)",
                "MaxReceiveSize": "36 MB (37,748,736 bytes)",
                "MaxRecipientEnvelopeLimit": "500",
                "MaxSendSize": "35 MB (36,700,160 bytes)",
                "MessageExpiration": "1.00:00:00",
                "ReplyAllStormProtectionEnabled": true,
                "ReplyAllStormDetectionMinimumRecipients": 2500,
                "ReplyAllStormDetectionMinimumReplies": 10,
                "ReplyAllStormBlockDurationHours": 6,
                "Rfc2231EncodingEnabled": false,
                "SmtpClientAuthenticationDisabledForTls": Value::Null,
                "TLSReceiveDomainSecureList": [],
                "TLSSendDomainSecureList": [],
                "VoicemailJournalingEnabled": true,
            }),
        )
    }

    fn remote_domain(&self, name: &str, domain: &str, auto_forward: bool) -> Value {
        self.object(
            name,
            name,
            90,
            json!({
                "DomainName": domain,
                "IsInternal": false,
                "TargetDeliveryDomain": false,
                "ByteEncoderTypeFor7BitCharsets": "Undefined",
                "CharacterSet": "iso-8859-1",
                "NonMimeCharacterSet": "iso-8859-1",
                "AllowedOOFType": "External",
                "AutoReplyEnabled": true,
                "AutoForwardEnabled": auto_forward,
                "DeliveryReportEnabled": true,
                "NDREnabled": true,
                "MeetingForwardNotificationEnabled": false,
                "ContentType": "MimeHtmlText",
                "DisplaySenderName": true,
                "PreferredInternetCodeForShiftJis": "Undefined",
                "RequiredCharsetCoverage": Value::Null,
                "TNEFEnabled": Value::Null,
                "LineWrapSize": "Unlimited",
                "TrustedMailOutboundEnabled": false,
                "TrustedMailInboundEnabled": false,
                "UseSimpleDisplayName": false,
                "NDRDiagnosticInfoEnabled": true,
                "MessageCountThreshold": 2147483647,
            }),
        )
    }

    fn remote_domains(&self) -> Vec<Value> {
        let mut out = vec![self.remote_domain("Default", "*", !self.hardened)];
        if !self.hardened {
            out.push(self.remote_domain("Partner", "fabrikam.com", true));
        }
        out
    }

    fn sharing_policy(&self) -> Value {
        let domains = if self.hardened {
            json!(["*:CalendarSharingFreeBusySimple"])
        } else {
            json!([
                "Anonymous:CalendarSharingFreeBusyDetail",
                "*:CalendarSharingFreeBusyDetail",
                "*:ContactsSharing"
            ])
        };
        self.object(
            "Default Sharing Policy",
            "Default Sharing Policy",
            120,
            json!({ "Domains": domains, "Enabled": true, "Default": true }),
        )
    }

    fn dkim(&self) -> Vec<Value> {
        self.t
            .domains
            .iter()
            .filter(|d| d.is_verified && d.supported_services.contains(&"Email"))
            .map(|d| {
                let enabled = self.hardened || d.is_initial;
                let label = d.name.replace('.', "-");
                let initial = &self.t.tenant_domain;
                self.object(
                    &d.name,
                    &d.name,
                    30,
                    json!({
                        "Domain": d.name,
                        "Enabled": enabled,
                        "Status": if enabled { "Valid" } else { "CnameMissing" },
                        "Selector1CNAME": format!("selector1-{label}._domainkey.{initial}"),
                        "Selector2CNAME": format!("selector2-{label}._domainkey.{initial}"),
                        "Selector1KeySize": 2048,
                        "Selector2KeySize": 2048,
                        "Algorithm": "RsaSHA256",
                        "BodyCanonicalization": "Relaxed",
                        "HeaderCanonicalization": "Relaxed",
                        "IncludeKeyExpiration": false,
                        "IncludeSignatureCreationTime": false,
                        "NumberOfBytesToSign": "All",
                        "KeyCreationTime": self.created(),
                        "LastChecked": self.changed(1),
                        "RotateOnDate": self.changed(-30),
                        "SelectorBeforeRotateOnDate": "selector2",
                        "SelectorAfterRotateOnDate": "selector1",
                        "IsDefault": d.is_initial,
                    }),
                )
            })
            .collect()
    }

    fn admin_audit_log_config(&self) -> Value {
        self.object(
            "Admin Audit Log Settings",
            "Admin Audit Log Settings",
            200,
            json!({
                "UnifiedAuditLogIngestionEnabled": self.hardened,
                "UnifiedAuditLogFirstOptInDate": if self.hardened { Value::String(self.created()) } else { Value::Null },
                "AdminAuditLogEnabled": true,
                "AdminAuditLogCmdlets": ["*"],
                "AdminAuditLogParameters": ["*"],
                "AdminAuditLogExcludedCmdlets": [],
                "AdminAuditLogAgeLimit": "90.00:00:00",
                "LoadBalancerCount": 3,
                "LogLevel": "None",
                "TestCmdletLoggingEnabled": false,
            }),
        )
    }

    fn outbound_spam(&self) -> Vec<Value> {
        let h = self.hardened;
        vec![self.object(
            "Default",
            "Default",
            50,
            json!({
                "IsDefault": true,
                "Enabled": true,
                "AutoForwardingMode": if h { "Off" } else { "On" },
                "RecipientLimitExternalPerHour": if h { 500 } else { 0 },
                "RecipientLimitInternalPerHour": if h { 1000 } else { 0 },
                "RecipientLimitPerDay": if h { 1000 } else { 0 },
                "ActionWhenThresholdReached": "BlockUserForToday",
                "BccSuspiciousOutboundMail": h,
                "BccSuspiciousOutboundAdditionalRecipients": if h { json!([format!("secops@{}", self.default_domain())]) } else { json!([]) },
                "NotifyOutboundSpam": h,
                "NotifyOutboundSpamRecipients": if h { json!([format!("secops@{}", self.default_domain())]) } else { json!([]) },
                "AdminDisplayName": "",
            }),
        )]
    }

    fn anti_phish_policy(&self, name: &str, default: bool, strict: bool) -> Value {
        self.object(
            name,
            name,
            20,
            json!({
                "IsDefault": default,
                "Enabled": true,
                "PhishThresholdLevel": if strict { 3 } else { 1 },
                "EnableSpoofIntelligence": true,
                "EnableUnauthenticatedSender": true,
                "EnableViaTag": true,
                "HonorDmarcPolicy": true,
                "DmarcQuarantineAction": "Quarantine",
                "DmarcRejectAction": "Reject",
                "AuthenticationFailAction": "MoveToJmf",
                "SpoofQuarantineTag": "DefaultFullAccessPolicy",
                "EnableFirstContactSafetyTips": strict,
                "EnableMailboxIntelligence": true,
                "EnableMailboxIntelligenceProtection": strict,
                "MailboxIntelligenceProtectionAction": if strict { "Quarantine" } else { "NoAction" },
                "EnableOrganizationDomainsProtection": strict,
                "EnableTargetedDomainsProtection": false,
                "TargetedDomainsToProtect": [],
                "TargetedDomainProtectionAction": if strict { "Quarantine" } else { "NoAction" },
                "EnableTargetedUserProtection": strict,
                "TargetedUsersToProtect": if strict { json!([format!("CEO;ceo@{}", self.default_domain())]) } else { json!([]) },
                "TargetedUserProtectionAction": if strict { "Quarantine" } else { "NoAction" },
                "EnableSimilarUsersSafetyTips": strict,
                "EnableSimilarDomainsSafetyTips": strict,
                "EnableUnusualCharactersSafetyTips": strict,
                "ImpersonationProtectionState": if strict { "Manual" } else { "Automatic" },
                "RecommendedPolicyType": if strict { "Strict" } else { "Custom" },
            }),
        )
    }

    fn anti_phish(&self) -> Vec<Value> {
        let mut out = vec![self.anti_phish_policy("Office365 AntiPhish Default", true, false)];
        if self.hardened {
            out.push(self.anti_phish_policy("Strict Preset Security Policy1649", false, true));
        }
        out
    }

    fn malware(&self) -> Vec<Value> {
        let h = self.hardened;
        vec![self.object(
            "Default",
            "Default",
            70,
            json!({
                "IsDefault": true,
                "EnableFileFilter": h,
                "FileTypes": FILE_TYPES,
                "FileTypeAction": "Reject",
                "MatchExtensionsWithoutCheckingFileType": false,
                "ZapEnabled": h,
                "QuarantineTag": "AdminOnlyAccessPolicy",
                "EnableInternalSenderAdminNotifications": h,
                "InternalSenderAdminAddress": if h { Value::String(format!("secops@{}", self.default_domain())) } else { Value::Null },
                "EnableExternalSenderAdminNotifications": false,
                "ExternalSenderAdminAddress": Value::Null,
                "CustomNotifications": false,
                "AdminDisplayName": "",
            }),
        )]
    }

    fn safe_links_policy(&self, name: &str, built_in: bool, strict: bool) -> Value {
        self.object(
            name,
            name,
            25,
            json!({
                "IsBuiltInProtection": built_in,
                "EnableSafeLinksForEmail": strict || built_in,
                "EnableSafeLinksForTeams": strict || built_in,
                "EnableSafeLinksForOffice": strict || built_in,
                "TrackClicks": strict,
                "AllowClickThrough": !strict,
                "ScanUrls": strict || built_in,
                "EnableForInternalSenders": strict,
                "DeliverMessageAfterScan": strict,
                "DisableUrlRewrite": !strict,
                "DoNotRewriteUrls": [],
                "CustomNotificationText": "",
                "EnableOrganizationBranding": false,
                "UseTranslatedNotificationText": false,
                "AdminDisplayName": "",
            }),
        )
    }

    /// Safe Links and Safe Attachments come with Defender for Office 365, which a weak
    /// tenant (Microsoft 365 E3) does not have: the cmdlets return no policy.
    fn safe_links(&self) -> Vec<Value> {
        if !self.hardened {
            return Vec::new();
        }
        vec![
            self.safe_links_policy("Built-In Protection Policy", true, false),
            self.safe_links_policy("Strict Preset Security Policy1649", false, true),
        ]
    }

    fn safe_attachment_policy(
        &self,
        name: &str,
        built_in: bool,
        enable: bool,
        action: &str,
    ) -> Value {
        self.object(
            name,
            name,
            25,
            json!({
                "IsBuiltInProtection": built_in,
                "Enable": enable,
                "Action": action,
                "QuarantineTag": "AdminOnlyAccessPolicy",
                "Redirect": false,
                "RedirectAddress": Value::Null,
                "ActionOnError": true,
                "AdminDisplayName": "",
            }),
        )
    }

    fn safe_attachments(&self) -> Vec<Value> {
        if !self.hardened {
            return Vec::new();
        }
        vec![
            self.safe_attachment_policy("Built-In Protection Policy", true, true, "Block"),
            self.safe_attachment_policy("Strict Preset Security Policy1649", false, true, "Block"),
        ]
    }

    fn owa_mailbox_policy(&self) -> Value {
        let h = self.hardened;
        self.object(
            "OwaMailboxPolicy-Default",
            "OwaMailboxPolicy-Default",
            100,
            json!({
                "IsDefault": true,
                "AdditionalStorageProvidersAvailable": !h,
                "ActiveSyncIntegrationEnabled": true,
                "AllAddressListsEnabled": true,
                "CalendarEnabled": true,
                "ContactsEnabled": true,
                "DirectFileAccessOnPublicComputersEnabled": !h,
                "DirectFileAccessOnPrivateComputersEnabled": true,
                "ExternalImageProxyEnabled": true,
                "InstantMessagingEnabled": true,
                "LinkedInEnabled": !h,
                "OneDriveAttachmentsEnabled": true,
                "PersonalAccountCalendarsEnabled": !h,
                "PersonalAccountsEnabled": !h,
                "ThirdPartyFileProvidersEnabled": !h,
                "WacEditingEnabled": true,
                "WacExternalServicesEnabled": !h,
                "WacOMEXEnabled": false,
                "WacViewingOnPublicComputersEnabled": true,
                "WacViewingOnPrivateComputersEnabled": true,
                "UserVoiceEnabled": !h,
                "OutlookBetaToggleEnabled": true,
                "SignaturesEnabled": true,
            }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{M365Spec, Posture};

    #[test]
    fn every_cmdlet_has_data_and_postures_differ_where_scuba_looks() {
        let weak = M365Tenant::generate(&M365Spec::small(Posture::Weak));
        let hard = M365Tenant::generate(&M365Spec::small(Posture::Hardened));
        for c in EXO_CMDLETS {
            let w = weak.exo_cmdlet(c).unwrap();
            // No Defender for Office 365 in the weak tenant: no Safe Links/Attachments policy.
            assert_eq!(w.is_empty(), c.starts_with("Get-Safe"), "{c}");
            assert!(!hard.exo_cmdlet(c).unwrap().is_empty(), "{c}");
            assert!(w.iter().all(|o| o["Identity"].is_string()), "{c}");
            assert!(hard.exo_cmdlet(&c.to_lowercase()).is_some(), "{c}");
        }
        assert!(weak.exo_cmdlet("Get-Nothing").is_none());
        let first = |t: &M365Tenant, c: &str, k: &str| t.exo_cmdlet(c).unwrap()[0][k].clone();
        assert_eq!(
            first(&weak, "Get-RemoteDomain", "AutoForwardEnabled"),
            json!(true)
        );
        assert_eq!(
            first(&hard, "Get-RemoteDomain", "AutoForwardEnabled"),
            json!(false)
        );
        assert_eq!(
            first(
                &weak,
                "Get-TransportConfig",
                "SmtpClientAuthenticationDisabled"
            ),
            json!(false)
        );
        assert_eq!(
            first(
                &hard,
                "Get-TransportConfig",
                "SmtpClientAuthenticationDisabled"
            ),
            json!(true)
        );
        assert_eq!(
            first(&weak, "Get-OrganizationConfig", "AuditDisabled"),
            json!(true)
        );
        assert_eq!(
            first(
                &hard,
                "Get-AdminAuditLogConfig",
                "UnifiedAuditLogIngestionEnabled"
            ),
            json!(true)
        );
        let dkim_all_on = |t: &M365Tenant| {
            t.exo_cmdlet("Get-DkimSigningConfig")
                .unwrap()
                .iter()
                .all(|d| d["Enabled"] == json!(true))
        };
        assert!(!dkim_all_on(&weak));
        assert!(dkim_all_on(&hard));
        // Same tenant, same objects.
        assert_eq!(
            weak.exo_cmdlet("Get-SharingPolicy"),
            M365Tenant::generate(&M365Spec::small(Posture::Weak)).exo_cmdlet("Get-SharingPolicy")
        );
    }
}
