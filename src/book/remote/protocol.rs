//! What crosses the book's socket. Protocol 2:
//!
//! 1. The client sends `{"hello":{"protocol":2}}`; the server answers
//!    `{"hello":{"protocol":2,"login":..,"pid":..,"config":{..}}}` (the login it serves the
//!    client as, read from the kernel, and the configuration it computes with) or an error
//!    naming both versions. A request before the hello (protocol 1, which had none) is
//!    answered with that error too, so an older client says it in one line.
//! 2. Then any number of requests, one per frame (`{"op":"find",..}`), each answered by
//!    `{"ok":..}` or `{"error":<BookError>}`; or `{"op":"subscribe"}`, after which the
//!    server only sends `{"changed":{"seq":..,"customers":[..]}}` after every write.
//! 3. A server going away answers `{"bye":{..}}` instead of serving a request it has read:
//!    that request was not carried out, so the client may send it again to the next owner.
//!
//! Requests carry no identity: who writes is the peer's login (see `peer.rs`).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::super::audit::AuditFilter;
use super::super::pdca::PlanEdit;
use super::super::BookError;
use crate::domain::config::Config;
use crate::domain::model::{
    ActDecision, Bond, BookData, Customer, CustomerId, CycleId, Interaction, Lost, Metric, Order,
    Scope, TaskId, TaskOrigin, User,
};
use crate::domain::pdca::Plan;
use crate::domain::portfolio::QueueKind;

/// The version of this protocol; a client and a server that differ refuse each other.
pub const PROTOCOL: u32 = 2;

/// The longest request a server reads (bytes, without the end of line). Read whole
/// before the book's lock is taken, so this bounds what one connection can make the server
/// hold. An import larger than this is refused with the way to do it (stop the server).
pub const MAX_REQUEST: usize = 16 << 20;

/// The longest answer a client reads: an export of a large book is the largest.
pub const MAX_ANSWER: usize = 1 << 30;

/// The client's first frame.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClientHello {
    pub protocol: u32,
}

/// The server's answer to a hello it accepts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServerHello {
    pub protocol: u32,
    /// The login this connection is served as (from the kernel, never from the client).
    pub login: String,
    /// The serving process, for messages ("served by crm pid N").
    pub pid: u32,
    /// What the book computes with (a client's `BookApi::config`).
    pub config: Config,
}

/// What a client sends first: anything else in its place is a protocol mismatch.
#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Opening {
    Hello(ClientHello),
}

/// Sent to subscribers after every write: the book's sequence number after it, the
/// customers it touched (empty for book-level changes: cycles, users) and who made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Changed {
    pub seq: u64,
    pub customers: Vec<CustomerId>,
    /// The process that made the change (a console skips its own: it has shown it).
    pub pid: u32,
}

/// Why the server stops talking; the request it answers was not carried out.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Bye {
    pub pid: u32,
    pub why: String,
}

/// Every frame a server sends.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    Ok(serde_json::Value),
    /// The book's own error, typed, so the client reports it as the owner would.
    Error(BookError),
    Hello(Box<ServerHello>),
    Changed(Changed),
    Bye(Bye),
}

impl Response {
    /// The frame's bytes; an answer that cannot be encoded becomes an error that can.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_else(|e| {
            serde_json::to_vec(&Response::Error(BookError::unavailable(format!(
                "cannot encode the answer: {e}"
            ))))
            .unwrap_or_default()
        })
    }
}

/// One call of `BookApi`, as it crosses the socket (`{"op":"find","query":..,"limit":..}`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
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
    Queue {
        as_of: Date,
        queue: QueueKind,
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
    },
    RetractContact {
        receipt: crate::book::LogReceipt,
    },
    CorrectContact {
        id: String,
        previous: Interaction,
        corrected: Interaction,
    },
    AddCustomer {
        customer: Customer,
    },
    UpdateCustomer {
        customer: Customer,
    },
    AddBond {
        id: String,
        bond: Bond,
    },
    EndBond {
        id: String,
        index: usize,
        until: Date,
    },
    AddOrder {
        id: String,
        order: Order,
    },
    AddTask {
        id: String,
        due: Date,
        text: String,
        origin: TaskOrigin,
    },
    SetTaskDone {
        id: String,
        task: TaskId,
        done: Option<Date>,
    },
    SnoozeTask {
        id: String,
        task: TaskId,
        due: Date,
    },
    SetLost {
        id: String,
        lost: Option<Lost>,
    },
    Import {
        data: BookData,
        merge: bool,
    },
    PlanCycle {
        plan: Plan,
        as_of: Date,
    },
    EditCycle {
        id: CycleId,
        edit: PlanEdit,
    },
    AdvanceCycle {
        id: CycleId,
        as_of: Date,
    },
    AddCycleAction {
        id: CycleId,
        text: String,
        due: Option<Date>,
    },
    CompleteCycleAction {
        id: CycleId,
        index: usize,
        on: Date,
    },
    ActOnCycle {
        id: CycleId,
        decision: ActDecision,
        lessons: String,
        as_of: Date,
    },
    Users,
    AddUser {
        user: User,
    },
    SetUser {
        user: User,
    },
    Audit {
        filter: AuditFilter,
    },
    /// Turns the connection into a subscription: from now on the server sends `changed`
    /// frames only.
    Subscribe,
}

impl Request {
    /// A request that changes the book (answered under the book's lock one at a time and
    /// announced to subscribers afterwards).
    pub fn is_write(&self) -> bool {
        !matches!(
            self,
            Request::Find { .. }
                | Request::Resolve { .. }
                | Request::Account { .. }
                | Request::Customer { .. }
                | Request::CustomerCount
                | Request::IsEmpty
                | Request::Card { .. }
                | Request::Summaries { .. }
                | Request::Agenda { .. }
                | Request::Portfolio { .. }
                | Request::Queue { .. }
                | Request::Export
                | Request::Cycles
                | Request::FindCycle { .. }
                | Request::CycleChain { .. }
                | Request::Measure { .. }
                | Request::MeasureCycle { .. }
                | Request::Users
                | Request::Audit { .. }
                | Request::Subscribe
        )
    }

    /// The customer a write names, if it names one (an import's and a new customer's ids
    /// come from the answer).
    pub fn customer(&self) -> Option<&str> {
        match self {
            Request::RetractContact { receipt } => Some(&receipt.customer),
            Request::LogContact { id, .. }
            | Request::CorrectContact { id, .. }
            | Request::AddBond { id, .. }
            | Request::EndBond { id, .. }
            | Request::AddOrder { id, .. }
            | Request::AddTask { id, .. }
            | Request::SetTaskDone { id, .. }
            | Request::SnoozeTask { id, .. }
            | Request::SetLost { id, .. } => Some(id),
            Request::UpdateCustomer { customer } => Some(&customer.id),
            _ => None,
        }
    }
}
