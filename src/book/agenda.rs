//! The agenda of the book: ranked over every customer's agenda keys (kept beside the list
//! lines) through their index (`domain::agenda_index`), so an open costs the shown rows and
//! a few rank queries, not a pass over the book (issue 14, "fast at 1M"); full cards are
//! built only for the customers whose items make it.
//!
//! Where the keys come from: the pass held in memory, kept current write by write (its
//! index, made at its first agenda, moves with each changed customer's keys); else the
//! saved keys when no event followed them. Those are ranked by a plain selection the first
//! time a book is asked for an agenda (a sort costs about three selections, and a `crm
//! agenda` process asks once); from a second agenda on (a console, a server) they are
//! indexed once and held while the journal stays where it was, so the agenda opens again
//! without re-reading them.

use jiff::civil::Date;

use crate::domain::agenda::{Agenda, AgendaBuilder};
use crate::domain::agenda_index::AgendaIndex;
use crate::domain::agenda_keys::{choose_where, AgendaKeys, Chosen};
use crate::domain::engine;
use crate::domain::facts::{customer_facts, CustomerFacts};
use crate::domain::model::{CustomerId, Cycle};
use crate::domain::stats::BookStats;
use crate::domain::text::Text;

use super::derived::{Basis, Derived};
use super::{Book, BookError};

/// Items of each list an agenda shows.
const LIMIT: usize = 50;

/// What a book keeps of the saved agenda keys between agendas.
#[derive(Default)]
pub(super) struct Held {
    saved: Option<SavedAgenda>,
    /// An agenda was asked of this book before: the next saved keys are worth indexing.
    asked: bool,
}

/// The saved agenda keys of one basis and journal sequence, as their index and the
/// customer ids (the keys themselves are not kept: nothing changes them before the
/// journal moves, and then the pass in memory takes over), and the figures saved with them.
pub(super) struct SavedAgenda {
    basis: Basis,
    seq: u64,
    index: AgendaIndex,
    ids: Vec<CustomerId>,
    stats: BookStats,
}

impl SavedAgenda {
    fn of(basis: Basis, seq: u64, keys: Vec<AgendaKeys>, stats: BookStats) -> SavedAgenda {
        let index = AgendaIndex::of(&keys);
        let ids = keys.into_iter().map(|k| k.id).collect();
        SavedAgenda {
            basis,
            seq,
            index,
            ids,
            stats,
        }
    }
}

/// The chosen customers' (position, id) in `ids`.
fn chosen_ids<'a>(
    chosen: &Chosen,
    id_at: impl Fn(usize) -> Option<&'a str>,
) -> Vec<(usize, CustomerId)> {
    let found = chosen
        .positions
        .iter()
        .filter_map(|&at| Some((at, id_at(at)?.to_string())));
    found.collect()
}

impl Book {
    /// The agenda of `owner`'s customers (everyone's when `None`) on `as_of`.
    pub fn agenda(&mut self, as_of: Date, owner: Option<&str>) -> Result<Agenda, BookError> {
        self.agenda_within(as_of, owner, &|_| true)
    }

    /// As `agenda`, over the customers whose owner `keep` lets through (a session's reach).
    pub fn agenda_within(
        &mut self,
        as_of: Date,
        owner: Option<&str>,
        keep: &dyn Fn(&str) -> bool,
    ) -> Result<Agenda, BookError> {
        let cycles = self.store.cycles()?;
        let basis = Basis::new(as_of, &self.config);
        let seq = self.store.seq();
        let in_memory = self
            .derived
            .as_ref()
            .is_some_and(|d| d.as_of == as_of && d.seq == seq && d.agenda.is_some());
        let asked_before = std::mem::replace(&mut self.saved_agenda.asked, true);
        if !in_memory {
            let held = self
                .saved_agenda
                .saved
                .as_ref()
                .is_some_and(|s| s.basis == basis && s.seq == seq);
            if !held {
                let saved = Derived::load_agenda(&self.dir, basis)
                    .zip(Derived::load_stats(&self.dir, basis));
                self.saved_agenda.saved = None;
                match saved {
                    Some((keys, stats)) if !asked_before => {
                        let chosen = choose_where(&keys, owner, &|k| keep(&k.owner), as_of, LIMIT);
                        let ids = chosen_ids(&chosen, |at| keys.get(at).map(|k| k.id.as_str()));
                        return self.agenda_of(&chosen, &ids, &stats, None, &cycles, as_of, owner);
                    }
                    Some((keys, stats)) => {
                        self.saved_agenda.saved = Some(SavedAgenda::of(basis, seq, keys, stats));
                    }
                    None => {}
                }
            }
            if let Some(saved) = self.saved_agenda.saved.as_ref() {
                let chosen = saved.index.choose(owner, keep, as_of, LIMIT);
                let ids = chosen_ids(&chosen, |at| saved.ids.get(at).map(String::as_str));
                return self.agenda_of(&chosen, &ids, &saved.stats, None, &cycles, as_of, owner);
            }
        }
        // The pass in memory holds the keys from here on, kept current with each write.
        self.saved_agenda.saved = None;
        self.ensure_summaries(as_of)?;
        let board = self
            .derived
            .as_mut()
            .and_then(|d| d.agenda.as_mut())
            .ok_or_else(unavailable)?;
        let chosen = board.choose(owner, keep, as_of, LIMIT);
        let keys = board.keys();
        let ids = chosen_ids(&chosen, |at| keys.get(at).map(|k| k.id.as_str()));
        let derived = self.derived.as_ref().ok_or_else(unavailable)?;
        self.agenda_of(
            &chosen,
            &ids,
            &derived.stats,
            Some(&derived.facts),
            &cycles,
            as_of,
            owner,
        )
    }

    /// The agenda of the chosen customers' cards (`customers`: their positions in the
    /// keys and ids), with their facts from `facts` (in the keys' order) or computed, and
    /// the totals counted over all.
    #[allow(clippy::too_many_arguments)]
    fn agenda_of(
        &self,
        chosen: &Chosen,
        customers: &[(usize, CustomerId)],
        stats: &BookStats,
        facts: Option<&[CustomerFacts]>,
        cycles: &[Cycle],
        as_of: Date,
        owner: Option<&str>,
    ) -> Result<Agenda, BookError> {
        let mut builder = AgendaBuilder::new(as_of, owner.map(str::to_string), LIMIT);
        for (at, id) in customers {
            let account = self
                .store
                .account(id)?
                .ok_or_else(|| BookError::customer_not_found(id))?;
            let computed;
            let facts = match facts.and_then(|all| all.get(*at)) {
                Some(facts) => facts,
                None => {
                    computed = customer_facts(&account, as_of, &self.config, stats.rhythm);
                    &computed
                }
            };
            let card = engine::card(&account, facts, stats, cycles, as_of, &self.config);
            builder.add(&card);
        }
        let mut agenda = builder.finish();
        agenda.follow_ups_total = chosen.follow_ups_total;
        agenda.actions_total = chosen.actions_total;
        agenda.overdue_total = chosen.overdue_total;
        agenda.today_total = chosen.today_total;
        agenda.this_week_total = chosen.this_week_total;
        Ok(agenda)
    }
}

fn unavailable() -> BookError {
    BookError::unavailable("the book's figures are not available").with(Text::new("err-no-figures"))
}
