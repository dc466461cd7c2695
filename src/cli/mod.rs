//! The command line: one file per subcommand; this file resolves the shared context
//! (data dir, config, as-of date, user) and maps errors to exit codes.

pub mod agenda;
pub mod args;
pub mod backend;
pub mod check;
pub mod context;
pub mod demo;
pub mod export;
pub mod find;
pub mod import;
pub mod list;
pub mod log;
pub mod pdca;
mod pdca_view;
pub mod portfolio;
pub mod progress;
pub mod serve;
pub mod show;

use std::io::Write;

use clap::CommandFactory;

use crate::domain::safe_text::{escaped, escaped_keeping_layout};
use args::{Cli, Command};
pub use context::Context;

/// A failure the user can act on: printed as one line, exit code 1.
#[derive(Debug)]
pub struct UserError(pub String);

impl<E: std::fmt::Display> From<E> for UserError {
    fn from(error: E) -> Self {
        UserError(error.to_string())
    }
}

pub type CliResult = Result<(), UserError>;

/// Runs a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match dispatch(cli) {
        Ok(()) => 0,
        Err(UserError(message)) => {
            let mut stderr = std::io::stderr().lock();
            // One line, whatever the message quotes from the data or a file.
            let line = message.replace('\n', " ");
            let _ = writeln!(stderr, "crm: {}", escaped(&line));
            1
        }
    }
}

fn dispatch(cli: Cli) -> CliResult {
    let context = Context::resolve(&cli)?;
    match cli.command {
        None => crate::tui::open_and_run(
            &context.data_dir,
            context.as_of,
            &context.config,
            &context.user,
            || context.open_book().map_err(|e| anyhow::anyhow!(e.0)),
        )
        .map_err(UserError::from),
        Some(Command::Demo {
            customers,
            seed,
            force,
            open,
        }) => demo::run(&context, customers, seed, force, open),
        Some(Command::Import {
            file,
            format,
            merge,
        }) => import::run(&context, &file, format, merge),
        Some(Command::Export { format, output }) => {
            export::run(&context, format, output.as_deref())
        }
        Some(Command::Find { query, limit, json }) => {
            find::run(&context, &query.join(" "), limit, json)
        }
        Some(Command::Show { id, json }) => show::run(&context, &id, json),
        Some(Command::Log(args)) => log::run(&context, args),
        Some(Command::Agenda { json, owner }) => agenda::run(&context, json, owner.as_deref()),
        Some(Command::List { json }) => list::run(&context, json),
        Some(Command::Portfolio { json, capacity }) => portfolio::run(&context, json, capacity),
        Some(Command::Pdca(args)) => pdca::run(&context, args),
        Some(Command::Check { repair, json }) => check::run(&context, repair, json),
        Some(Command::Serve { socket }) => serve::run(&context, socket.as_deref()),
        Some(Command::Completions { shell }) => {
            clap_complete::generate(shell, &mut Cli::command(), "crm", &mut std::io::stdout());
            Ok(())
        }
        Some(Command::Man) => clap_mangen::Man::new(Cli::command())
            .render(&mut std::io::stdout())
            .map_err(UserError::from),
    }
}

/// Writes text for a person to stdout (see `print`): control characters that are not the
/// text's own line breaks and tabs are shown escaped. The renderers escape each field of
/// data too (so a field never spans lines); this catches whatever one may have missed.
pub fn print_text(text: &str) -> CliResult {
    print(&escaped_keeping_layout(text))
}

/// Writes to stdout exactly (JSON, exports), treating a closed pipe (`crm find x | head -1`) as success.
pub fn print(text: &str) -> CliResult {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(UserError::from(e)),
        _ => Ok(()),
    }
}
