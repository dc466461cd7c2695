//! The edit forms: a customer's profile and contact persons, bonds, orders, lost.

use crate::i18n::{bond_level_label, customer_kind_label, lost_reason_label, t, tr};
use jiff::civil::Date;

use super::{labels, parse, position, Ctx, Field, FieldErrors, Form, FormKind};
use crate::domain::model::{
    Account, Bond, BondLevel, Contact, Customer, CustomerKind, Lost, LostReason, Order,
};
use crate::domain::rules;

pub fn new_customer(owner: &str, as_of: Date) -> Form {
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
    let fields = customer_fields(&blank);
    Form::new(
        FormKind::NewCustomer,
        t("form-add-customer-title"),
        fields,
        "name",
    )
}

pub fn edit_customer(customer: &Customer) -> Form {
    let fields = customer_fields(customer);
    Form::new(
        FormKind::EditCustomer {
            original: Box::new(customer.clone()),
        },
        tr("form-edit-title", &[("name", &customer.name)]),
        fields,
        "name",
    )
}

fn customer_fields(c: &Customer) -> Vec<Field> {
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
        Field::text("owner", "form-owner", &c.owner, &t("form-hint-owner")),
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
    let owner = form.text("owner").trim().to_string();
    if rules::owner(&owner).is_err() {
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

pub fn lost(customer: &Customer, as_of: Date) -> Form {
    // No reason is preselected: the first option asks for one (issue 14).
    let mut options = vec![t("form-choose-reason"), t("form-not-lost")];
    options.extend(labels(LostReason::ALL, lost_reason_label));
    let (index, date) = match &customer.lost {
        Some(lost) => (2 + position(LostReason::ALL, &lost.reason), lost.date),
        None => (0, as_of),
    };
    let fields = vec![
        Field::choice("reason", "form-reason", options, index),
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
    let choice = form.choice("reason");
    if choice == 0 {
        return Err(vec![("reason", t("form-err-choose-reason"))]);
    }
    if choice == 1 {
        return Ok(None);
    }
    let mut errors = FieldErrors::new();
    let date = required_date(form, "date", ctx.as_of, &mut errors);
    let reason = LostReason::ALL.get(choice - 2).copied();
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

    #[test]
    fn new_customer_needs_a_name_and_parses_contacts() {
        let mut form = new_customer("alice", date(2026, 11, 22));
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
        let mut form = new_customer("alice", date(2026, 11, 22));
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

    #[test]
    fn lost_can_be_cleared() {
        let customer = Customer {
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
            lost: Some(Lost {
                date: date(2026, 1, 5),
                reason: LostReason::Competitor,
            }),
        };
        let mut form = lost(&customer, date(2026, 11, 22));
        assert_eq!(form.text("date"), "2026-01-05");
        let Some(Submit::Lost(Some(l))) = form.check(&ctx(), true) else {
            panic!("keeps the reason");
        };
        assert_eq!(l.reason, LostReason::Competitor);
        // The first option asks for a reason; the second is "not lost".
        form.edit(Edit::Home);
        assert_eq!(form.check(&ctx(), true), None);
        assert!(form.field("reason").unwrap().error.is_some());
        form.edit(Edit::Right);
        assert_eq!(form.check(&ctx(), true), Some(Submit::Lost(None)));
    }

    #[test]
    fn no_lost_reason_is_preselected() {
        let customer = Customer {
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
            lost: None,
        };
        let mut form = lost(&customer, date(2026, 11, 22));
        assert_eq!(form.choice("reason"), 0);
        assert_eq!(form.check(&ctx(), true), None, "saving asks for a reason");
        form.edit(Edit::Right);
        form.edit(Edit::Right);
        let Some(Submit::Lost(Some(l))) = form.check(&ctx(), true) else {
            panic!("a reason chosen");
        };
        assert_eq!(l.reason, LostReason::ALL[0]);
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
