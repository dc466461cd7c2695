//! Why a customer matched a query, in words a find row can show: the first field whose
//! text holds the query (folded as the index folds it; a phone by its digits). A fuzzy or
//! typo match holds it in no field: then there is no single field to name.

use super::normalize::{as_phone_query, normalize, phone_digits};
use crate::domain::model::Customer;

/// The field a query was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchField {
    Name,
    Contact,
    Phone,
    Email,
    Tag,
    Id,
    Segment,
}

/// The field of `customer` that holds `query`, and that field's text.
pub fn matched_field(customer: &Customer, query: &str) -> Option<(MatchField, String)> {
    let q = normalize(query);
    if q.is_empty() {
        return None;
    }
    let holds = |text: &str| normalize(text).contains(&q);
    if holds(&customer.name) {
        return Some((MatchField::Name, customer.name.clone()));
    }
    if let Some(digits) = as_phone_query(&q).filter(|d| d.len() >= 3) {
        if let Some(c) = customer
            .contacts
            .iter()
            .find(|c| phone_digits(&c.phone).contains(&digits))
        {
            return Some((MatchField::Phone, c.phone.clone()));
        }
    }
    let contact = |pick: fn(&crate::domain::model::Contact) -> &str| {
        customer
            .contacts
            .iter()
            .map(pick)
            .find(|text| holds(text))
            .map(str::to_string)
    };
    if let Some(name) = contact(|c| &c.name) {
        return Some((MatchField::Contact, name));
    }
    if let Some(email) = contact(|c| &c.email) {
        return Some((MatchField::Email, email));
    }
    if let Some(tag) = customer.tags.iter().find(|t| holds(t)) {
        return Some((MatchField::Tag, tag.clone()));
    }
    if holds(&customer.id) {
        return Some((MatchField::Id, customer.id.clone()));
    }
    if holds(&customer.segment) {
        return Some((MatchField::Segment, customer.segment.clone()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{Contact, CustomerKind};
    use jiff::civil::date;

    fn acme() -> Customer {
        Customer {
            id: "acme-7".into(),
            name: "Acme Trading".into(),
            kind: CustomerKind::Organization,
            segment: "Machinery".into(),
            owner: "alice".into(),
            created: date(2024, 1, 1),
            tags: vec!["key-account".into()],
            category_spend: None,
            contacts: vec![Contact {
                name: "Wang Wei".into(),
                role: "buyer".into(),
                phone: "+86 10 5555 0101".into(),
                email: "w.wei@acme.example".into(),
            }],
            note: String::new(),
            lost: None,
        }
    }

    #[test]
    fn names_the_first_field_that_holds_the_query() {
        let c = acme();
        let field = |q: &str| matched_field(&c, q).map(|(f, _)| f);
        assert_eq!(field("TRADING"), Some(MatchField::Name));
        assert_eq!(
            matched_field(&c, "5555 01"),
            Some((MatchField::Phone, "+86 10 5555 0101".into()))
        );
        assert_eq!(field("wang"), Some(MatchField::Contact));
        assert_eq!(field("w.wei@"), Some(MatchField::Email));
        assert_eq!(field("key-acc"), Some(MatchField::Tag));
        assert_eq!(field("acme-7"), Some(MatchField::Id));
        assert_eq!(field("machin"), Some(MatchField::Segment));
        // A typo holds in no field; two digits are too few to call a phone.
        assert_eq!(field("tradnig"), None);
        assert_eq!(field("01"), None);
    }
}
