//! Plumbing shared by the psa-rmm example binaries: configuration from the environment, connectors for
//! the sandbox or real vendors, demo settings, scoring and terminal output.

pub mod callback;
pub mod check;
pub mod cli;
pub mod config;
pub mod connect;
pub mod csv;
pub mod demo;
pub mod report;
pub mod score;
pub mod settings;
pub mod ui;
pub mod veto;

#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
