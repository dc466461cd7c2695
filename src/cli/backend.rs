//! Where a command's book is: opened here, or owned by a serving `crm` process (team mode),
//! in which case the command becomes a client of it over the book's socket.

use jiff::civil::Date;

use super::{Context, UserError};
use crate::book::remote::{socket_path, Client, Request};
use crate::book::{Book, BookError, LogReceipt};
use crate::domain::agenda::Agenda;
use crate::domain::card::{Card, Summary};
use crate::domain::model::Interaction;
use crate::domain::portfolio::Portfolio;
use crate::domain::search::Hit;

pub enum Backend {
    Local(Box<Book>),
    Remote(Client),
}

impl Backend {
    /// The book itself, or, when another process owns it and serves it, a client.
    pub fn open(context: &Context) -> Result<Backend, UserError> {
        match context.open_book() {
            Ok(book) => Ok(Backend::Local(Box::new(book))),
            Err(error) => {
                let socket = socket_path(&context.data_dir);
                match Client::connect(&socket) {
                    Ok(client) if socket.exists() => Ok(Backend::Remote(client)),
                    _ => Err(error),
                }
            }
        }
    }

    /// Customers matching `query`, best first.
    pub fn find(&mut self, query: &str, limit: usize) -> Result<Vec<Hit>, BookError> {
        match self {
            Backend::Local(book) => Ok(book.find(query, limit)),
            Backend::Remote(client) => client.call(&Request::Find {
                query: query.to_string(),
                limit,
            }),
        }
    }

    /// The customer card for an id or a query naming exactly one customer.
    pub fn card(&mut self, id: &str, as_of: Date) -> Result<Card, BookError> {
        match self {
            Backend::Local(book) => {
                let id = book.resolve(id)?;
                book.card(&id, as_of)
            }
            Backend::Remote(client) => client.call(&Request::Show {
                id: id.to_string(),
                as_of,
            }),
        }
    }

    /// Logs a contact; returns what was done once it is durable.
    pub fn log(
        &mut self,
        id: &str,
        interaction: Interaction,
        actor: &str,
    ) -> Result<LogReceipt, BookError> {
        match self {
            Backend::Local(book) => {
                let id = book.resolve(id)?;
                book.log_contact(&id, interaction)
            }
            Backend::Remote(client) => client.call(&Request::Log {
                id: id.to_string(),
                interaction,
                actor: actor.to_string(),
            }),
        }
    }

    pub fn agenda(&mut self, as_of: Date, owner: Option<&str>) -> Result<Agenda, BookError> {
        match self {
            Backend::Local(book) => book.agenda(as_of, owner),
            Backend::Remote(client) => client.call(&Request::Agenda {
                as_of,
                owner: owner.map(str::to_string),
            }),
        }
    }

    /// One line per customer, in id order.
    pub fn list(&mut self, as_of: Date) -> Result<Vec<Summary>, BookError> {
        match self {
            Backend::Local(book) => book.summaries(as_of),
            Backend::Remote(client) => client.call(&Request::List { as_of }),
        }
    }

    pub fn portfolio(
        &mut self,
        as_of: Date,
        capacity: Option<f64>,
    ) -> Result<Portfolio, BookError> {
        match self {
            Backend::Local(book) => book.portfolio(as_of, capacity),
            Backend::Remote(client) => client.call(&Request::Portfolio { as_of, capacity }),
        }
    }
}
