//! The relationship-marketing level (DOMAIN.md §2, Berry & Parasuraman): the highest rung
//! among the bonds active on the as-of date, and the gaps in a cumulative ladder.

use super::text::Text;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::card::Level;
use super::model::{Bond, BondLevel};

/// Which rungs hold the customer on a date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rungs {
    pub financial: bool,
    pub social: bool,
    pub structural: bool,
    /// Active structural bonds (the PDCA metric `structural_bonds` sums these).
    pub structural_count: u32,
}

pub fn rungs(bonds: &[Bond], as_of: Date) -> Rungs {
    let mut rungs = Rungs::default();
    for bond in bonds.iter().filter(|b| b.active_on(as_of)) {
        match bond.level {
            BondLevel::Financial => rungs.financial = true,
            BondLevel::Social => rungs.social = true,
            BondLevel::Structural => {
                rungs.structural = true;
                rungs.structural_count += 1;
            }
        }
    }
    rungs
}

pub fn level(rungs: &Rungs) -> Level {
    if rungs.structural {
        Level::Structural
    } else if rungs.social {
        Level::Social
    } else if rungs.financial {
        Level::Financial
    } else {
        Level::None
    }
}

/// The ladder is cumulative: each rung adds to the ones below, so a top rung without the
/// rungs beneath it is fragile. Names the missing rungs, lowest first.
pub fn fragile_note(rungs: &Rungs) -> Option<String> {
    fragile_note_said(rungs).map(|(english, _)| english)
}

/// `fragile_note` in English and as a message for the front ends.
pub fn fragile_note_said(rungs: &Rungs) -> Option<(String, Text)> {
    let top = level(rungs);
    let mut missing = Vec::new();
    if matches!(top, Level::Social | Level::Structural) && !rungs.financial {
        missing.push(BondLevel::Financial);
    }
    if top == Level::Structural && !rungs.social {
        missing.push(BondLevel::Social);
    }
    let level = Text::code("level", top.code());
    let rung = |b: BondLevel| Text::code("bond-level", b.code());
    match missing.as_slice() {
        [] => None,
        [one] => Some((
            format!("{top}, {one} rung missing"),
            Text::new("note-rung-missing")
                .part("level", level)
                .part("missing", rung(*one)),
        )),
        many => {
            let names: Vec<&str> = many.iter().map(|b| b.code()).collect();
            let [a, b] = [many[0], many[many.len() - 1]];
            Some((
                format!("{top}, {} rungs missing", names.join(" and ")),
                Text::new("note-rungs-missing").part("level", level).part(
                    "missing",
                    Text::new("note-and").part("a", rung(a)).part("b", rung(b)),
                ),
            ))
        }
    }
}

#[cfg(test)]
#[path = "bonds_tests.rs"]
mod tests;
