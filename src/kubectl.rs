//! kubectl v1.34, the subset the playground speaks: argument parsing, the commands, and the
//! printers that give kubectl's exact tables and messages.

pub mod apply;
pub mod args;
pub mod commands;
pub mod complete;
pub mod delete;
pub mod describe;
pub mod edit;
pub mod exec;
pub mod get;
pub mod manifest;
pub mod printers;
pub mod rollout;
pub mod run;
pub mod session;
pub mod tabwriter;
pub mod watch;
