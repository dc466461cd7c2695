//! Team mode: one process owns the book (sled allows one per data dir) and serves the
//! Book API over a Unix socket; other `crm` processes on the machine become its clients.
//! The protocol is one JSON request per line and one JSON response per line, so the API's
//! plain data types cross unchanged: one request per `BookApi` method (a write carries the
//! client's login as `actor`, recorded on the change), answered with the value or the
//! typed `BookError`.

use crate::domain::text::Text;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use jiff::civil::Date;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::api::BookApi;
use super::pdca::PlanEdit;
use super::{wire_said, Book, BookError, ImportReport, LogReceipt};
use crate::domain::agenda::Agenda;
use crate::domain::card::{Card, Summary};
use crate::domain::config::Config;
use crate::domain::model::{
    Account, ActDecision, Bond, BookData, Customer, CustomerId, Cycle, CycleId, Interaction, Lost,
    Metric, Order, Scope, TaskId, TaskOrigin,
};
use crate::domain::pdca::Plan;
use crate::domain::portfolio::Portfolio;
use crate::domain::search::Hit;

/// The socket a book's owner listens on, inside the (private) data dir.
pub fn socket_path(data_dir: &Path) -> PathBuf {
    data_dir.join("crm.sock")
}

/// One call of `BookApi`, as it crosses the socket (`{"op":"find","query":..,"limit":..}`).
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    Find {
        query: String,
        limit: usize,
    },
    Resolve {
        id_or_query: String,
    },
    Account {
        id: String,
    },
    Customer {
        id: String,
    },
    CustomerCount,
    IsEmpty,
    Card {
        id: String,
        as_of: Date,
    },
    Summaries {
        as_of: Date,
    },
    Agenda {
        as_of: Date,
        owner: Option<String>,
    },
    Portfolio {
        as_of: Date,
        capacity: Option<f64>,
    },
    Export,
    Cycles,
    FindCycle {
        id: CycleId,
    },
    CycleChain {
        id: CycleId,
    },
    Measure {
        metric: Metric,
        scope: Scope,
        as_of: Date,
    },
    MeasureCycle {
        id: CycleId,
        as_of: Date,
    },
    LogContact {
        id: String,
        interaction: Interaction,
        actor: String,
    },
    AddCustomer {
        customer: Customer,
        actor: String,
    },
    UpdateCustomer {
        customer: Customer,
        actor: String,
    },
    AddBond {
        id: String,
        bond: Bond,
        actor: String,
    },
    EndBond {
        id: String,
        index: usize,
        until: Date,
        actor: String,
    },
    AddOrder {
        id: String,
        order: Order,
        actor: String,
    },
    AddTask {
        id: String,
        due: Date,
        text: String,
        origin: TaskOrigin,
        actor: String,
    },
    SetTaskDone {
        id: String,
        task: TaskId,
        done: Option<Date>,
        actor: String,
    },
    SnoozeTask {
        id: String,
        task: TaskId,
        due: Date,
        actor: String,
    },
    SetLost {
        id: String,
        lost: Option<Lost>,
        actor: String,
    },
    Import {
        data: BookData,
        merge: bool,
        actor: String,
    },
    PlanCycle {
        plan: Plan,
        as_of: Date,
        actor: String,
    },
    EditCycle {
        id: CycleId,
        edit: PlanEdit,
        actor: String,
    },
    AdvanceCycle {
        id: CycleId,
        as_of: Date,
        actor: String,
    },
    AddCycleAction {
        id: CycleId,
        text: String,
        due: Option<Date>,
        actor: String,
    },
    CompleteCycleAction {
        id: CycleId,
        index: usize,
        on: Date,
        actor: String,
    },
    ActOnCycle {
        id: CycleId,
        decision: ActDecision,
        lessons: String,
        as_of: Date,
        actor: String,
    },
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Response {
    Ok(serde_json::Value),
    /// The book's own error, typed, so the client reports it as the owner would.
    Error(BookError),
}

fn encode<T: Serialize>(result: Result<T, BookError>) -> Result<serde_json::Value, BookError> {
    serde_json::to_value(result?)
        .map_err(|e| BookError::unavailable(format!("cannot encode the answer: {e}")))
}

/// Runs a write as the client's user, so the journal records who made the change.
fn as_actor<T>(book: &mut Book, actor: String, write: impl FnOnce(&mut Book) -> T) -> T {
    let owner = std::mem::replace(&mut book.actor, actor);
    let result = write(book);
    book.actor = owner;
    result
}

/// Answers one request with the owner's book.
fn answer(book: &mut Book, request: Request) -> Result<serde_json::Value, BookError> {
    // What other servers sharing the store committed since the last request (PostgreSQL).
    book.catch_up_shared()?;
    match request {
        Request::Find { query, limit } => encode(BookApi::find(book, &query, limit)),
        Request::Resolve { id_or_query } => encode(BookApi::resolve(book, &id_or_query)),
        Request::Account { id } => encode(BookApi::account(book, &id)),
        Request::Customer { id } => encode(BookApi::customer(book, &id)),
        Request::CustomerCount => encode(BookApi::customer_count(book)),
        Request::IsEmpty => encode(BookApi::is_empty(book)),
        Request::Card { id, as_of } => {
            let card = BookApi::card(book, &id, as_of)?;
            let json = encode(Ok(&card))?;
            Ok(wire_said::card_json(&card, json))
        }
        Request::Summaries { as_of } => encode(BookApi::summaries(book, as_of)),
        Request::Agenda { as_of, owner } => {
            let agenda = BookApi::agenda(book, as_of, owner.as_deref())?;
            let json = encode(Ok(&agenda))?;
            Ok(wire_said::agenda_json(&agenda, json))
        }
        Request::Portfolio { as_of, capacity } => encode(BookApi::portfolio(book, as_of, capacity)),
        Request::Export => encode(BookApi::export(book)),
        Request::Cycles => encode(BookApi::cycles(book)),
        Request::FindCycle { id } => encode(BookApi::find_cycle(book, id)),
        Request::CycleChain { id } => encode(BookApi::cycle_chain(book, id)),
        Request::Measure {
            metric,
            scope,
            as_of,
        } => encode(BookApi::measure(book, metric, &scope, as_of)),
        Request::MeasureCycle { id, as_of } => encode(BookApi::measure_cycle(book, id, as_of)),
        Request::LogContact {
            id,
            interaction,
            actor,
        } => encode(as_actor(book, actor, |book| {
            BookApi::log_contact(book, &id, interaction)
        })),
        Request::AddCustomer { customer, actor } => encode(as_actor(book, actor, |book| {
            BookApi::add_customer(book, customer)
        })),
        Request::UpdateCustomer { customer, actor } => encode(as_actor(book, actor, |book| {
            BookApi::update_customer(book, customer)
        })),
        Request::AddBond { id, bond, actor } => encode(as_actor(book, actor, |book| {
            BookApi::add_bond(book, &id, bond)
        })),
        Request::EndBond {
            id,
            index,
            until,
            actor,
        } => encode(as_actor(book, actor, |book| {
            BookApi::end_bond(book, &id, index, until)
        })),
        Request::AddOrder { id, order, actor } => encode(as_actor(book, actor, |book| {
            BookApi::add_order(book, &id, order)
        })),
        Request::AddTask {
            id,
            due,
            text,
            origin,
            actor,
        } => encode(as_actor(book, actor, |book| {
            BookApi::add_task(book, &id, due, &text, origin)
        })),
        Request::SetTaskDone {
            id,
            task,
            done,
            actor,
        } => encode(as_actor(book, actor, |book| {
            BookApi::set_task_done(book, &id, task, done)
        })),
        Request::SnoozeTask {
            id,
            task,
            due,
            actor,
        } => encode(as_actor(book, actor, |book| {
            BookApi::snooze_task(book, &id, task, due)
        })),
        Request::SetLost { id, lost, actor } => encode(as_actor(book, actor, |book| {
            BookApi::set_lost(book, &id, lost)
        })),
        Request::Import { data, merge, actor } => encode(as_actor(book, actor, |book| {
            BookApi::import(book, data, merge)
        })),
        Request::PlanCycle { plan, as_of, actor } => encode(as_actor(book, actor, |book| {
            BookApi::plan_cycle(book, plan, as_of)
        })),
        Request::EditCycle { id, edit, actor } => encode(as_actor(book, actor, |book| {
            BookApi::edit_cycle(book, id, edit)
        })),
        Request::AdvanceCycle { id, as_of, actor } => encode(as_actor(book, actor, |book| {
            BookApi::advance_cycle(book, id, as_of)
        })),
        Request::AddCycleAction {
            id,
            text,
            due,
            actor,
        } => encode(as_actor(book, actor, |book| {
            BookApi::add_cycle_action(book, id, &text, due)
        })),
        Request::CompleteCycleAction {
            id,
            index,
            on,
            actor,
        } => encode(as_actor(book, actor, |book| {
            BookApi::complete_cycle_action(book, id, index, on)
        })),
        Request::ActOnCycle {
            id,
            decision,
            lessons,
            as_of,
            actor,
        } => encode(as_actor(book, actor, |book| {
            BookApi::act_on_cycle(book, id, decision, &lessons, as_of)
        })),
    }
}

/// Serves clients one at a time until `stop` is set (checked after each connection: whoever
/// sets it connects once to wake the listener) or the listener fails. Each request is short
/// (a lookup or one durable write), so a queue of a few users is served in milliseconds.
pub fn serve(book: &mut Book, listener: &UnixListener, stop: &AtomicBool) -> std::io::Result<()> {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        match stream {
            Ok(stream) => {
                // A client that misbehaves or hangs up only ends its own connection.
                let _ = serve_connection(book, stream);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The longest request line the server reads. A line is buffered whole before it is parsed,
/// so a longer one is refused (and its connection closed) rather than allocated: without a
/// bound, one client sending bytes without a newline would grow the owner's memory until
/// it dies. 1 GiB leaves room for the largest request, an import of a whole book (the
/// 100,000-customer demo book is a 173 MB journal record).
const MAX_REQUEST: u64 = 1 << 30;

fn serve_connection(book: &mut Book, stream: UnixStream) -> std::io::Result<()> {
    serve_lines(book, stream, MAX_REQUEST)
}

/// Answers the requests on `stream`, each at most `limit` bytes.
fn serve_lines(book: &mut Book, stream: UnixStream, limit: u64) -> std::io::Result<()> {
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut line = Vec::new();
    loop {
        line.clear();
        // One byte over the limit is enough to know the line is too long.
        let read = std::io::Read::take(&mut reader, limit.saturating_add(1))
            .read_until(b'\n', &mut line)?;
        if read == 0 {
            break;
        }
        let oversized = line.len() as u64 > limit;
        if !oversized && line.trim_ascii().is_empty() {
            continue;
        }
        let response = if oversized {
            Response::Error(BookError::invalid(
                "request",
                format!("request longer than {limit} bytes refused"),
            ))
        } else {
            match serde_json::from_slice::<Request>(&line) {
                Ok(request) => match answer(book, request) {
                    Ok(value) => Response::Ok(value),
                    Err(e) => Response::Error(e),
                },
                Err(e) => {
                    Response::Error(BookError::invalid("request", format!("bad request: {e}")))
                }
            }
        };
        let mut text = serde_json::to_string(&response).unwrap_or_else(|_| {
            r#"{"error":{"kind":"unavailable","why":"cannot encode the answer"}}"#.to_string()
        });
        text.push('\n');
        writer.write_all(text.as_bytes())?;
        if oversized {
            // The rest of the line is still unread: nothing after it can be framed.
            break;
        }
    }
    book.save_snapshots().map_err(std::io::Error::other)
}

/// A connection to the process that owns the book, acting as one user.
pub struct Client {
    reader: BufReader<UnixStream>,
    writer: UnixStream,
    config: Config,
    actor: String,
}

impl Client {
    /// Connects to the socket; `actor` is recorded on the changes made through it, and
    /// `config` is what `BookApi::config` answers (the owner computes with its own).
    pub fn connect(socket: &Path, config: Config, actor: &str) -> std::io::Result<Client> {
        let stream = UnixStream::connect(socket)?;
        Ok(Client {
            writer: stream.try_clone()?,
            reader: BufReader::new(stream),
            config,
            actor: actor.to_string(),
        })
    }

    fn call<T: DeserializeOwned>(&mut self, request: &Request) -> Result<T, BookError> {
        let lost = |e: std::io::Error| {
            BookError::unavailable(format!("the serving crm process: {e}"))
                .with(Text::new("err-server-lost").arg("error", e))
        };
        let mut line = serde_json::to_string(request).map_err(|e| {
            BookError::invalid("request", format!("cannot encode the request: {e}"))
        })?;
        line.push('\n');
        self.writer.write_all(line.as_bytes()).map_err(lost)?;
        let mut answer = String::new();
        self.reader.read_line(&mut answer).map_err(lost)?;
        let response: Response = serde_json::from_str(&answer).map_err(bad_answer)?;
        match response {
            Response::Ok(value) => serde_json::from_value(value).map_err(bad_answer),
            Response::Error(error) => Err(error),
        }
    }
}

/// An answer that does not read as what was asked.
fn bad_answer(e: serde_json::Error) -> BookError {
    BookError::unavailable(format!("the serving crm process sent a bad answer: {e}"))
        .with(Text::new("err-server-bad-answer").arg("error", e))
}

impl BookApi for Client {
    fn config(&self) -> &Config {
        &self.config
    }

    fn actor(&self) -> &str {
        &self.actor
    }

    fn find(&mut self, query: &str, limit: usize) -> Result<Vec<Hit>, BookError> {
        self.call(&Request::Find {
            query: query.to_string(),
            limit,
        })
    }
    fn resolve(&mut self, id_or_query: &str) -> Result<CustomerId, BookError> {
        self.call(&Request::Resolve {
            id_or_query: id_or_query.to_string(),
        })
    }
    fn account(&mut self, id: &str) -> Result<Account, BookError> {
        self.call(&Request::Account { id: id.to_string() })
    }
    fn customer(&mut self, id: &str) -> Result<Customer, BookError> {
        self.call(&Request::Customer { id: id.to_string() })
    }
    fn customer_count(&mut self) -> Result<usize, BookError> {
        self.call(&Request::CustomerCount)
    }
    fn is_empty(&mut self) -> Result<bool, BookError> {
        self.call(&Request::IsEmpty)
    }
    fn card(&mut self, id: &str, as_of: Date) -> Result<Card, BookError> {
        let json = self.call(&Request::Card {
            id: id.to_string(),
            as_of,
        })?;
        wire_said::card_from(json).map_err(bad_answer)
    }
    fn summaries(&mut self, as_of: Date) -> Result<Vec<Summary>, BookError> {
        self.call(&Request::Summaries { as_of })
    }
    fn agenda(&mut self, as_of: Date, owner: Option<&str>) -> Result<Agenda, BookError> {
        let json = self.call(&Request::Agenda {
            as_of,
            owner: owner.map(str::to_string),
        })?;
        wire_said::agenda_from(json).map_err(bad_answer)
    }
    fn portfolio(&mut self, as_of: Date, capacity: Option<f64>) -> Result<Portfolio, BookError> {
        self.call(&Request::Portfolio { as_of, capacity })
    }
    fn export(&mut self) -> Result<BookData, BookError> {
        self.call(&Request::Export)
    }
    fn cycles(&mut self) -> Result<Vec<Cycle>, BookError> {
        self.call(&Request::Cycles)
    }
    fn find_cycle(&mut self, id: CycleId) -> Result<Cycle, BookError> {
        self.call(&Request::FindCycle { id })
    }
    fn cycle_chain(&mut self, id: CycleId) -> Result<Vec<Cycle>, BookError> {
        self.call(&Request::CycleChain { id })
    }
    fn measure(
        &mut self,
        metric: Metric,
        scope: &Scope,
        as_of: Date,
    ) -> Result<Option<f64>, BookError> {
        self.call(&Request::Measure {
            metric,
            scope: scope.clone(),
            as_of,
        })
    }
    fn measure_cycle(&mut self, id: CycleId, as_of: Date) -> Result<Option<f64>, BookError> {
        self.call(&Request::MeasureCycle { id, as_of })
    }
    fn log_contact(&mut self, id: &str, interaction: Interaction) -> Result<LogReceipt, BookError> {
        self.call(&Request::LogContact {
            id: id.to_string(),
            interaction,
            actor: self.actor.clone(),
        })
    }
    fn add_customer(&mut self, customer: Customer) -> Result<CustomerId, BookError> {
        self.call(&Request::AddCustomer {
            customer,
            actor: self.actor.clone(),
        })
    }
    fn update_customer(&mut self, customer: Customer) -> Result<(), BookError> {
        self.call(&Request::UpdateCustomer {
            customer,
            actor: self.actor.clone(),
        })
    }
    fn add_bond(&mut self, id: &str, bond: Bond) -> Result<(), BookError> {
        self.call(&Request::AddBond {
            id: id.to_string(),
            bond,
            actor: self.actor.clone(),
        })
    }
    fn end_bond(&mut self, id: &str, index: usize, until: Date) -> Result<(), BookError> {
        self.call(&Request::EndBond {
            id: id.to_string(),
            index,
            until,
            actor: self.actor.clone(),
        })
    }
    fn add_order(&mut self, id: &str, order: Order) -> Result<(), BookError> {
        self.call(&Request::AddOrder {
            id: id.to_string(),
            order,
            actor: self.actor.clone(),
        })
    }
    fn add_task(
        &mut self,
        id: &str,
        due: Date,
        text: &str,
        origin: TaskOrigin,
    ) -> Result<TaskId, BookError> {
        self.call(&Request::AddTask {
            id: id.to_string(),
            due,
            text: text.to_string(),
            origin,
            actor: self.actor.clone(),
        })
    }
    fn set_task_done(
        &mut self,
        id: &str,
        task: TaskId,
        done: Option<Date>,
    ) -> Result<(), BookError> {
        self.call(&Request::SetTaskDone {
            id: id.to_string(),
            task,
            done,
            actor: self.actor.clone(),
        })
    }
    fn snooze_task(&mut self, id: &str, task: TaskId, due: Date) -> Result<(), BookError> {
        self.call(&Request::SnoozeTask {
            id: id.to_string(),
            task,
            due,
            actor: self.actor.clone(),
        })
    }
    fn set_lost(&mut self, id: &str, lost: Option<Lost>) -> Result<(), BookError> {
        self.call(&Request::SetLost {
            id: id.to_string(),
            lost,
            actor: self.actor.clone(),
        })
    }
    fn import(&mut self, data: BookData, merge: bool) -> Result<ImportReport, BookError> {
        self.call(&Request::Import {
            data,
            merge,
            actor: self.actor.clone(),
        })
    }
    fn plan_cycle(&mut self, plan: Plan, as_of: Date) -> Result<Cycle, BookError> {
        self.call(&Request::PlanCycle {
            plan,
            as_of,
            actor: self.actor.clone(),
        })
    }
    fn edit_cycle(&mut self, id: CycleId, edit: PlanEdit) -> Result<Cycle, BookError> {
        self.call(&Request::EditCycle {
            id,
            edit,
            actor: self.actor.clone(),
        })
    }
    fn advance_cycle(&mut self, id: CycleId, as_of: Date) -> Result<Cycle, BookError> {
        self.call(&Request::AdvanceCycle {
            id,
            as_of,
            actor: self.actor.clone(),
        })
    }
    fn add_cycle_action(
        &mut self,
        id: CycleId,
        text: &str,
        due: Option<Date>,
    ) -> Result<Cycle, BookError> {
        self.call(&Request::AddCycleAction {
            id,
            text: text.to_string(),
            due,
            actor: self.actor.clone(),
        })
    }
    fn complete_cycle_action(
        &mut self,
        id: CycleId,
        index: usize,
        on: Date,
    ) -> Result<Cycle, BookError> {
        self.call(&Request::CompleteCycleAction {
            id,
            index,
            on,
            actor: self.actor.clone(),
        })
    }
    fn act_on_cycle(
        &mut self,
        id: CycleId,
        decision: ActDecision,
        lessons: &str,
        as_of: Date,
    ) -> Result<(Cycle, Option<Cycle>), BookError> {
        self.call(&Request::ActOnCycle {
            id,
            decision,
            lessons: lessons.to_string(),
            as_of,
            actor: self.actor.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::{BookApi, Missing};
    use crate::domain::model::{Direction, Outcome, Purpose, TaskOrigin};
    use crate::domain::testkit::{account, contact, d};

    /// A card and an agenda read over the socket carry their messages, so a client says
    /// evidence, actions and reasons in its own language: they equal the book's own.
    #[test]
    fn cards_and_agendas_carry_their_messages_over_the_socket() {
        let dir = tempfile::tempdir().unwrap();
        let mut book = Book::open(dir.path(), Config::default(), "owner").unwrap();
        book.add_customer(account("acme").customer).unwrap();
        let as_of = d("2026-03-02");
        let card = BookApi::card(&mut book, "acme", as_of).unwrap();
        let agenda = BookApi::agenda(&mut book, as_of, None).unwrap();
        assert!(!card.stage_evidence_said.is_empty() && !card.next_actions.is_empty());
        assert!(!card.next_actions[0].action_said.key.is_empty());
        assert!(!agenda.actions.is_empty() && !agenda.actions[0].action_said.key.is_empty());
        // The contract's JSON stays without them.
        let json = serde_json::to_string(&card).unwrap();
        assert!(!json.contains("said"), "{json}");
        let socket = socket_path(dir.path());
        let listener = UnixListener::bind(&socket).unwrap();
        let stop = AtomicBool::new(false);
        std::thread::scope(|scope| {
            let server = scope.spawn(|| serve(&mut book, &listener, &stop));
            let mut client = Client::connect(&socket, Config::default(), "bob").unwrap();
            assert_eq!(client.card("acme", as_of).unwrap(), card);
            assert_eq!(client.agenda(as_of, None).unwrap(), agenda);
            stop.store(true, Ordering::SeqCst);
            drop(client);
            let _ = UnixStream::connect(&socket);
            server.join().unwrap().unwrap();
        });
        // An answer without them (an older server) reads as the card, its lines in English.
        let plain = wire_said::card_from(serde_json::to_value(&card).unwrap()).unwrap();
        assert!(plain.stage_evidence_said.is_empty());
        assert_eq!(plain.stage_evidence, card.stage_evidence);
    }

    /// A client is a `BookApi` like the book itself: reads, writes (recorded under the
    /// client's login) and typed errors all cross the socket.
    #[test]
    fn a_client_reads_writes_and_gets_typed_errors_over_the_socket() {
        let dir = tempfile::tempdir().unwrap();
        let mut book = Book::open(dir.path(), Config::default(), "owner").unwrap();
        let socket = socket_path(dir.path());
        let listener = UnixListener::bind(&socket).unwrap();
        let stop = AtomicBool::new(false);
        std::thread::scope(|scope| {
            let server = scope.spawn(|| serve(&mut book, &listener, &stop));
            let mut client = Client::connect(&socket, Config::default(), "bob").unwrap();
            let id = client.add_customer(account("acme").customer).unwrap();
            assert_eq!(id, "acme");
            assert_eq!(client.resolve("Customer acme").unwrap(), "acme");
            let task = client
                .add_task("acme", d("2026-03-09"), "call back", TaskOrigin::Manual)
                .unwrap();
            let call = contact(
                "2026-03-02T10:00:00Z",
                Direction::Outbound,
                Purpose::Service,
                Outcome::Positive,
            );
            client.log_contact("acme", call).unwrap();
            assert_eq!(client.account("acme").unwrap().tasks[0].id, task);
            assert_eq!(
                client.set_task_done("acme", 9999, Some(d("2026-03-02"))),
                Err(BookError::NotFound {
                    what: Missing::Task {
                        customer: "acme".into()
                    },
                    id: "9999".into()
                })
            );
            assert!(matches!(
                client.card("nobody", d("2026-03-02")),
                Err(BookError::NotFound {
                    what: Missing::Customer,
                    ..
                })
            ));
            assert_eq!(client.customer_count().unwrap(), 1);
            stop.store(true, Ordering::SeqCst);
            drop(client);
            let _ = UnixStream::connect(&socket);
            server.join().unwrap().unwrap();
        });
        let actors: Vec<String> = book
            .store
            .journal_entries()
            .unwrap()
            .into_iter()
            .map(|entry| entry.actor)
            .collect();
        assert_eq!(
            actors,
            ["bob", "bob", "bob"],
            "the client's login is recorded"
        );
        assert_eq!(book.actor(), "owner");
    }

    /// A request line longer than the limit is answered with an error and ends the
    /// connection, without the server buffering the rest; a request within it is served.
    #[test]
    fn an_oversized_request_is_refused_not_buffered() {
        let dir = tempfile::tempdir().unwrap();
        let mut book = Book::open(dir.path(), Config::default(), "owner").unwrap();
        let (client, server) = UnixStream::pair().unwrap();
        let served = std::thread::scope(|scope| {
            let serving = scope.spawn(|| serve_lines(&mut book, server, 64));
            let mut writer = client.try_clone().unwrap();
            let mut reader = BufReader::new(client);
            // 33 bytes with its newline: within the limit, answered.
            writer
                .write_all(b"{\"op\":\"customer_count\"}       \n")
                .unwrap();
            let mut answer = String::new();
            reader.read_line(&mut answer).unwrap();
            assert_eq!(answer, "{\"ok\":0}\n");
            // 65 bytes and no newline: one over the limit.
            writer.write_all(&[b'x'; 65]).unwrap();
            answer.clear();
            reader.read_line(&mut answer).unwrap();
            assert!(answer.contains("longer than 64 bytes"), "{answer}");
            answer.clear();
            assert_eq!(
                reader.read_line(&mut answer).unwrap(),
                0,
                "connection closed"
            );
            serving.join().unwrap()
        });
        served.unwrap();
    }
}
