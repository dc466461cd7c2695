//! The client side: `Api<T>` is a `BookApi` whose every call is a `Request` answered
//! through a `Transport`: the book's socket (`Client`, another process owns the book) or
//! the hub of this process (`Owned`, this process owns the book and serves it too). Either
//! way the answer is the same JSON, so a front end sees no difference.

use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::civil::Date;
use serde::de::DeserializeOwned;

use super::super::audit::{AuditEntry, AuditFilter};
use super::super::pdca::PlanEdit;
use super::super::{wire_said, BookApi, BookError, ImportReport, LogReceipt};
use super::frame::{write_frame, FrameError, FrameReader};
use super::protocol::{
    Bye, ClientHello, Opening, Request, Response, ServerHello, MAX_ANSWER, MAX_REQUEST, PROTOCOL,
};
use super::server::mismatch;
use crate::domain::agenda::Agenda;
use crate::domain::card::{Card, Summary};
use crate::domain::config::Config;
use crate::domain::model::{
    Account, ActDecision, Bond, BookData, Customer, CustomerId, Cycle, CycleId, Interaction, Lost,
    Metric, Order, Scope, TaskId, TaskOrigin, User,
};
use crate::domain::pdca::Plan;
use crate::domain::portfolio::{Portfolio, QueueEntry, QueueKind};
use crate::domain::search::Hit;
use crate::domain::text::Text;

/// How a request reaches the book.
pub trait Transport {
    fn call(&mut self, request: Request) -> Result<serde_json::Value, BookError>;
}

/// The book's interface over a transport, as one user (the one the server names).
pub struct Api<T> {
    pub(super) transport: T,
    pub(super) config: Config,
    pub(super) actor: String,
}

impl<T: Transport> Api<T> {
    fn call<R: DeserializeOwned>(&mut self, request: Request) -> Result<R, BookError> {
        let value = self.transport.call(request)?;
        serde_json::from_value(value).map_err(bad_answer)
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }
}

/// A client of the process that owns the book.
pub type Client = Api<Socket>;

/// Why a client could not be had.
#[derive(Debug)]
pub enum ConnectError {
    /// Nobody serves the book at that socket (no file, or nobody listening).
    NoServer(std::io::Error),
    /// A server answered and refused (another protocol, an unknown user, another config).
    Refused(BookError),
}

/// An answer that does not read as what was asked.
pub(super) fn bad_answer(e: impl std::fmt::Display) -> BookError {
    BookError::unavailable(format!("the serving crm process sent a bad answer: {e}"))
        .with(Text::new("err-server-bad-answer").arg("error", e))
}

fn lost(pid: u32, e: impl std::fmt::Display) -> BookError {
    BookError::unavailable(format!(
        "the serving crm process (pid {pid}) went away: {e}"
    ))
    .with(Text::new("err-server-gone").arg("pid", pid).arg("error", e))
}

/// How long an answer may take to arrive whole once it has started.
const ANSWER_TRANSFER: Duration = Duration::from_secs(600);
/// How long a client looks for the next owner after its server said `bye`.
const RECONNECT: Duration = Duration::from_secs(5);

/// One connection that has said hello.
pub(super) struct Connection {
    reader: FrameReader,
    writer: UnixStream,
    pub(super) hello: ServerHello,
}

/// What became of one request sent on a connection.
enum Outcome {
    Answer(Response),
    /// Never sent, or answered by a `bye`: not carried out, safe to send again.
    NotCarriedOut,
    /// Sent and no answer came: carried out or not, nobody can say.
    Lost(FrameError),
}

impl Connection {
    pub(super) fn open(socket: &Path) -> Result<Connection, ConnectError> {
        let stream = UnixStream::connect(socket).map_err(ConnectError::NoServer)?;
        let mut writer = stream.try_clone().map_err(ConnectError::NoServer)?;
        let mut reader = FrameReader::new(stream);
        let hello = serde_json::to_vec(&Opening::Hello(ClientHello { protocol: PROTOCOL }))
            .map_err(|e| ConnectError::Refused(bad_answer(e)))?;
        // A server that refuses at once (too many connections) may have closed before the
        // hello arrives: its answer is still there to read.
        let sent = write_frame(&mut writer, &hello);
        let frame = reader
            .next(MAX_ANSWER, Some(Duration::from_secs(60)), ANSWER_TRANSFER)
            .map_err(|e| match e {
                FrameError::Io(e) => ConnectError::NoServer(e),
                // A server that closes before answering the hello is stopping.
                FrameError::Closed => ConnectError::NoServer(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "the server closed the connection before saying hello",
                )),
                other => ConnectError::Refused(bad_answer(other)),
            });
        let frame = match (frame, sent) {
            (Ok(frame), _) => frame,
            (Err(_), Err(e)) => return Err(ConnectError::NoServer(e)),
            (Err(e), Ok(())) => return Err(e),
        };
        match serde_json::from_slice::<Response>(&frame) {
            Ok(Response::Hello(hello)) if hello.protocol == PROTOCOL => Ok(Connection {
                reader,
                writer,
                hello: *hello,
            }),
            Ok(Response::Hello(hello)) => {
                Err(ConnectError::Refused(mismatch(hello.protocol, PROTOCOL)))
            }
            Ok(Response::Error(error)) => Err(ConnectError::Refused(error)),
            Ok(Response::Bye(_)) => Err(ConnectError::NoServer(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "the server is stopping",
            ))),
            // Protocol 1 answered a hello as a bad request.
            Ok(_) | Err(_) => Err(ConnectError::Refused(mismatch(1, PROTOCOL))),
        }
    }

    fn exchange(&mut self, request: &[u8]) -> Outcome {
        if write_frame(&mut self.writer, request).is_err() {
            return Outcome::NotCarriedOut;
        }
        self.read()
    }

    fn read(&mut self) -> Outcome {
        match self.reader.next(MAX_ANSWER, None, ANSWER_TRANSFER) {
            Ok(frame) => match serde_json::from_slice::<Response>(&frame) {
                Ok(Response::Bye(Bye { .. })) => Outcome::NotCarriedOut,
                Ok(response) => Outcome::Answer(response),
                Err(e) => Outcome::Answer(Response::Error(bad_answer(e))),
            },
            Err(e) => Outcome::Lost(e),
        }
    }

    /// Reads the next frame of a subscription.
    pub(super) fn next_frame(&mut self) -> Result<Response, FrameError> {
        let frame = self.reader.next(MAX_ANSWER, None, ANSWER_TRANSFER)?;
        serde_json::from_slice::<Response>(&frame)
            .map_err(|e| FrameError::Io(std::io::Error::other(e)))
    }

    pub(super) fn send(&mut self, request: &Request) -> std::io::Result<()> {
        let bytes = serde_json::to_vec(request).map_err(std::io::Error::other)?;
        write_frame(&mut self.writer, &bytes)
    }
}

/// The socket transport: one connection, reopened when the server says `bye` (it went
/// idle, or its owner quit and another took over).
pub struct Socket {
    path: PathBuf,
    conn: Option<Connection>,
    pid: u32,
}

impl Socket {
    /// The pid of the serving process.
    pub fn server_pid(&self) -> u32 {
        self.pid
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn reconnect(&mut self) -> Result<&mut Connection, BookError> {
        let started = Instant::now();
        loop {
            match Connection::open(&self.path) {
                Ok(conn) => {
                    self.pid = conn.hello.pid;
                    return Ok(self.conn.insert(conn));
                }
                Err(ConnectError::Refused(error)) => return Err(error),
                Err(ConnectError::NoServer(e)) => {
                    if started.elapsed() > RECONNECT {
                        return Err(lost(self.pid, e));
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
        }
    }
}

impl Transport for Socket {
    fn call(&mut self, request: Request) -> Result<serde_json::Value, BookError> {
        let bytes = serde_json::to_vec(&request).map_err(|e| {
            BookError::invalid("request", format!("cannot encode the request: {e}"))
        })?;
        if bytes.len() > MAX_REQUEST {
            return Err(too_large(&request, bytes.len()));
        }
        let write = request.is_write();
        loop {
            let conn = match self.conn.as_mut() {
                Some(conn) => conn,
                None => self.reconnect()?,
            };
            match conn.exchange(&bytes) {
                Outcome::Answer(Response::Ok(value)) => return Ok(value),
                Outcome::Answer(Response::Error(error)) => return Err(error),
                Outcome::Answer(other) => {
                    self.conn = None;
                    return Err(bad_answer(format!("{other:?}")));
                }
                Outcome::NotCarriedOut => self.conn = None,
                Outcome::Lost(e) => {
                    self.conn = None;
                    if write {
                        return Err(BookError::unavailable(format!(
                            "the serving crm process (pid {}) went away before answering ({e}); \
                             the change may or may not have been made",
                            self.pid
                        ))
                        .with(Text::new("err-server-gone-unsure").arg("pid", self.pid)));
                    }
                }
            }
        }
    }
}

/// A request over the server's limit: an import of a whole large book is the only one.
fn too_large(request: &Request, bytes: usize) -> BookError {
    let mb = bytes.div_ceil(1 << 20).to_string();
    let limit = (MAX_REQUEST >> 20).to_string();
    match request {
        Request::Import { .. } => BookError::refused(format!(
            "this import is {mb} MB, over the {limit} MB a served book takes in one request; \
             stop the serving crm and import again (the book is then opened directly)"
        ))
        .with(
            Text::new("err-import-too-large-served")
                .arg("mb", mb)
                .arg("limit", limit),
        ),
        _ => BookError::invalid(
            "request",
            format!("request of {mb} MB over the {limit} MB limit"),
        )
        .with(
            Text::new("err-request-too-large")
                .arg("mb", mb)
                .arg("limit", limit),
        ),
    }
}

impl Client {
    /// Connects to the book's server at `socket`. `wanted` is the configuration the user
    /// named (`--config`, `$CRM_CONFIG`): a server that computes with another one is
    /// refused, so figures are never silently computed with rules the user did not ask for.
    pub fn connect(socket: &Path, wanted: Option<&Config>) -> Result<Client, ConnectError> {
        let conn = Connection::open(socket)?;
        let hello = conn.hello.clone();
        if let Some(wanted) = wanted {
            if !same_rules(wanted, &hello.config) {
                return Err(ConnectError::Refused(
                    BookError::refused(format!(
                        "this book is served by crm pid {}, which computes with its own \
                         configuration; a --config or $CRM_CONFIG that differs from it applies \
                         only to a book opened directly (leave it out, or stop the server)",
                        hello.pid
                    ))
                    .with(Text::new("err-served-config").arg("pid", hello.pid)),
                ));
            }
        }
        let mut config = hello.config;
        // The language is the reader's, not the book's.
        config.language = wanted.and_then(|c| c.language.clone());
        Ok(Api {
            transport: Socket {
                path: socket.to_path_buf(),
                pid: hello.pid,
                conn: Some(conn),
            },
            config,
            actor: hello.login,
        })
    }

    /// The pid of the serving process.
    pub fn server_pid(&self) -> u32 {
        self.transport.pid
    }
}

/// Two configurations that compute the same figures (the language is only how they are said).
pub fn same_rules(a: &Config, b: &Config) -> bool {
    let mut a = a.clone();
    a.language = b.language.clone();
    &a == b
}

impl<T: Transport> BookApi for Api<T> {
    fn config(&self) -> &Config {
        &self.config
    }

    fn actor(&self) -> &str {
        &self.actor
    }

    fn find(&mut self, query: &str, limit: usize) -> Result<Vec<Hit>, BookError> {
        self.call(Request::Find {
            query: query.to_string(),
            limit,
        })
    }
    fn resolve(&mut self, id_or_query: &str) -> Result<CustomerId, BookError> {
        self.call(Request::Resolve {
            id_or_query: id_or_query.to_string(),
        })
    }
    fn account(&mut self, id: &str) -> Result<Account, BookError> {
        self.call(Request::Account { id: id.to_string() })
    }
    fn customer(&mut self, id: &str) -> Result<Customer, BookError> {
        self.call(Request::Customer { id: id.to_string() })
    }
    fn customer_count(&mut self) -> Result<usize, BookError> {
        self.call(Request::CustomerCount)
    }
    fn is_empty(&mut self) -> Result<bool, BookError> {
        self.call(Request::IsEmpty)
    }
    fn card(&mut self, id: &str, as_of: Date) -> Result<Card, BookError> {
        let json = self.call(Request::Card {
            id: id.to_string(),
            as_of,
        })?;
        wire_said::card_from(json).map_err(bad_answer)
    }
    fn summaries(&mut self, as_of: Date) -> Result<Vec<Summary>, BookError> {
        self.call(Request::Summaries { as_of })
    }
    fn agenda(&mut self, as_of: Date, owner: Option<&str>) -> Result<Agenda, BookError> {
        let json = self.call(Request::Agenda {
            as_of,
            owner: owner.map(str::to_string),
        })?;
        wire_said::agenda_from(json).map_err(bad_answer)
    }
    fn portfolio(&mut self, as_of: Date, capacity: Option<f64>) -> Result<Portfolio, BookError> {
        self.call(Request::Portfolio { as_of, capacity })
    }
    fn queue(&mut self, as_of: Date, queue: QueueKind) -> Result<Vec<QueueEntry>, BookError> {
        self.call(Request::Queue { as_of, queue })
    }
    fn export(&mut self) -> Result<BookData, BookError> {
        self.call(Request::Export)
    }
    fn cycles(&mut self) -> Result<Vec<Cycle>, BookError> {
        self.call(Request::Cycles)
    }
    fn find_cycle(&mut self, id: CycleId) -> Result<Cycle, BookError> {
        self.call(Request::FindCycle { id })
    }
    fn cycle_chain(&mut self, id: CycleId) -> Result<Vec<Cycle>, BookError> {
        self.call(Request::CycleChain { id })
    }
    fn measure(
        &mut self,
        metric: Metric,
        scope: &Scope,
        as_of: Date,
    ) -> Result<Option<f64>, BookError> {
        self.call(Request::Measure {
            metric,
            scope: scope.clone(),
            as_of,
        })
    }
    fn measure_cycle(&mut self, id: CycleId, as_of: Date) -> Result<Option<f64>, BookError> {
        self.call(Request::MeasureCycle { id, as_of })
    }
    fn log_contact(&mut self, id: &str, interaction: Interaction) -> Result<LogReceipt, BookError> {
        self.call(Request::LogContact {
            id: id.to_string(),
            interaction,
        })
    }
    fn retract_contact(&mut self, receipt: &LogReceipt) -> Result<(), BookError> {
        self.call(Request::RetractContact {
            receipt: receipt.clone(),
        })
    }
    fn correct_contact(
        &mut self,
        id: &str,
        previous: &Interaction,
        corrected: Interaction,
    ) -> Result<(), BookError> {
        self.call(Request::CorrectContact {
            id: id.to_string(),
            previous: previous.clone(),
            corrected,
        })
    }
    fn add_customer(&mut self, customer: Customer) -> Result<CustomerId, BookError> {
        self.call(Request::AddCustomer { customer })
    }
    fn update_customer(&mut self, customer: Customer) -> Result<(), BookError> {
        self.call(Request::UpdateCustomer { customer })
    }
    fn add_bond(&mut self, id: &str, bond: Bond) -> Result<(), BookError> {
        self.call(Request::AddBond {
            id: id.to_string(),
            bond,
        })
    }
    fn end_bond(&mut self, id: &str, index: usize, until: Date) -> Result<(), BookError> {
        self.call(Request::EndBond {
            id: id.to_string(),
            index,
            until,
        })
    }
    fn add_order(&mut self, id: &str, order: Order) -> Result<(), BookError> {
        self.call(Request::AddOrder {
            id: id.to_string(),
            order,
        })
    }
    fn add_task(
        &mut self,
        id: &str,
        due: Date,
        text: &str,
        origin: TaskOrigin,
    ) -> Result<TaskId, BookError> {
        self.call(Request::AddTask {
            id: id.to_string(),
            due,
            text: text.to_string(),
            origin,
        })
    }
    fn set_task_done(
        &mut self,
        id: &str,
        task: TaskId,
        done: Option<Date>,
    ) -> Result<(), BookError> {
        self.call(Request::SetTaskDone {
            id: id.to_string(),
            task,
            done,
        })
    }
    fn snooze_task(&mut self, id: &str, task: TaskId, due: Date) -> Result<(), BookError> {
        self.call(Request::SnoozeTask {
            id: id.to_string(),
            task,
            due,
        })
    }
    fn set_lost(&mut self, id: &str, lost: Option<Lost>) -> Result<(), BookError> {
        self.call(Request::SetLost {
            id: id.to_string(),
            lost,
        })
    }
    fn import(&mut self, data: BookData, merge: bool) -> Result<ImportReport, BookError> {
        // The earlier versions of corrected contacts do not cross the socket (`Account`
        // carries them outside its serialised form): refused, never dropped.
        let n: usize = data.accounts.iter().map(|a| a.corrections.len()).sum();
        if n > 0 {
            return Err(BookError::refused(format!(
                "this book holds {n} corrections of logged contacts with their earlier \
                 versions, which a served book does not take over its socket; stop the \
                 serving crm and import again (the book is then opened directly)"
            ))
            .with(Text::new("err-import-corrections-served").arg("n", n)));
        }
        self.call(Request::Import { data, merge })
    }
    fn plan_cycle(&mut self, plan: Plan, as_of: Date) -> Result<Cycle, BookError> {
        self.call(Request::PlanCycle { plan, as_of })
    }
    fn edit_cycle(&mut self, id: CycleId, edit: PlanEdit) -> Result<Cycle, BookError> {
        self.call(Request::EditCycle { id, edit })
    }
    fn advance_cycle(&mut self, id: CycleId, as_of: Date) -> Result<Cycle, BookError> {
        self.call(Request::AdvanceCycle { id, as_of })
    }
    fn add_cycle_action(
        &mut self,
        id: CycleId,
        text: &str,
        due: Option<Date>,
    ) -> Result<Cycle, BookError> {
        self.call(Request::AddCycleAction {
            id,
            text: text.to_string(),
            due,
        })
    }
    fn complete_cycle_action(
        &mut self,
        id: CycleId,
        index: usize,
        on: Date,
    ) -> Result<Cycle, BookError> {
        self.call(Request::CompleteCycleAction { id, index, on })
    }
    fn act_on_cycle(
        &mut self,
        id: CycleId,
        decision: ActDecision,
        lessons: &str,
        as_of: Date,
    ) -> Result<(Cycle, Option<Cycle>), BookError> {
        self.call(Request::ActOnCycle {
            id,
            decision,
            lessons: lessons.to_string(),
            as_of,
        })
    }
    fn users(&mut self) -> Result<Vec<User>, BookError> {
        self.call(Request::Users)
    }
    fn add_user(&mut self, user: User) -> Result<(), BookError> {
        self.call(Request::AddUser { user })
    }
    fn set_user(&mut self, user: User) -> Result<(), BookError> {
        self.call(Request::SetUser { user })
    }
    fn audit(&mut self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, BookError> {
        self.call(Request::Audit {
            filter: filter.clone(),
        })
    }
}
