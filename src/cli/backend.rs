//! Where a command's book is: served by another `crm` process (a console, `crm serve`), in
//! which case the command is a client of it over the book's socket; else opened here.
//! Either way the command holds a `BookApi`.
//!
//! The book's lock decides who owns it: a command that finds it held by a process that
//! does not serve it (another command, for the moment it runs) waits for it, asking the
//! socket again meanwhile, so nobody is refused a book because someone else is using it.

use std::time::{Duration, Instant};

use jiff::civil::Date;

use super::{Context, UserError};
use crate::book::remote::{Client, ConnectError};
use crate::book::{Book, BookApi, BookError};
use crate::domain::card::Card;
use crate::i18n::tr;

/// How long a command waits for a book another command holds.
const WAIT_FOR_BOOK: Duration = Duration::from_secs(60);

/// The book itself, or, when another process owns it and serves it, a client.
pub fn open(context: &Context) -> Result<Box<dyn BookApi>, UserError> {
    Ok(match reach(context)? {
        Reached::Served(client) => client,
        // The same rules as in the server: the book as this session may use it.
        Reached::Opened(book) => Box::new(crate::book::access::local(*book, &context.user)?),
    })
}

/// What a command found.
pub enum Reached {
    Served(Box<Client>),
    Opened(Box<Book>),
}

/// Asks the book's socket; when nobody serves it, opens the book, waiting while another
/// process holds it without serving it.
pub fn reach(context: &Context) -> Result<Reached, UserError> {
    let started = Instant::now();
    loop {
        if let Some(client) = connect(context)? {
            return Ok(Reached::Served(Box::new(client)));
        }
        if context.socket_named {
            // A named socket is the team's server: opening some other book instead would
            // put the user's work where nobody else sees it.
            return Err(UserError::Message(tr(
                "cli-no-server",
                &[("socket", &context.socket.display().to_string())],
            )));
        }
        match context.open_book() {
            Ok(book) => return Ok(Reached::Opened(Box::new(book))),
            Err(UserError::Book(error))
                if error.is_locked() && started.elapsed() < WAIT_FOR_BOOK =>
            {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(error) => return Err(error),
        }
    }
}

/// A client of the book's server, or `None` when nobody serves it.
pub fn connect(context: &Context) -> Result<Option<Client>, UserError> {
    let wanted = context.config_named.then_some(&context.config);
    match Client::connect(&context.socket, wanted) {
        Ok(client) => Ok(Some(client)),
        Err(ConnectError::NoServer(_)) => Ok(None),
        Err(ConnectError::Refused(error)) => Err(UserError::Book(error)),
    }
}

/// Refuses `command`, which needs the book to itself, while a process serves it (the
/// book's lock would refuse it too, less helpfully).
pub fn require_unserved(context: &Context, command: &str) -> Result<(), UserError> {
    match Client::connect(&context.socket, None) {
        Ok(client) => Err(UserError::Message(tr(
            "cli-served-exclusive",
            &[
                ("command", command),
                ("pid", &client.server_pid().to_string()),
            ],
        ))),
        Err(_) => Ok(()),
    }
}

/// The customer card for an id or a query naming exactly one customer.
pub fn card(api: &mut dyn BookApi, id: &str, as_of: Date) -> Result<Card, BookError> {
    let id = api.resolve(id)?;
    api.card(&id, as_of)
}
