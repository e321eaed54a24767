//! `sspm token create | list | revoke`: the API tokens of `sspm serve`.

use anyhow::Result;
use sspm_store::Role;

use crate::cli::{ReportFormat, RoleArg, TokenCommand};
use crate::commands::print;
use crate::stored::{self, runtime};
use crate::Outcome;

fn role(r: RoleArg) -> Role {
    match r {
        RoleArg::Viewer => Role::Viewer,
        RoleArg::Operator => Role::Operator,
        RoleArg::Admin => Role::Admin,
    }
}

pub fn run(cmd: TokenCommand) -> Result<Outcome> {
    runtime()?.block_on(async {
        match cmd {
            TokenCommand::Create(args) => {
                let store = stored::open(args.store.as_deref(), None).await?;
                let new = store
                    .create_token(&args.name, role(args.role), &stored::actor())
                    .await?;
                eprintln!(
                    "Token `{}` ({}) created. It is shown this once; keep it in a secret store:",
                    new.info.name, new.info.role
                );
                print(&format!("{}\n", new.token))?;
            }
            TokenCommand::List(args) => {
                let store = stored::open(args.store.as_deref(), None).await?;
                let tokens = store.tokens().await?;
                match args.format {
                    ReportFormat::Json => {
                        print(&format!("{}\n", serde_json::to_string_pretty(&tokens)?))?
                    }
                    ReportFormat::Table => {
                        let mut out = format!(
                            "{:<24} {:<9} {:<20} {:<20} {}\n",
                            "NAME", "ROLE", "CREATED", "LAST USED", "STATUS"
                        );
                        let short = |t: &chrono::DateTime<chrono::Utc>| {
                            t.format("%Y-%m-%d %H:%M").to_string()
                        };
                        for t in &tokens {
                            out.push_str(&format!(
                                "{:<24} {:<9} {:<20} {:<20} {}\n",
                                t.name,
                                t.role,
                                short(&t.created_at),
                                t.last_used_at
                                    .as_ref()
                                    .map(short)
                                    .unwrap_or_else(|| "never".into()),
                                t.revoked_at
                                    .as_ref()
                                    .map(|r| format!("revoked {}", short(r)))
                                    .unwrap_or_else(|| "active".into())
                            ));
                        }
                        if tokens.is_empty() {
                            out.push_str(
                                "(none: `sspm serve` creates an admin token on first start)\n",
                            );
                        }
                        print(&out)?;
                    }
                }
            }
            TokenCommand::Revoke(args) => {
                let store = stored::open(args.store.as_deref(), None).await?;
                let t = store.revoke_token(&args.name, &stored::actor()).await?;
                eprintln!(
                    "Token `{}` ({}) is revoked: it no longer authenticates.",
                    t.name, t.role
                );
            }
        }
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(Outcome::Ok)
}
