//! Deciding conflicts the same way on every replica (docs/sync.md), applied by a store to
//! every profile change (`PutCustomer`, `SetLost`, an import's profiles):
//!
//! - each profile field keeps the value of the edit with the latest `Stamp` (hybrid clock,
//!   then id), whatever order the edits arrive in;
//! - an edit made without having seen the value it overrides (two devices, neither saw the
//!   other's) is a conflict: the card says "changed on two devices" with the other value
//!   (both stay in the journal, the audit trail) until someone looks at it on a device;
//! - a lost mark and contacts its maker had not seen are shown for a decision.
//!
//! Pure: the stores keep `ProfileClocks` beside each profile and call `merge`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::envelope::{EventId, FieldSeen, ProfileField, Seen, Stamp};
use crate::domain::model::Customer;

/// Beside each profile: the edit behind each field, and the conflicts waiting for a look.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProfileClocks {
    /// The last journal event applied to this value (a replayed contact is not counted
    /// twice).
    pub seq: u64,
    pub fields: BTreeMap<ProfileField, Stamp>,
    pub conflicts: BTreeMap<ProfileField, FieldConflict>,
    /// How many contacts the maker of the winning lost mark held.
    pub lost_contacts: u32,
    /// Contacts made by someone who saw a lost mark, per mark.
    pub seeing_lost: BTreeMap<EventId, u32>,
}

/// One field changed on two devices: the value kept, and the other one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldConflict {
    pub kept: Stamp,
    pub other: Stamp,
    /// The other value, as JSON.
    pub other_value: String,
}

impl ProfileClocks {
    /// The lost mark was set by someone who had not seen `contacts - seen` of the
    /// customer's contacts: someone must decide (mark lost again, or clear the mark).
    pub fn lost_but_contacted(&self, customer: &Customer, contacts: usize) -> bool {
        let Some(mark) = self.fields.get(&ProfileField::Lost) else {
            return false;
        };
        if customer.lost.is_none() {
            return false;
        }
        let seeing = self.seeing_lost.get(&mark.id).copied().unwrap_or(0);
        contacts as u64 > u64::from(self.lost_contacts) + u64::from(seeing)
    }

    /// The fields changed on two devices, by name, but those `looked` at already.
    pub fn two_devices(&self, looked: &[(ProfileField, Stamp, Stamp)]) -> Vec<String> {
        self.conflicts
            .iter()
            .filter(|(f, c)| !looked.contains(&(**f, c.kept, c.other)))
            .map(|(f, _)| f.name().to_string())
            .collect()
    }

    /// The conflicts as a person looking at them now has seen them.
    pub fn looked(&self) -> Vec<(ProfileField, Stamp, Stamp)> {
        self.conflicts
            .iter()
            .map(|(f, c)| (*f, c.kept, c.other))
            .collect()
    }
}

/// A field's value as JSON (to compare and to keep the other one).
pub fn value(customer: &Customer, field: ProfileField) -> String {
    let json = match field {
        ProfileField::Name => serde_json::to_string(&customer.name),
        ProfileField::Kind => serde_json::to_string(&customer.kind),
        ProfileField::Segment => serde_json::to_string(&customer.segment),
        ProfileField::Owner => serde_json::to_string(&customer.owner),
        ProfileField::Created => serde_json::to_string(&customer.created),
        ProfileField::Tags => serde_json::to_string(&customer.tags),
        ProfileField::CategorySpend => serde_json::to_string(&customer.category_spend),
        ProfileField::Contacts => serde_json::to_string(&customer.contacts),
        ProfileField::Note => serde_json::to_string(&customer.note),
        ProfileField::Lost => serde_json::to_string(&customer.lost),
    };
    json.unwrap_or_default()
}

fn copy(from: &Customer, to: &mut Customer, field: ProfileField) {
    match field {
        ProfileField::Name => to.name = from.name.clone(),
        ProfileField::Kind => to.kind = from.kind,
        ProfileField::Segment => to.segment = from.segment.clone(),
        ProfileField::Owner => to.owner = from.owner.clone(),
        ProfileField::Created => to.created = from.created,
        ProfileField::Tags => to.tags = from.tags.clone(),
        ProfileField::CategorySpend => to.category_spend = from.category_spend,
        ProfileField::Contacts => to.contacts = from.contacts.clone(),
        ProfileField::Note => to.note = from.note.clone(),
        ProfileField::Lost => to.lost = from.lost.clone(),
    }
}

/// The fields `after` changes in `before`.
pub fn changed(before: &Customer, after: &Customer) -> Vec<ProfileField> {
    ProfileField::ALL
        .into_iter()
        .filter(|&f| value(before, f) != value(after, f))
        .collect()
}

/// What a local profile change saw: the fields it changes, each with the edit whose value
/// it replaces.
pub fn seen_for(before: Option<&Customer>, clocks: &ProfileClocks, after: &Customer) -> Seen {
    let fields = match before {
        Some(before) => changed(before, after),
        None => ProfileField::ALL.to_vec(),
    };
    Seen {
        fields: fields
            .into_iter()
            .map(|field| FieldSeen {
                field,
                replaced: clocks.fields.get(&field).map(|s| s.id),
            })
            .collect(),
        ..Seen::default()
    }
}

/// The profile after `incoming` (stamped `stamp`, with what its maker `seen`) meets the
/// `current` one: the fields `seen` names are the ones it edits. Without `seen` (an
/// import, an event from before the envelope) every field that differs counts as edited,
/// and no conflict is flagged.
pub fn merge(
    current: Option<&Customer>,
    clocks: &mut ProfileClocks,
    incoming: &Customer,
    stamp: Stamp,
    seen: Option<&Seen>,
) -> Customer {
    let Some(current) = current else {
        for field in ProfileField::ALL {
            clocks.fields.insert(field, stamp);
        }
        return incoming.clone();
    };
    let contacts = seen.map_or(0, |s| s.contacts);
    let edits: Vec<(ProfileField, Option<Option<EventId>>)> = match seen {
        Some(seen) => seen
            .fields
            .iter()
            .map(|f| (f.field, Some(f.replaced)))
            .collect(),
        None => changed(current, incoming)
            .into_iter()
            .map(|f| (f, None))
            .collect(),
    };
    let mut out = current.clone();
    for (field, replaced) in edits {
        let now = clocks.fields.get(&field).copied();
        let concurrent = match (replaced, now) {
            (Some(replaced), Some(now)) => replaced != Some(now.id),
            _ => false,
        };
        let wins = now.is_none_or(|now| stamp > now);
        if wins {
            copy(incoming, &mut out, field);
            clocks.fields.insert(field, stamp);
            if field == ProfileField::Lost {
                clocks.lost_contacts = contacts;
            }
        }
        // The flag names the winner and the latest edit it did not see; it stays (it is
        // the same set of edits everywhere) until someone looks (`crm show` on a device).
        if let Some(conflict) = clocks.conflicts.get_mut(&field) {
            conflict.kept = clocks.fields.get(&field).copied().unwrap_or(conflict.kept);
        }
        // Flagged whatever the values: which value is current depends on arrival order,
        // the two edits do not.
        if concurrent {
            if let Some(now) = now {
                let (kept, other, other_value) = if wins {
                    (stamp, now, value(current, field))
                } else {
                    (now, stamp, value(incoming, field))
                };
                let later = clocks.conflicts.get(&field).is_none_or(|c| other > c.other);
                if later {
                    clocks.conflicts.insert(
                        field,
                        FieldConflict {
                            kept,
                            other,
                            other_value,
                        },
                    );
                }
            }
        }
    }
    out
}

/// A contact arrives: count it for the lost mark its maker saw, if any.
pub fn note_contact(clocks: &mut ProfileClocks, seen: &Seen) {
    if let Some(mark) = seen.lost {
        *clocks.seeing_lost.entry(mark).or_insert(0) += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::envelope::{BookId, Hlc};

    fn customer(note: &str, segment: &str) -> Customer {
        Customer {
            id: "acme".into(),
            name: "Acme".into(),
            kind: crate::domain::model::CustomerKind::Organization,
            segment: segment.into(),
            owner: "ana".into(),
            created: jiff::civil::date(2024, 1, 1),
            tags: vec![],
            category_spend: None,
            contacts: vec![],
            note: note.into(),
            lost: None,
        }
    }

    fn stamp(ms: u64, book: u8, counter: u64) -> Stamp {
        Stamp {
            hlc: Hlc { ms, logical: 0 },
            id: EventId {
                origin: BookId([book; 16]),
                counter,
            },
        }
    }

    /// Two devices edit the same profile from the same base; every order gives the same
    /// profile and the same conflict.
    #[test]
    fn the_later_edit_wins_per_field_in_either_order() {
        let base = customer("n0", "s0");
        let base_stamp = stamp(1, 1, 1);
        let mut clocks = ProfileClocks::default();
        let start = merge(None, &mut clocks, &base, base_stamp, None);
        // Device A (earlier) changes the note and the segment; device B (later) the note.
        let a = customer("from A", "seg A");
        let a_seen = seen_for(Some(&start), &clocks, &a);
        let b = customer("from B", "s0");
        let b_seen = seen_for(Some(&start), &clocks, &b);
        let (sa, sb) = (stamp(10, 2, 5), stamp(20, 3, 7));
        let run = |first: (&Customer, Stamp, &Seen), second: (&Customer, Stamp, &Seen)| {
            let mut c = clocks.clone();
            let p = merge(Some(&start), &mut c, first.0, first.1, Some(first.2));
            let p = merge(Some(&p), &mut c, second.0, second.1, Some(second.2));
            (p, c)
        };
        let one = run((&a, sa, &a_seen), (&b, sb, &b_seen));
        let two = run((&b, sb, &b_seen), (&a, sa, &a_seen));
        assert_eq!(one, two);
        let (profile, clocks) = one;
        assert_eq!(profile.note, "from B");
        assert_eq!(profile.segment, "seg A", "not edited by B: A's stays");
        assert_eq!(clocks.two_devices(&[]), vec!["note".to_string()]);
        assert!(clocks.two_devices(&clocks.looked()).is_empty());
        let conflict = &clocks.conflicts[&ProfileField::Note];
        assert_eq!((conflict.kept, conflict.other), (sb, sa));
        assert_eq!(conflict.other_value, "\"from A\"");
        // A later edit wins and is named as the kept one; the flag stays till a look.
        let later = customer("agreed", "seg A");
        let seen = seen_for(Some(&profile), &clocks, &later);
        let mut after = clocks.clone();
        let p = merge(
            Some(&profile),
            &mut after,
            &later,
            stamp(30, 2, 9),
            Some(&seen),
        );
        assert_eq!(p.note, "agreed");
        assert_eq!(after.conflicts[&ProfileField::Note].kept, stamp(30, 2, 9));
    }

    #[test]
    fn a_sequential_edit_is_no_conflict() {
        let base = customer("n0", "s0");
        let mut clocks = ProfileClocks::default();
        let p = merge(None, &mut clocks, &base, stamp(1, 1, 1), None);
        let next = customer("n1", "s0");
        let seen = seen_for(Some(&p), &clocks, &next);
        let p = merge(Some(&p), &mut clocks, &next, stamp(2, 2, 1), Some(&seen));
        assert_eq!(p.note, "n1");
        assert!(clocks.conflicts.is_empty());
    }
}
