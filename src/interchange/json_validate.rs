//! Checks a parsed JSON book and turns it into `BookData`: the rules serde cannot express
//! (unique ids, ranges, non-empty names), defaults, and follow-up tasks when none are given.

use std::collections::HashMap;

use super::json_locate::{render, Seg};
use super::json_model::{BookJson, CustomerJson, CycleJson, UserJson, FORMAT};
use super::kind_guess::guess_kind;
use crate::domain::follow_up::derive_follow_ups;
use crate::domain::model::{Account, BookData, Customer};
use crate::domain::rules;
use crate::domain::text::{Text, Worded};

/// A rule broken by a value at `path`; `other` is the record it clashes with.
#[derive(Debug)]
pub(crate) struct Invalid {
    pub path: Vec<Seg>,
    pub record: Option<String>,
    pub field: Option<String>,
    /// Boxed: it keeps every `Result<_, Invalid>` small.
    pub message: Box<Worded>,
    pub other: Option<Box<(String, Vec<Seg>)>>,
}

fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

/// One element of a top-level list, named for messages ("customers[12] 'acme'").
struct At {
    collection: &'static str,
    index: usize,
    label: String,
}

impl At {
    fn new(collection: &'static str, index: usize, id: &str) -> Self {
        let label = if id.is_empty() {
            format!("{collection}[{index}]")
        } else {
            format!("{collection}[{index}] '{id}'")
        };
        At {
            collection,
            index,
            label,
        }
    }

    fn path(&self, rel: &[Seg]) -> Vec<Seg> {
        let mut path = vec![key(self.collection), Seg::Index(self.index)];
        path.extend_from_slice(rel);
        path
    }

    fn err(&self, rel: &[Seg], message: Worded) -> Invalid {
        Invalid {
            path: self.path(rel),
            record: Some(self.label.clone()),
            field: Some(render(rel)),
            message: Box::new(message),
            other: None,
        }
    }
}

/// Validates and converts; histories come out sorted oldest first.
pub(crate) fn into_book(json: BookJson) -> Result<BookData, Invalid> {
    check(&json)?;
    let first_derived_id = json
        .customers
        .iter()
        .filter_map(|c| c.tasks.as_ref())
        .flatten()
        .map(|t| t.id)
        .max()
        .map_or(1, |max| max.saturating_add(1));
    let mut next_task_id = first_derived_id;
    let accounts = json
        .customers
        .into_iter()
        .map(|c| into_account(c, &mut next_task_id))
        .collect();
    Ok(BookData {
        users: json.users.into_iter().map(UserJson::into_user).collect(),
        accounts,
        cycles: json.pdca.into_iter().map(CycleJson::into_cycle).collect(),
    })
}

fn into_account(c: CustomerJson, next_task_id: &mut u64) -> Account {
    let kind = c.kind.map_or_else(|| guess_kind(&c.name), |k| k.0);
    let customer = Customer {
        id: c.id,
        name: c.name,
        kind,
        segment: c.segment,
        owner: c.owner,
        created: c.created,
        tags: c.tags,
        category_spend: c.category_spend.map(|n| n.0),
        contacts: c.contacts.into_iter().map(|x| x.into_contact()).collect(),
        note: c.note,
        lost: c.lost.map(|l| l.into_lost()),
    };
    let mut account = Account::new(customer);
    account.bonds = c.bonds.into_iter().map(|b| b.into_bond()).collect();
    account.orders = c.orders.into_iter().map(|o| o.into_order()).collect();
    account.interactions = c
        .interactions
        .into_iter()
        .map(|i| i.into_interaction())
        .collect();
    account.sort_histories();
    account.corrections = c
        .corrections
        .into_iter()
        .map(|x| x.into_correction())
        .collect();
    account.tasks = match c.tasks {
        Some(tasks) => tasks.into_iter().map(|t| t.into_task()).collect(),
        None => derive_follow_ups(&account.interactions, next_task_id),
    };
    account.sort_histories();
    account
}

fn check(json: &BookJson) -> Result<(), Invalid> {
    if json.format != FORMAT {
        return Err(Invalid {
            path: vec![key("format")],
            record: None,
            field: Some("format".into()),
            message: Box::new(Worded::new(
                format!("must be \"{FORMAT}\", got {:?}", json.format),
                Text::new("imp-json-format")
                    .arg("format", FORMAT)
                    .arg("got", format!("{:?}", json.format)),
            )),
            other: None,
        });
    }
    let mut logins: HashMap<&str, At> = HashMap::new();
    for (i, user) in json.users.iter().enumerate() {
        let at = At::new("users", i, &user.login);
        rules::login(&user.login).map_err(|p| at.err(&[key("login")], worded(p)))?;
        if let Some(team) = user.team.as_deref().filter(|t| !t.trim().is_empty()) {
            rules::login(team).map_err(|p| at.err(&[key("team")], worded(p)))?;
        }
        if let Some(first) = logins.get(user.login.as_str()) {
            return Err(duplicate(&at, first, &[key("login")], "login"));
        }
        logins.insert(&user.login, at);
    }
    let mut ids: HashMap<&str, At> = HashMap::new();
    let mut task_ids: HashMap<u64, (At, usize)> = HashMap::new();
    for (i, customer) in json.customers.iter().enumerate() {
        let at = At::new("customers", i, &customer.id);
        check_customer(&at, customer)?;
        if let Some(first) = ids.get(customer.id.as_str()) {
            return Err(duplicate(&at, first, &[key("id")], "id"));
        }
        for (j, task) in customer.tasks.iter().flatten().enumerate() {
            let rel = [key("tasks"), Seg::Index(j), key("id")];
            if let Some((first, k)) = task_ids.get(&task.id) {
                let mut clash = at.err(
                    &rel,
                    Worded::new(
                        format!("duplicate task id {}", task.id),
                        Text::new("imp-json-duplicate-task").arg("id", task.id),
                    ),
                );
                let first_rel = [key("tasks"), Seg::Index(*k), key("id")];
                clash.other = Some(Box::new((
                    format!("{} {}", first.label, render(&first_rel)),
                    first.path(&first_rel),
                )));
                return Err(clash);
            }
            task_ids.insert(task.id, (At::new("customers", i, &customer.id), j));
        }
        ids.insert(&customer.id, at);
    }
    let mut cycle_ids: HashMap<u64, At> = HashMap::new();
    for (i, cycle) in json.pdca.iter().enumerate() {
        let at = At::new("pdca", i, &cycle.id.to_string());
        if cycle.title.trim().is_empty() {
            return Err(at.err(&[key("title")], worded(rules::Problem::Empty)));
        }
        if let Some(first) = cycle_ids.get(&cycle.id) {
            return Err(duplicate(&at, first, &[key("id")], "id"));
        }
        cycle_ids.insert(cycle.id, at);
    }
    Ok(())
}

/// A field rule's problem in English and as a message.
fn worded(problem: rules::Problem) -> Worded {
    Worded::new(problem.to_string(), problem.said())
}

fn duplicate(at: &At, first: &At, rel: &[Seg], what: &str) -> Invalid {
    let mut clash = at.err(
        rel,
        Worded::new(
            format!("duplicate {what}"),
            Text::new("imp-json-duplicate").arg("what", what),
        ),
    );
    clash.other = Some(Box::new((first.label.clone(), first.path(rel))));
    clash
}

fn check_customer(at: &At, c: &CustomerJson) -> Result<(), Invalid> {
    if c.id.trim().is_empty() {
        return Err(at.err(&[key("id")], worded(rules::Problem::Empty)));
    }
    if c.name.trim().is_empty() {
        return Err(at.err(&[key("name")], worded(rules::Problem::Empty)));
    }
    // The domain's field rules, as the console's forms and the book apply them.
    let broken = |rel: &[Seg], problem: rules::Problem| at.err(rel, worded(problem));
    rules::owner(&c.owner).map_err(|p| broken(&[key("owner")], p))?;
    if let Some(spend) = c.category_spend {
        rules::category_spend(spend.0).map_err(|p| broken(&[key("category_spend")], p))?;
    }
    for (j, bond) in c.bonds.iter().enumerate() {
        rules::period(bond.since, bond.until)
            .map_err(|p| broken(&[key("bonds"), Seg::Index(j), key("until")], p))?;
    }
    for (j, order) in c.orders.iter().enumerate() {
        rules::order_amount(order.amount.0)
            .map_err(|p| broken(&[key("orders"), Seg::Index(j), key("amount")], p))?;
        if let Some(margin) = order.margin {
            rules::order_margin(margin.0, order.amount.0)
                .map_err(|p| broken(&[key("orders"), Seg::Index(j), key("margin")], p))?;
        }
    }
    for (j, interaction) in c.interactions.iter().enumerate() {
        if let Some(s) = interaction.satisfaction {
            rules::satisfaction(s).map_err(|p| {
                broken(
                    &[key("interactions"), Seg::Index(j), key("satisfaction")],
                    p,
                )
            })?;
        }
    }
    Ok(())
}
