//! The command line: one file per subcommand; this file resolves the shared context
//! (data dir, config, as-of date, user) and maps errors to exit codes.

pub mod agenda;
pub mod args;
pub mod audit;
pub mod backend;
pub mod check;
pub mod context;
pub mod correct;
pub mod demo;
pub mod export;
pub mod find;
mod help;
pub mod import;
pub mod list;
pub mod log;
mod man;
pub mod migrate;
pub mod pdca;
mod pdca_view;
pub mod portfolio;
pub mod progress;
pub mod serve;
pub mod show;
pub mod sync;
pub mod user;
pub mod values;

use std::io::{IsTerminal, Write};

use clap::{CommandFactory, FromArgMatches};

use crate::book::BookError;
use crate::domain::safe_text::{escaped, escaped_keeping_layout};
use crate::interchange::import_error::ImportError;
use args::{Cli, Command};
pub use context::Context;

/// A failure the user can act on, printed as one line; `exit_code` says which code it ends with.
#[derive(Debug)]
pub enum UserError {
    /// Worded by the command itself (a flag's value, a file it cannot read).
    Message(String),
    /// The book's typed error, local or from the serving process.
    Book(BookError),
}

impl std::fmt::Display for UserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UserError::Message(message) => f.write_str(message),
            UserError::Book(error) => f.write_str(&book_error_text(error)),
        }
    }
}

/// A book error in the reader's language: the book gives every error as a message too
/// (`BookError::said`), worded by the message files.
fn book_error_text(error: &BookError) -> String {
    crate::i18n::say(&error.said())
}

/// A failure about a place (a file, a flag, a socket): its name, then what is wrong there.
fn at(place: &str, error: &str) -> UserError {
    UserError::Message(crate::i18n::tr(
        "cli-at",
        &[("place", place), ("error", error)],
    ))
}

/// The one place errors become exit codes (CONTRACT.md: 1 for bad input, not found,
/// refused; 2 for usage errors, which clap and `run` report before a command runs). Every
/// kind is named, so a new kind of error is a decision here, not a default.
pub fn exit_code(error: &UserError) -> i32 {
    match error {
        UserError::Message(_) => 1,
        UserError::Book(book) => match book {
            BookError::NotFound { .. }
            | BookError::Ambiguous { .. }
            | BookError::Refused { .. }
            | BookError::Invalid { .. }
            | BookError::Import(_)
            | BookError::Unavailable { .. }
            | BookError::Damaged { .. }
            | BookError::Storage { .. } => 1,
        },
    }
}

impl From<BookError> for UserError {
    fn from(error: BookError) -> Self {
        UserError::Book(error)
    }
}

impl From<ImportError> for UserError {
    fn from(error: ImportError) -> Self {
        UserError::Book(BookError::Import(error))
    }
}

/// Writing JSON or a file, or reading one: the OS's or encoder's words.
impl From<std::io::Error> for UserError {
    fn from(error: std::io::Error) -> Self {
        UserError::Message(error.to_string())
    }
}

impl From<serde_json::Error> for UserError {
    fn from(error: serde_json::Error) -> Self {
        UserError::Message(error.to_string())
    }
}

impl From<anyhow::Error> for UserError {
    fn from(error: anyhow::Error) -> Self {
        UserError::Message(error.to_string())
    }
}

pub type CliResult = Result<(), UserError>;

/// Parses the process's command line, `--help` and clap's errors in the reader's language:
/// the config's `language` when it can be read now, else the locale (the command then sets
/// the language again from the config it loads).
pub fn parse_args() -> Cli {
    crate::i18n::set(crate::i18n::detect(
        help::config_language().as_deref(),
        |name| std::env::var(name).ok(),
    ));
    let matches = help::localized(Cli::command()).get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit())
}

/// Runs a parsed command line; returns the process exit code: 0 success, 1 a user error
/// (one line on stderr), 2 a usage error (a value clap could not check: `--as-of`).
pub fn run(cli: Cli) -> i32 {
    // Completions and the man page describe the command line only: no config, no book.
    match &cli.command {
        Some(Command::Completions { shell }) => return finish(completions(*shell)),
        Some(Command::Man) => {
            return finish(print_bytes(&man::render(&help::translated(Cli::command()))))
        }
        _ => {}
    }
    // `--as-of` is global, so it is checked here rather than by clap (which would refuse it
    // for `completions` and `man` too); a bad date is a usage error all the same.
    if let Some(text) = &cli.as_of {
        if let Err(message) = values::date(text) {
            let error = Cli::command().error(
                clap::error::ErrorKind::ValueValidation,
                format!("invalid value '{text}' for '--as-of <YYYY-MM-DD>': {message}"),
            );
            let _ = error.print();
            return 2;
        }
    }
    finish(dispatch(cli))
}

fn finish(result: CliResult) -> i32 {
    match result {
        Ok(()) => 0,
        Err(error) => {
            let mut stderr = std::io::stderr().lock();
            // One line, whatever the message quotes from the data or a file.
            let line = error.to_string().replace('\n', " ");
            let _ = writeln!(stderr, "crm: {}", escaped(&line));
            exit_code(&error)
        }
    }
}

fn completions(shell: clap_complete::Shell) -> CliResult {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "crm", &mut script);
    print_bytes(&script)
}

/// The console draws on a terminal; without one it would fail with an obscure OS error.
fn require_terminal() -> CliResult {
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        return Ok(());
    }
    Err(UserError::Message(crate::i18n::t("cli-no-terminal")))
}

fn dispatch(cli: Cli) -> CliResult {
    if cli.command.is_none() || matches!(cli.command, Some(Command::Demo { open: true, .. })) {
        require_terminal()?;
    }
    let context = Context::resolve(&cli)?;
    // The interface's language, for every message from here on (the console's included).
    crate::i18n::set(crate::i18n::detect(
        context.config.language.as_deref(),
        |name| std::env::var(name).ok(),
    ));
    match cli.command {
        None => console(&context),
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
            json,
        }) => import::run(&context, &file, format, merge, json),
        Some(Command::Export { format, output }) => {
            export::run(&context, format, output.as_deref())
        }
        Some(Command::Find { query, limit, json }) => {
            find::run(&context, &query.join(" "), limit, json)
        }
        Some(Command::Show { id, json }) => show::run(&context, &id, json),
        Some(Command::Log(args)) => log::run(&context, args),
        Some(Command::Correct(args)) => correct::run(&context, args),
        Some(Command::Agenda { json, owner }) => agenda::run(&context, json, owner.as_deref()),
        Some(Command::List { json }) => list::run(&context, json),
        Some(Command::Portfolio { json, capacity }) => portfolio::run(&context, json, capacity),
        Some(Command::Pdca(args)) => pdca::run(&context, args),
        Some(Command::Check { repair, json }) => check::run(&context, repair, json),
        Some(Command::Serve) => serve::run(&context),
        Some(Command::Migrate { to, from }) => migrate::run(&context, to, from),
        Some(Command::Audit {
            customer,
            since,
            json,
        }) => audit::run(
            &context,
            customer.as_deref(),
            cli.user.as_deref(),
            since,
            json,
        ),
        Some(Command::User(args)) => user::run(&context, args),
        Some(Command::Sync {
            target,
            stdio,
            status,
            peer_command,
            clear_refused,
            json,
        }) => sync::run(
            &context,
            sync::SyncArgs {
                target,
                stdio,
                status,
                peer_command,
                clear_refused,
                json,
            },
        ),
        Some(Command::Completions { .. }) | Some(Command::Man) => Ok(()),
    }
}

/// The console: a client of the process serving the book, else the book's owner, serving
/// it to every other `crm` while it runs.
fn console(context: &Context) -> CliResult {
    let shelf = context.shelf();
    if let Some(client) = backend::connect(context)? {
        let (config, user) = (context.config.clone(), context.user.clone());
        return crate::tui::run_served(
            client,
            context.as_of,
            &context.socket,
            context.socket_named,
            &mut || shelf.open(config.clone(), &user).ok(),
        )
        .map_err(UserError::from);
    }
    if context.socket_named {
        return Err(UserError::Message(crate::i18n::tr(
            "cli-no-server",
            &[("socket", &context.socket.display().to_string())],
        )));
    }
    crate::tui::open_and_run(
        &shelf,
        context.as_of,
        &context.config,
        &context.user,
        &context.socket,
        || {
            context
                .open_book()
                .map_err(|e| anyhow::anyhow!(e.to_string()))
        },
    )
    .map_err(UserError::from)
}

/// Writes text for a person to stdout (see `print`): control characters that are not the
/// text's own line breaks and tabs are shown escaped. The renderers escape each field of
/// data too (so a field never spans lines); this catches whatever one may have missed.
pub fn print_text(text: &str) -> CliResult {
    print(&escaped_keeping_layout(text))
}

/// Writes to stdout exactly (JSON, exports), treating a closed pipe (`crm find x | head -1`) as success.
pub fn print(text: &str) -> CliResult {
    print_bytes(text.as_bytes())
}

pub fn print_bytes(bytes: &[u8]) -> CliResult {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(UserError::from(e)),
        _ => Ok(()),
    }
}
