//! Reading records back: each from its `record` column (the store codec), so what comes
//! out is exactly what went in, whatever SQL's columns could hold of it.

use std::collections::HashMap;

use postgres::GenericClient;

use super::super::apply::Histories;
use super::super::codec::{self, Versioned};
use super::super::error::{Result, StoreError};
use super::super::event::Event;
use super::columns;
use super::target::Target;
use crate::domain::model::{Account, Customer, Cycle, User};

/// Profiles (with their histories, for accounts) read per query when walking the book.
pub(super) const PAGE: i64 = 1000;

fn decode<T: Versioned>(target: &Target, what: impl FnOnce() -> String, bytes: &[u8]) -> Result<T> {
    codec::decode(bytes).map_err(|source| StoreError::DatabaseRecord {
        store: target.name.clone(),
        what: what(),
        source,
    })
}

pub(super) fn customer(
    client: &mut impl GenericClient,
    target: &Target,
    id: &str,
) -> Result<Option<Customer>> {
    let row = client
        .query_opt(
            "SELECT record FROM customers WHERE id = $1",
            &[&columns::text(id)],
        )
        .map_err(|e| target.error(&e))?;
    match row {
        Some(row) => decode(target, || format!("customer {id}"), row.get(0)).map(Some),
        None => Ok(None),
    }
}

pub(super) fn contains(client: &mut impl GenericClient, target: &Target, id: &str) -> Result<bool> {
    let row = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM customers WHERE id = $1)",
            &[&columns::text(id)],
        )
        .map_err(|e| target.error(&e))?;
    Ok(row.get(0))
}

/// The histories of the customers with these keys (escaped ids); customers without any
/// history are absent.
pub(super) fn histories(
    client: &mut impl GenericClient,
    target: &Target,
    keys: &[String],
) -> Result<HashMap<String, Histories>> {
    let rows = client
        .query(
            "SELECT customer_id, 0::int2, pos, record FROM interactions WHERE customer_id = ANY($1) \
             UNION ALL SELECT customer_id, 1::int2, pos, record FROM orders WHERE customer_id = ANY($1) \
             UNION ALL SELECT customer_id, 2::int2, pos, record FROM bonds WHERE customer_id = ANY($1) \
             UNION ALL SELECT customer_id, 3::int2, pos, record FROM tasks WHERE customer_id = ANY($1) \
             UNION ALL SELECT customer_id, 4::int2, pos, record FROM corrections WHERE customer_id = ANY($1) \
             ORDER BY 2, 3",
            &[&keys],
        )
        .map_err(|e| target.error(&e))?;
    let mut out: HashMap<String, Histories> = HashMap::new();
    for row in rows {
        let key: String = row.get(0);
        let kind: i16 = row.get(1);
        let bytes: &[u8] = row.get(3);
        let what = || format!("history of customer {key}");
        let h = out.entry(key.clone()).or_default();
        match kind {
            0 => h.interactions.push(decode(target, what, bytes)?),
            1 => h.orders.push(decode(target, what, bytes)?),
            2 => h.bonds.push(decode(target, what, bytes)?),
            3 => h.tasks.push(decode(target, what, bytes)?),
            _ => h.corrections.push(decode(target, what, bytes)?),
        }
    }
    Ok(out)
}

pub(super) fn account_of(customer: Customer, h: Histories) -> Account {
    Account {
        corrections: h.contact_corrections(),
        customer,
        bonds: h.bonds,
        orders: h.orders,
        interactions: h.interactions,
        tasks: h.tasks,
    }
}

/// The next page of profiles after `after` (an escaped id), in id order, with their keys.
pub(super) fn customers_after(
    client: &mut impl GenericClient,
    target: &Target,
    after: Option<&str>,
) -> Result<Vec<(String, Customer)>> {
    let rows = match after {
        Some(after) => client.query(
            "SELECT id, record FROM customers WHERE id > $1 ORDER BY id LIMIT $2",
            &[&after, &PAGE],
        ),
        None => client.query(
            "SELECT id, record FROM customers ORDER BY id LIMIT $1",
            &[&PAGE],
        ),
    }
    .map_err(|e| target.error(&e))?;
    rows.iter()
        .map(|row| {
            let key: String = row.get(0);
            let customer = decode(target, || format!("customer {key}"), row.get(1))?;
            Ok((key, customer))
        })
        .collect()
}

pub(super) fn users(client: &mut impl GenericClient, target: &Target) -> Result<Vec<User>> {
    let rows = client
        .query("SELECT login, record FROM users ORDER BY login", &[])
        .map_err(|e| target.error(&e))?;
    rows.iter()
        .map(|row| {
            let login: &str = row.get(0);
            decode(target, || format!("user {login}"), row.get(1))
        })
        .collect()
}

/// All cycles in crm's id order (u64; the bigint column orders ids above 2^63 first).
pub(super) fn cycles(client: &mut impl GenericClient, target: &Target) -> Result<Vec<Cycle>> {
    let rows = client
        .query("SELECT id, record FROM cycles", &[])
        .map_err(|e| target.error(&e))?;
    let mut cycles: Vec<Cycle> = rows
        .iter()
        .map(|row| {
            let id: i64 = row.get(0);
            decode(target, || format!("cycle {id}"), row.get(1))
        })
        .collect::<Result<_>>()?;
    cycles.sort_by_key(|c| c.id);
    Ok(cycles)
}

pub(super) fn cycle(
    client: &mut impl GenericClient,
    target: &Target,
    id: u64,
) -> Result<Option<Cycle>> {
    let row = client
        .query_opt(
            "SELECT record FROM cycles WHERE id = $1",
            &[&columns::id(id)],
        )
        .map_err(|e| target.error(&e))?;
    match row {
        Some(row) => decode(target, || format!("cycle {id}"), row.get(0)).map(Some),
        None => Ok(None),
    }
}

/// The events after `seq`, oldest first.
pub(super) fn events_after(
    client: &mut impl GenericClient,
    target: &Target,
    seq: u64,
) -> Result<Vec<Event>> {
    let from = i64::try_from(seq).unwrap_or(i64::MAX);
    let rows = client
        .query(
            "SELECT seq, payload FROM events WHERE seq > $1 ORDER BY seq",
            &[&from],
        )
        .map_err(|e| target.error(&e))?;
    rows.iter()
        .map(|row| {
            let seq: i64 = row.get(0);
            decode(target, || format!("event {seq}"), row.get(1))
        })
        .collect()
}
