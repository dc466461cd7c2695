//! Where a command's book is: opened here, or owned by a serving `crm` process (team mode),
//! in which case the command becomes a client of it over the book's socket. Either way the
//! command holds a `BookApi`.

use jiff::civil::Date;

use super::{Context, UserError};
use crate::book::remote::{socket_path, Client};
use crate::book::{BookApi, BookError};
use crate::domain::card::Card;

/// The book itself, or, when another process owns it and serves it, a client.
pub fn open(context: &Context) -> Result<Box<dyn BookApi>, UserError> {
    // A live server first: it may keep the book elsewhere than the data dir (PostgreSQL),
    // where opening the data dir would find another book, or none.
    let socket = socket_path(&context.data_dir);
    if socket.exists() {
        if let Ok(client) = Client::connect(&socket, context.config.clone(), &context.user) {
            return Ok(Box::new(client));
        }
    }
    let book = context.open_book()?;
    // The same rules as in the server: the book as this session may use it.
    Ok(Box::new(crate::book::access::local(book, &context.user)?))
}

/// The customer card for an id or a query naming exactly one customer.
pub fn card(api: &mut dyn BookApi, id: &str, as_of: Date) -> Result<Card, BookError> {
    let id = api.resolve(id)?;
    api.card(&id, as_of)
}
