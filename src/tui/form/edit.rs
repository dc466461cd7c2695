//! The edit forms: a customer's profile and contact persons, bonds, orders, lost.

use crate::i18n::{bond_level_label, customer_kind_label, lost_reason_label, t, tr};
use jiff::civil::Date;

use super::{
    labels, parse, position, Ctx, Field, FieldErrors, Form, FormKind, Known, Pick, PickOption,
};
use crate::domain::model::{
    Account, Bond, BondLevel, Contact, Customer, CustomerKind, Lost, LostReason, Order,
};
use crate::domain::rules;

pub fn new_customer(owner: &str, as_of: Date, known: &Known) -> Form {
    let blank = Customer {
        id: String::new(),
        name: String::new(),
        kind: CustomerKind::Organization,
        segment: String::new(),
        owner: owner.to_string(),
        created: as_of,
        tags: Vec::new(),
        category_spend: None,
        contacts: Vec::new(),
        note: String::new(),
        lost: None,
    };
    let fields = customer_fields(&blank, known);
    Form::new(
        FormKind::NewCustomer,
        t("form-add-customer-title"),
        fields,
        "name",
    )
}

pub fn edit_customer(customer: &Customer, known: &Known) -> Form {
    let fields = customer_fields(customer, known);
    Form::new(
        FormKind::EditCustomer {
            original: Box::new(customer.clone()),
        },
        tr("form-edit-title", &[("name", &customer.name)]),
        fields,
        "name",
    )
}

fn customer_fields(c: &Customer, known: &Known) -> Vec<Field> {
    let contacts: Vec<String> = c
        .contacts
        .iter()
        .map(|p| format!("{}; {}; {}; {}", p.name, p.role, p.phone, p.email))
        .collect();
    vec![
        Field::text("name", "form-name", &c.name, &t("form-hint-required")),
        Field::choice(
            "kind",
            "form-kind",
            labels(CustomerKind::ALL, customer_kind_label),
            position(CustomerKind::ALL, &c.kind),
        ),
        Field::text(
            "segment",
            "form-segment",
            &c.segment,
            &t("form-hint-industry"),
        ),
        Field::pick("owner", "form-owner", owner_pick(&c.owner, known)),
        Field::text(
            "tags",
            "form-tags",
            &c.tags.join(", "),
            &t("form-hint-comma"),
        ),
        Field::text(
            "category_spend",
            "form-spend-a-year",
            &c.category_spend.map(|v| format!("{v}")).unwrap_or_default(),
            &t("form-hint-spend"),
        ),
        Field::multiline(
            "contacts",
            "form-contacts",
            &contacts.join("\n"),
            &t("form-hint-contacts"),
        ),
        Field::multiline("note", "form-note", &c.note, ""),
    ]
}

/// The owners a customer can be given: the console user first, then every other owner and
/// user of the book, then nobody (a prospect not yet assigned). A new owner is added only
/// through the list's "new owner" row, after a question (`tui::update::forms`).
pub fn owner_pick(current: &str, known: &Known) -> Pick {
    let name_of = |login: &str| {
        known
            .owners
            .iter()
            .find(|(l, _)| l == login)
            .map_or("", |(_, name)| name.as_str())
    };
    let mut logins: Vec<&str> = vec![known.actor.as_str()];
    logins.extend(
        known
            .owners
            .iter()
            .map(|(login, _)| login.as_str())
            .filter(|l| *l != known.actor && !l.trim().is_empty()),
    );
    if !current.trim().is_empty() && !logins.contains(&current) {
        logins.insert(1, current);
    }
    let mut options: Vec<PickOption> = logins
        .iter()
        .filter(|l| !l.is_empty())
        .map(|&login| {
            let mut label = match name_of(login) {
                "" => login.to_string(),
                name if name == login => login.to_string(),
                name => tr("pick-owner-named", &[("login", login), ("name", name)]),
            };
            if login == known.actor {
                label = tr("pick-owner-you", &[("owner", &label)]);
            }
            PickOption::new(login, label)
        })
        .collect();
    options.push(PickOption::new("", t("pick-no-owner")));
    let chosen = options.iter().position(|o| o.value == current.trim());
    let mut pick = Pick::new(options, chosen, t("pick-choose-owner"));
    pick.takes_new = true;
    pick
}

/// A new owner the user said yes to, as the owner list shows it.
pub fn new_owner(login: &str) -> PickOption {
    PickOption::new(login, tr("pick-owner-new", &[("login", login)]))
}

pub fn check_customer(
    form: &Form,
    original: Option<&Customer>,
    ctx: &Ctx,
) -> Result<Customer, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = form.text("name").trim().to_string();
    if name.is_empty() {
        errors.push(("name", t("form-err-name")));
    }
    let owner = form.picked("owner").unwrap_or_default().trim().to_string();
    if form.picked("owner").is_none() {
        errors.push(("owner", t("pick-err-owner")));
    } else if rules::owner(&owner).is_err() {
        errors.push(("owner", t("form-err-login-spaces")));
    }
    let category_spend = match parse::amount(form.text("category_spend")) {
        Ok(Some(v)) if rules::category_spend(v).is_err() => {
            errors.push(("category_spend", t("form-err-zero-or-more")));
            None
        }
        Ok(v) => v,
        Err(message) => {
            errors.push(("category_spend", message));
            None
        }
    };
    let mut contacts = Vec::new();
    for (i, line) in form.text("contacts").lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split(';').map(str::trim).collect();
        if parts.len() > 4 {
            errors.push((
                "contacts",
                tr("form-err-contact-parts", &[("line", &(i + 1).to_string())]),
            ));
            continue;
        }
        let part = |n: usize| parts.get(n).copied().unwrap_or("").to_string();
        if part(0).is_empty() {
            errors.push((
                "contacts",
                tr("form-err-contact-name", &[("line", &(i + 1).to_string())]),
            ));
            continue;
        }
        contacts.push(Contact {
            name: part(0),
            role: part(1),
            phone: part(2),
            email: part(3),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let tags = form
        .text("tags")
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    let kind = CustomerKind::ALL[form.choice("kind").min(CustomerKind::ALL.len() - 1)];
    Ok(Customer {
        id: original.map(|c| c.id.clone()).unwrap_or_default(),
        name,
        kind,
        segment: form.text("segment").trim().to_string(),
        owner,
        created: original.map_or(ctx.as_of, |c| c.created),
        tags,
        category_spend,
        contacts,
        note: form.text("note").trim_end().to_string(),
        lost: original.and_then(|c| c.lost.clone()),
    })
}

/// Suggested bond kinds per level (DOMAIN.md §2), shown as the hint.
fn bond_suggestions(level: BondLevel) -> String {
    t(match level {
        BondLevel::Financial => "form-bond-financial",
        BondLevel::Social => "form-bond-social",
        BondLevel::Structural => "form-bond-structural",
    })
}

pub fn add_bond(customer: &str, name: &str, level: Option<BondLevel>, as_of: Date) -> Form {
    let level = level.unwrap_or(BondLevel::Social);
    let fields = vec![
        Field::choice(
            "level",
            "form-level",
            labels(BondLevel::ALL, bond_level_label),
            position(BondLevel::ALL, &level),
        ),
        Field::text("kind", "form-kind", "", &bond_suggestions(level)),
        Field::text(
            "since",
            "form-since",
            &as_of.to_string(),
            &t("form-hint-date-only"),
        ),
        Field::text("note", "form-note", "", ""),
    ];
    Form::new(
        FormKind::AddBond {
            customer: customer.to_string(),
        },
        tr("form-add-bond-title", &[("name", name)]),
        fields,
        "kind",
    )
}

/// The hint of the bond kind follows the chosen level.
pub fn refresh_bond_hint(form: &mut Form) {
    if !matches!(form.kind, FormKind::AddBond { .. }) {
        return;
    }
    let level = BondLevel::ALL[form.choice("level").min(BondLevel::ALL.len() - 1)];
    if let Some(field) = form.fields.iter_mut().find(|f| f.name == "kind") {
        field.hint = bond_suggestions(level);
    }
}

pub fn check_bond(form: &Form, ctx: &Ctx) -> Result<Bond, FieldErrors> {
    let mut errors = FieldErrors::new();
    let kind = form.text("kind").trim().to_string();
    if kind.is_empty() {
        errors.push(("kind", t("form-err-bond-kind")));
    }
    let since = required_date(form, "since", ctx.as_of, &mut errors);
    match (since, errors.is_empty()) {
        (Some(since), true) => Ok(Bond {
            level: BondLevel::ALL[form.choice("level").min(BondLevel::ALL.len() - 1)],
            kind,
            since,
            until: None,
            note: form.text("note").trim().to_string(),
        }),
        _ => Err(errors),
    }
}

/// `None` when the customer has no active bond to end.
pub fn end_bond(account: &Account, as_of: Date) -> Option<Form> {
    let active: Vec<(usize, &Bond)> = account
        .bonds
        .iter()
        .enumerate()
        .filter(|(_, b)| b.active_on(as_of))
        .collect();
    if active.is_empty() {
        return None;
    }
    let options = active
        .iter()
        .map(|(_, b)| {
            tr(
                "form-bond-option",
                &[
                    ("level", &bond_level_label(b.level)),
                    ("kind", &b.kind),
                    ("since", &b.since.to_string()),
                ],
            )
        })
        .collect();
    let fields = vec![
        Field::choice("bond", "form-bond", options, 0),
        Field::text(
            "until",
            "form-ends-on",
            &as_of.to_string(),
            &t("form-hint-date-only"),
        ),
    ];
    Some(Form::new(
        FormKind::EndBond {
            customer: account.customer.id.clone(),
            bonds: active.iter().map(|(i, _)| *i).collect(),
        },
        tr("form-end-bond-title", &[("name", &account.customer.name)]),
        fields,
        "bond",
    ))
}

pub fn check_end_bond(
    form: &Form,
    bonds: &[usize],
    ctx: &Ctx,
) -> Result<(usize, Date), FieldErrors> {
    let mut errors = FieldErrors::new();
    let until = required_date(form, "until", ctx.as_of, &mut errors);
    let index = bonds.get(form.choice("bond")).copied();
    if index.is_none() {
        errors.push(("bond", t("form-err-choose-bond")));
    }
    match (index, until) {
        (Some(index), Some(until)) if errors.is_empty() => Ok((index, until)),
        _ => Err(errors),
    }
}

pub fn add_order(customer: &str, name: &str, as_of: Date) -> Form {
    let fields = vec![
        Field::text(
            "date",
            "form-date",
            &as_of.to_string(),
            &t("form-hint-date-only"),
        ),
        Field::text("amount", "form-amount", "", &t("form-hint-required")),
        Field::text("margin", "form-margin", "", &t("form-hint-margin")),
    ];
    Form::new(
        FormKind::AddOrder {
            customer: customer.to_string(),
        },
        tr("form-add-order-title", &[("name", name)]),
        fields,
        "amount",
    )
}

pub fn check_order(form: &Form, ctx: &Ctx) -> Result<Order, FieldErrors> {
    let mut errors = FieldErrors::new();
    let date = required_date(form, "date", ctx.as_of, &mut errors);
    let amount = match parse::amount(form.text("amount")) {
        Ok(Some(v)) if rules::order_amount(v).is_ok() => Some(v),
        Ok(Some(_)) => {
            errors.push(("amount", t("form-err-more-than-zero")));
            None
        }
        Ok(None) => {
            errors.push(("amount", t("form-err-amount")));
            None
        }
        Err(message) => {
            errors.push(("amount", message));
            None
        }
    };
    let margin = match parse::amount(form.text("margin")) {
        Ok(Some(m)) if amount.is_some_and(|a| rules::order_margin(m, a).is_err()) => {
            errors.push(("margin", t("form-err-margin")));
            None
        }
        Ok(m) => m,
        Err(message) => {
            errors.push(("margin", message));
            None
        }
    };
    match (date, amount) {
        (Some(date), Some(amount)) if errors.is_empty() => Ok(Order {
            date,
            amount,
            margin,
        }),
        _ => Err(errors),
    }
}

/// The value of the lost form's "not lost" choice (a reason's value is its code).
const NOT_LOST: &str = "-";

pub fn lost(customer: &Customer, as_of: Date) -> Form {
    // No reason is preselected (issue 14): a lost customer's own reason, or none. "Not lost"
    // is offered to a customer who is lost (won back).
    let mut options = Vec::new();
    if customer.lost.is_some() {
        options.push(PickOption::new(NOT_LOST, t("form-not-lost")));
    }
    options.extend(
        LostReason::ALL
            .iter()
            .map(|&r| PickOption::new(r.code(), lost_reason_label(r))),
    );
    let (reason, date) = match &customer.lost {
        Some(lost) => (Some(lost.reason.code()), lost.date),
        None => (None, as_of),
    };
    let chosen = reason.and_then(|code| options.iter().position(|o| o.value == code));
    let fields = vec![
        Field::pick(
            "reason",
            "form-reason",
            Pick::new(options, chosen, t("form-choose-reason")),
        ),
        Field::text(
            "date",
            "form-lost-on",
            &date.to_string(),
            &t("form-hint-date-only"),
        ),
    ];
    Form::new(
        FormKind::Lost {
            customer: customer.id.clone(),
        },
        tr("form-lost-title", &[("name", &customer.name)]),
        fields,
        "reason",
    )
}

pub fn check_lost(form: &Form, ctx: &Ctx) -> Result<Option<Lost>, FieldErrors> {
    let reason = match form.picked("reason") {
        None => return Err(vec![("reason", t("form-err-choose-reason"))]),
        Some(NOT_LOST) => return Ok(None),
        Some(code) => code.parse::<LostReason>().ok(),
    };
    let mut errors = FieldErrors::new();
    let date = required_date(form, "date", ctx.as_of, &mut errors);
    if reason.is_none() {
        errors.push(("reason", t("form-err-choose-reason")));
    }
    match (date, reason) {
        (Some(date), Some(reason)) if errors.is_empty() => Ok(Some(Lost { date, reason })),
        _ => Err(errors),
    }
}

fn required_date(
    form: &Form,
    name: &'static str,
    as_of: Date,
    errors: &mut FieldErrors,
) -> Option<Date> {
    match parse::date(form.text(name), as_of) {
        Ok(Some(date)) => Some(date),
        Ok(None) => {
            errors.push((name, t("form-err-date-needed")));
            None
        }
        Err(message) => {
            errors.push((name, message));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::form::{Edit, Submit};
    use jiff::civil::date;

    fn ctx() -> Ctx<'static> {
        Ctx {
            as_of: date(2026, 11, 22),
            now: "2026-11-22T10:00:00Z".parse().unwrap(),
            author: "alice",
        }
    }

    fn known() -> Known {
        Known {
            actor: "alice".into(),
            owners: vec![
                ("alice".into(), String::new()),
                ("bob".into(), "Bob Stone".into()),
                ("wang".into(), "王伟".into()),
            ],
            segments: vec![],
            customer: None,
        }
    }

    fn labels_of(form: &Form, name: &str) -> Vec<String> {
        match &form.field(name).unwrap().value {
            crate::tui::form::FieldValue::Pick(pick) => {
                pick.options.iter().map(|o| o.label.clone()).collect()
            }
            other => panic!("{name} is a picker, not {other:?}"),
        }
    }

    #[test]
    fn new_customer_needs_a_name_and_parses_contacts() {
        let mut form = new_customer("alice", date(2026, 11, 22), &known());
        assert!(form.check(&ctx(), true).is_none());
        assert!(form.field("name").unwrap().error.is_some());
        form.set_text("name", "上海贸易");
        form.set_text("tags", "key-account, , asia");
        form.set_text("category_spend", "250 000");
        form.set_text("contacts", "Li Wei; buyer; +86 10; li@x.example\n\nWang");
        let Some(Submit::NewCustomer(c)) = form.check(&ctx(), true) else {
            panic!("valid customer");
        };
        assert_eq!(c.id, "");
        assert_eq!(c.owner, "alice");
        assert_eq!(c.tags, vec!["key-account", "asia"]);
        assert_eq!(c.category_spend, Some(250_000.0));
        assert_eq!(c.contacts.len(), 2);
        assert_eq!(c.contacts[0].email, "li@x.example");
        assert_eq!(c.contacts[1].name, "Wang");
        assert_eq!(c.created, date(2026, 11, 22));
    }

    #[test]
    fn contact_lines_with_too_many_parts_name_the_line() {
        let mut form = new_customer("alice", date(2026, 11, 22), &known());
        form.set_text("name", "Acme");
        form.set_text("contacts", "ok\na; b; c; d; e");
        assert!(form.check(&ctx(), true).is_none());
        let error = form.field("contacts").unwrap().error.clone().unwrap();
        assert!(error.starts_with("line 2"), "{error}");
    }

    #[test]
    fn order_amount_and_margin() {
        let mut form = add_order("acme", "Acme", date(2026, 11, 22));
        form.set_text("amount", "1000");
        form.set_text("margin", "1500");
        assert!(form.check(&ctx(), true).is_none());
        form.set_text("margin", "");
        let Some(Submit::AddOrder(order)) = form.check(&ctx(), true) else {
            panic!("valid order");
        };
        assert_eq!(order.amount, 1000.0);
        assert_eq!(order.margin, None);
        assert_eq!(order.date, date(2026, 11, 22));
    }

    fn customer(lost: Option<Lost>) -> Customer {
        Customer {
            id: "acme".into(),
            name: "Acme".into(),
            kind: CustomerKind::Organization,
            segment: String::new(),
            owner: "alice".into(),
            created: date(2024, 1, 1),
            tags: vec![],
            category_spend: None,
            contacts: vec![],
            note: String::new(),
            lost,
        }
    }

    #[test]
    fn lost_can_be_cleared() {
        let customer = customer(Some(Lost {
            date: date(2026, 1, 5),
            reason: LostReason::Competitor,
        }));
        let mut form = lost(&customer, date(2026, 11, 22));
        assert_eq!(form.text("date"), "2026-01-05");
        assert_eq!(form.picked("reason"), Some("competitor"), "its own reason");
        let Some(Submit::Lost(Some(l))) = form.check(&ctx(), true) else {
            panic!("keeps the reason");
        };
        assert_eq!(l.reason, LostReason::Competitor);
        // A lost customer is offered "not lost" first (won back).
        assert_eq!(labels_of(&form, "reason")[0], "(not lost)");
        form.pick_mut("reason").unwrap().select("-");
        assert_eq!(form.check(&ctx(), true), Some(Submit::Lost(None)));
    }

    #[test]
    fn no_lost_reason_is_preselected_and_the_reasons_are_words() {
        let mut form = lost(&customer(None), date(2026, 11, 22));
        assert_eq!(form.picked("reason"), None);
        assert_eq!(
            labels_of(&form, "reason"),
            [
                "price",
                "product",
                "service",
                "competitor",
                "deliberate",
                "involuntary"
            ],
            "a customer not lost is not offered \"not lost\""
        );
        assert_eq!(form.check(&ctx(), true), None, "saving asks for a reason");
        assert_eq!(
            form.field("reason").unwrap().error.as_deref(),
            Some("choose a reason")
        );
        // Typed: the list opens filtered; Enter (in the update) picks the row.
        form.edit(Edit::Char('s'));
        let pick = form.open_pick().expect("typing opens the list");
        let rows: Vec<_> = pick.rows();
        assert_eq!(rows.len(), 1, "only service holds an s: {rows:?}");
        form.pick_mut("reason").unwrap().select("service");
        let Some(Submit::Lost(Some(l))) = form.check(&ctx(), true) else {
            panic!("a reason chosen");
        };
        assert_eq!(l.reason, LostReason::Service);
    }

    #[test]
    fn owners_are_listed_the_user_first_then_the_book_then_nobody() {
        let form = new_customer("alice", date(2026, 11, 22), &known());
        assert_eq!(
            labels_of(&form, "owner"),
            [
                "alice (you)",
                "bob · Bob Stone",
                "wang · 王伟",
                "(no owner yet)"
            ]
        );
        assert_eq!(form.picked("owner"), Some("alice"));
        // A customer whose owner no list holds keeps that owner on offer, chosen.
        let mut theirs = customer(None);
        theirs.owner = "zoe".into();
        let form = edit_customer(&theirs, &known());
        assert_eq!(labels_of(&form, "owner")[1], "zoe");
        assert_eq!(form.picked("owner"), Some("zoe"));
    }

    #[test]
    fn the_owner_saved_is_the_one_picked_and_a_new_one_only_once_added() {
        let mut form = new_customer("alice", date(2026, 11, 22), &known());
        form.set_text("name", "New Co");
        form.pick_mut("owner").unwrap().select("bob");
        let Some(Submit::NewCustomer(c)) = form.check(&ctx(), true) else {
            panic!("valid customer");
        };
        assert_eq!(c.owner, "bob");
        form.pick_mut("owner").unwrap().add(new_owner("carol"));
        let Some(Submit::NewCustomer(c)) = form.check(&ctx(), true) else {
            panic!("valid customer");
        };
        assert_eq!(c.owner, "carol");
        assert_eq!(labels_of(&form, "owner")[4], "carol (new owner)");
        form.pick_mut("owner").unwrap().chosen = None;
        assert!(form.check(&ctx(), true).is_none());
        assert_eq!(
            form.field("owner").unwrap().error.as_deref(),
            Some("choose an owner")
        );
    }

    #[test]
    fn bond_kind_is_required_and_hint_follows_level() {
        let mut form = add_bond("acme", "Acme", None, date(2026, 11, 22));
        assert!(form.check(&ctx(), true).is_none());
        form.focus = 0;
        form.edit(Edit::Right);
        refresh_bond_hint(&mut form);
        assert!(form.field("kind").unwrap().hint.contains("integration"));
        form.set_text("kind", "EDI link");
        let Some(Submit::AddBond(bond)) = form.check(&ctx(), true) else {
            panic!("valid bond");
        };
        assert_eq!(bond.level, BondLevel::Structural);
        assert_eq!(bond.since, date(2026, 11, 22));
    }
}
