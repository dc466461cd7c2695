//! One request answered with the book: the one place a request becomes a `BookApi` call.
//!
//! The answer comes back as `Encode`: its data, still to be turned into JSON. The hub
//! calls it after releasing the book's lock, so encoding a big answer (a list of 100,000
//! lines, an export) holds up nobody else's request.

use serde::Serialize;

use super::super::{wire_said, BookApi, BookError};
use super::protocol::Request;

/// An answer's data, encoded when called.
pub type Encode = Box<dyn FnOnce() -> Result<serde_json::Value, BookError> + Send>;

fn to_json<T: Serialize>(value: &T) -> Result<serde_json::Value, BookError> {
    serde_json::to_value(value)
        .map_err(|e| BookError::unavailable(format!("cannot encode the answer: {e}")))
}

fn encode<T: Serialize + Send + 'static>(
    result: Result<T, BookError>,
) -> Result<Encode, BookError> {
    let value = result?;
    Ok(Box::new(move || to_json(&value)))
}

/// Answers one request with the book (or a view of it for one user). `Subscribe` is
/// the connection's business, not the book's: answered here as a bad request.
pub fn answer(book: &mut dyn BookApi, request: Request) -> Result<Encode, BookError> {
    match request {
        Request::Find { query, limit } => encode(BookApi::find(book, &query, limit)),
        Request::Resolve { id_or_query } => encode(BookApi::resolve(book, &id_or_query)),
        Request::Account { id } => encode(BookApi::account(book, &id)),
        Request::Customer { id } => encode(BookApi::customer(book, &id)),
        Request::CustomerCount => encode(BookApi::customer_count(book)),
        Request::IsEmpty => encode(BookApi::is_empty(book)),
        Request::Card { id, as_of } => {
            let card = BookApi::card(book, &id, as_of)?;
            Ok(Box::new(move || {
                Ok(wire_said::card_json(&card, to_json(&card)?))
            }))
        }
        Request::Summaries { as_of } => encode(BookApi::summaries(book, as_of)),
        Request::Agenda { as_of, owner } => {
            let agenda = BookApi::agenda(book, as_of, owner.as_deref())?;
            Ok(Box::new(move || {
                Ok(wire_said::agenda_json(&agenda, to_json(&agenda)?))
            }))
        }
        Request::Portfolio { as_of, capacity } => encode(BookApi::portfolio(book, as_of, capacity)),
        Request::Queue { as_of, queue } => encode(BookApi::queue(book, as_of, queue)),
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
        Request::RetractContact { receipt } => encode(BookApi::retract_contact(book, &receipt)),
        Request::CorrectContact {
            id,
            previous,
            corrected,
        } => encode(BookApi::correct_contact(book, &id, &previous, corrected)),
        Request::LogContact { id, interaction } => {
            encode(BookApi::log_contact(book, &id, interaction))
        }
        Request::AddCustomer { customer } => encode(BookApi::add_customer(book, customer)),
        Request::UpdateCustomer { customer } => encode(BookApi::update_customer(book, customer)),
        Request::AddBond { id, bond } => encode(BookApi::add_bond(book, &id, bond)),
        Request::EndBond { id, index, until } => encode(BookApi::end_bond(book, &id, index, until)),
        Request::AddOrder { id, order } => encode(BookApi::add_order(book, &id, order)),
        Request::AddTask {
            id,
            due,
            text,
            origin,
        } => encode(BookApi::add_task(book, &id, due, &text, origin)),
        Request::SetTaskDone { id, task, done } => {
            encode(BookApi::set_task_done(book, &id, task, done))
        }
        Request::SnoozeTask { id, task, due } => encode(BookApi::snooze_task(book, &id, task, due)),
        Request::SetLost { id, lost } => encode(BookApi::set_lost(book, &id, lost)),
        Request::Import { data, merge } => encode(BookApi::import(book, data, merge)),
        Request::PlanCycle { plan, as_of } => encode(BookApi::plan_cycle(book, plan, as_of)),
        Request::EditCycle { id, edit } => encode(BookApi::edit_cycle(book, id, edit)),
        Request::AdvanceCycle { id, as_of } => encode(BookApi::advance_cycle(book, id, as_of)),
        Request::AddCycleAction { id, text, due } => {
            encode(BookApi::add_cycle_action(book, id, &text, due))
        }
        Request::CompleteCycleAction { id, index, on } => {
            encode(BookApi::complete_cycle_action(book, id, index, on))
        }
        Request::ActOnCycle {
            id,
            decision,
            lessons,
            as_of,
        } => encode(BookApi::act_on_cycle(book, id, decision, &lessons, as_of)),
        Request::Users => encode(BookApi::users(book)),
        Request::AddUser { user } => encode(BookApi::add_user(book, user)),
        Request::SetUser { user } => encode(BookApi::set_user(book, user)),
        Request::Audit { filter } => encode(BookApi::audit(book, &filter)),
        Request::Subscribe => Err(BookError::invalid("request", "subscribe is not a call")),
    }
}
