//! Microsoft clouds and their hosts.

use serde::Deserialize;

/// A Microsoft cloud: the global service or a national cloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Cloud {
    /// Commercial and GCC.
    #[default]
    Global,
    /// GCC High.
    Usgov,
    /// DoD.
    Usgovdod,
    /// Microsoft 365 operated by 21Vianet.
    China,
}

/// The roots of the services a connector calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hosts {
    pub graph: String,
    pub login: String,
    pub exo: String,
}

impl Cloud {
    /// The documented hosts of this cloud (Microsoft Graph national cloud deployments;
    /// the Exchange Online PowerShell connection URIs of each environment).
    pub fn hosts(self) -> Hosts {
        let (graph, login, exo) = match self {
            Cloud::Global => (
                "https://graph.microsoft.com",
                "https://login.microsoftonline.com",
                "https://outlook.office365.com",
            ),
            Cloud::Usgov => (
                "https://graph.microsoft.us",
                "https://login.microsoftonline.us",
                "https://outlook.office365.us",
            ),
            Cloud::Usgovdod => (
                "https://dod-graph.microsoft.us",
                "https://login.microsoftonline.us",
                "https://webmail.apps.mil",
            ),
            Cloud::China => (
                "https://microsoftgraph.chinacloudapi.cn",
                "https://login.chinacloudapi.cn",
                "https://partner.outlook.cn",
            ),
        };
        Hosts {
            graph: graph.into(),
            login: login.into(),
            exo: exo.into(),
        }
    }
}
