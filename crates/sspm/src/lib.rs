//! `sspm`: SaaS Security Posture Management, as a library behind the `sspm` binary.
//!
//! The binary (`main.rs`) parses the command line and calls [`commands::run`]; the
//! modules here are the commands, the store-backed operations they share, and the web
//! server (`sspm serve`, [`server`]).

pub mod bench;
pub mod cli;
pub mod commands;
mod connect;
mod demo;
mod history;
mod instances;
pub mod scanning;
pub mod server;
mod serving;
pub mod stored;
mod tokens;

/// How a command ended, beyond plain success.
#[derive(Debug)]
pub enum Outcome {
    /// Everything fine: exit 0.
    Ok,
    /// The command worked and found what the user asked to fail on: exit 1.
    Findings,
}
