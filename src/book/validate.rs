//! Checks a change before it reaches the journal, so nothing invalid is ever written.

use std::collections::HashSet;

use crate::domain::model::{Bond, BookData, Customer, Interaction, Order};
use crate::store::Store;

use super::BookError;

pub fn interaction(interaction: &Interaction) -> Result<(), BookError> {
    if let Some(s) = interaction.satisfaction {
        if !(1..=5).contains(&s) {
            return Err(BookError::invalid(
                "satisfaction",
                format!("satisfaction must be 1..5, got {s}"),
            ));
        }
    }
    Ok(())
}

pub fn customer(customer: &Customer) -> Result<(), BookError> {
    if customer.id.trim().is_empty() {
        return Err(BookError::invalid("id", "a customer needs an id"));
    }
    if customer.name.trim().is_empty() {
        return Err(BookError::invalid(
            "name",
            format!("customer '{}': name is empty", customer.id),
        ));
    }
    if let Some(spend) = customer.category_spend {
        if !spend.is_finite() || spend < 0.0 {
            return Err(BookError::invalid(
                "category_spend",
                format!(
                    "customer '{}': category_spend must be a number >= 0",
                    customer.id
                ),
            ));
        }
    }
    Ok(())
}

pub fn bond(bond: &Bond) -> Result<(), BookError> {
    if bond.until.is_some_and(|until| until < bond.since) {
        return Err(BookError::invalid(
            "until",
            format!("bond '{}': ends before it starts", bond.kind),
        ));
    }
    Ok(())
}

pub fn order(order: &Order) -> Result<(), BookError> {
    if !order.amount.is_finite() || order.amount < 0.0 {
        return Err(BookError::invalid(
            "amount",
            format!("order amount must be a number >= 0, got {}", order.amount),
        ));
    }
    if order.margin.is_some_and(|m| !m.is_finite()) {
        return Err(BookError::invalid(
            "margin",
            "order margin must be a number",
        ));
    }
    Ok(())
}

/// The error of one record of an import, its message prefixed with where the record is.
fn within(place: &str, error: BookError) -> BookError {
    match error {
        BookError::Invalid { field, message } => BookError::Invalid {
            field,
            message: format!("{place}: {message}"),
        },
        other => other,
    }
}

/// An import is checked whole: ids unique within it, and new unless merging.
pub fn import(store: &dyn Store, data: &BookData, merge: bool) -> Result<(), BookError> {
    let mut seen = HashSet::new();
    for (i, account) in data.accounts.iter().enumerate() {
        let id = &account.customer.id;
        if !seen.insert(id.as_str()) {
            return Err(BookError::invalid(
                "id",
                format!("customers[{i}] '{id}': duplicate id in the import"),
            ));
        }
        customer(&account.customer).map_err(|e| within(&format!("customers[{i}]"), e))?;
        if !merge && store.contains(id)? {
            return Err(BookError::refused(format!(
                "customers[{i}] '{id}': the book has this id already (use --merge to update it)"
            )));
        }
        let place = format!("customers[{i}] '{id}'");
        for o in &account.orders {
            order(o).map_err(|e| within(&place, e))?;
        }
        for b in &account.bonds {
            bond(b).map_err(|e| within(&place, e))?;
        }
        for x in &account.interactions {
            interaction(x).map_err(|e| within(&place, e))?;
        }
    }
    let mut cycle_ids = HashSet::new();
    for cycle in &data.cycles {
        if !cycle_ids.insert(cycle.id) {
            return Err(BookError::invalid(
                "id",
                format!("pdca cycle {}: duplicate id in the import", cycle.id),
            ));
        }
        if !merge && store.cycle(cycle.id)?.is_some() {
            return Err(BookError::refused(format!(
                "pdca cycle {}: the book has this id already (use --merge to update it)",
                cycle.id
            )));
        }
    }
    Ok(())
}
