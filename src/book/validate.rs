//! Checks a change before it reaches the journal, so nothing invalid is ever written.

use std::collections::HashSet;

use crate::domain::model::{Bond, BookData, Customer, Interaction, Order, User};
use crate::domain::rules::{self, Problem};
use crate::store::Store;

use crate::domain::text::Text;

use super::BookError;

/// A rule's problem with `field`, as the book words it ("satisfaction must be 1 to 5, got 7").
fn broken(field: &str, problem: Problem) -> BookError {
    BookError::invalid(field, format!("{field} {problem}")).with(
        Text::new("err-field")
            .arg("field", field)
            .part("problem", problem.said()),
    )
}

pub fn interaction(interaction: &Interaction) -> Result<(), BookError> {
    if let Some(s) = interaction.satisfaction {
        rules::satisfaction(s).map_err(|p| broken("satisfaction", p))?;
    }
    Ok(())
}

pub fn customer(customer: &Customer) -> Result<(), BookError> {
    if customer.id.trim().is_empty() {
        return Err(BookError::invalid("id", "a customer needs an id")
            .with(Text::new("err-customer-no-id")));
    }
    let place = |field: &str, problem: Problem| {
        BookError::invalid(
            field,
            format!("customer '{}': {field} {problem}", customer.id),
        )
        .with(
            Text::new("err-customer-field")
                .arg("id", &customer.id)
                .arg("field", field)
                .part("problem", problem.said()),
        )
    };
    if customer.name.trim().is_empty() {
        return Err(BookError::invalid(
            "name",
            format!("customer '{}': name is empty", customer.id),
        )
        .with(Text::new("err-customer-no-name").arg("id", &customer.id)));
    }
    rules::owner(&customer.owner).map_err(|p| place("owner", p))?;
    if let Some(spend) = customer.category_spend {
        rules::category_spend(spend).map_err(|p| place("category_spend", p))?;
    }
    Ok(())
}

pub fn bond(bond: &Bond) -> Result<(), BookError> {
    rules::period(bond.since, bond.until).map_err(|_| {
        BookError::invalid(
            "until",
            format!("bond '{}': ends before it starts", bond.kind),
        )
        .with(Text::new("err-bond-period").arg("kind", &bond.kind))
    })
}

pub fn order(order: &Order) -> Result<(), BookError> {
    rules::order_amount(order.amount).map_err(|p| broken("amount", p))?;
    if let Some(margin) = order.margin {
        rules::order_margin(margin, order.amount).map_err(|p| broken("margin", p))?;
    }
    Ok(())
}

/// A user's login, by the rule every front end applies.
pub fn user(user: &User) -> Result<(), BookError> {
    rules::login(&user.login).map_err(|p| broken("login", p))?;
    if let Some(team) = &user.team {
        // A team is typed on command lines too (`--team east`).
        rules::login(team).map_err(|p| broken("team", p))?;
    }
    Ok(())
}

/// The error of one record of an import, its message prefixed with where the record is.
fn within(place: &str, error: BookError) -> BookError {
    match error {
        BookError::Invalid {
            field,
            message,
            said,
        } => BookError::Invalid {
            field,
            message: format!("{place}: {message}"),
            said: said.map(|text| {
                Text::new("err-within")
                    .arg("place", place)
                    .part("text", text)
            }),
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
            )
            .with(
                Text::new("err-import-duplicate").arg("place", format!("customers[{i}] '{id}'")),
            ));
        }
        customer(&account.customer).map_err(|e| within(&format!("customers[{i}]"), e))?;
        if !merge && store.contains(id)? {
            return Err(BookError::refused(format!(
                "customers[{i}] '{id}': the book has this id already (use --merge to update it)"
            ))
            .with(Text::new("err-import-taken").arg("place", format!("customers[{i}] '{id}'"))));
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
    for (i, u) in data.users.iter().enumerate() {
        user(u).map_err(|e| within(&format!("users[{i}] '{}'", u.login), e))?;
    }
    let mut cycle_ids = HashSet::new();
    for cycle in &data.cycles {
        if !cycle_ids.insert(cycle.id) {
            return Err(BookError::invalid(
                "id",
                format!("pdca cycle {}: duplicate id in the import", cycle.id),
            )
            .with(
                Text::new("err-import-duplicate").arg("place", format!("pdca cycle {}", cycle.id)),
            ));
        }
        if !merge && store.cycle(cycle.id)?.is_some() {
            return Err(BookError::refused(format!(
                "pdca cycle {}: the book has this id already (use --merge to update it)",
                cycle.id
            ))
            .with(Text::new("err-import-taken").arg("place", format!("pdca cycle {}", cycle.id))));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::Book;
    use crate::domain::config::Config;
    use crate::domain::model::Account;
    use crate::domain::testkit::{account, d};

    fn import(account: Account) -> Result<(), BookError> {
        let dir = tempfile::tempdir().unwrap();
        let mut book = Book::open(dir.path(), Config::default(), "alice").unwrap();
        let data = BookData {
            accounts: vec![account],
            ..BookData::default()
        };
        book.import(data, false).map(|_| ())
    }

    /// Every format (CSV and vCard have no checks of their own) reaches the book through
    /// `Book::import`: the form rules hold there.
    #[test]
    fn the_book_refuses_what_the_console_refuses() {
        assert_eq!(import(account("fine")), Ok(()));
        let mut spaced = account("spaced");
        spaced.customer.owner = "bob smith".into();
        assert!(matches!(
            import(spaced),
            Err(BookError::Invalid { field, message, .. }) if field == "owner"
                && message == "customers[0]: customer 'spaced': owner must not contain spaces (a login)"
        ));
        let mut free = account("free");
        free.orders.push(Order {
            date: d("2024-01-02"),
            amount: 0.0,
            margin: None,
        });
        assert!(matches!(
            import(free),
            Err(BookError::Invalid { field, message, .. }) if field == "amount"
                && message == "customers[0] 'free': amount must be a number > 0, got 0"
        ));
        let mut rich = account("rich");
        rich.orders.push(Order {
            date: d("2024-01-02"),
            amount: 100.0,
            margin: Some(120.0),
        });
        assert!(matches!(
            import(rich),
            Err(BookError::Invalid { field, .. }) if field == "margin"
        ));
    }
}
