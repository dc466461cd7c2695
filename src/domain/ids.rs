//! Ids for customers added without one: readable slugs of the name, made unique.

use std::collections::HashMap;

/// A slug of `name` ("Acme Trading Co." -> "acme-trading-co"), or "c" + a number when the
/// name has no ASCII letters (a CJK name), suffixed -2, -3, … until `taken` says no.
pub fn fresh_id(name: &str, taken: impl Fn(&str) -> bool) -> String {
    FreshIds::default().next(name, taken)
}

/// `fresh_id` for many names in a row (an import): the same ids, in linear time.
///
/// Probing `base-2`, `base-3`, … from 2 for every name made an import of n cards of one
/// name (or n CJK names, which all share the base "c") take n²/2 probes. Here each base
/// remembers the suffix it stopped at. That gives the same ids as probing from 2 as long
/// as `taken` only ever grows (every id handed out is then taken too, as an import's set
/// of ids is): every suffix below the remembered one was taken when it was passed over,
/// so it still is.
#[derive(Debug, Default)]
pub struct FreshIds {
    /// Base slug -> the suffix it was last given; every smaller one is taken.
    next_suffix: HashMap<String, u64>,
}

impl FreshIds {
    pub fn next(&mut self, name: &str, taken: impl Fn(&str) -> bool) -> String {
        let base = slug(name);
        let base = if base.is_empty() {
            "c".to_string()
        } else {
            base
        };
        if base != "c" && !taken(&base) {
            return base;
        }
        let mut n = self.next_suffix.get(&base).copied().unwrap_or(2);
        loop {
            let candidate = format!("{base}-{n}");
            if !taken(&candidate) {
                // Kept at `n`, not `n + 1`: a caller that does not take the id loses nothing.
                self.next_suffix.insert(base, n);
                return candidate;
            }
            n += 1;
        }
    }
}

pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for ch in crate::domain::search::normalize(name).chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn slugs_and_dedupes() {
        assert_eq!(slug("Acme Trading Co."), "acme-trading-co");
        assert_eq!(fresh_id("Acme", |id| id == "acme"), "acme-2");
        assert_eq!(fresh_id("Acme", |_| false), "acme");
        assert_eq!(fresh_id("王芳", |id| id == "c-2"), "c-3");
    }

    /// Hands out ids the way an import does: each one is taken once given.
    fn ids_for(names: &[&str], taken_before: &[&str]) -> Vec<String> {
        let mut taken: HashSet<String> = taken_before.iter().map(|s| s.to_string()).collect();
        let mut fresh = FreshIds::default();
        names
            .iter()
            .map(|name| {
                let id = fresh.next(name, |c| taken.contains(c));
                taken.insert(id.clone());
                id
            })
            .collect()
    }

    #[test]
    fn a_run_of_names_gets_the_ids_probing_from_two_would_give() {
        // Worked by hand: acme, acme-2 (taken before, skipped), acme-3, ...; "Acme 4" has
        // the slug acme-4, free when it comes, so the fourth Acme passes over it to acme-5.
        let names = [
            "Acme", "Acme", "王芳", "Acme 4", "Acme", "李伟", "Acme", "王芳",
        ];
        assert_eq!(
            ids_for(&names, &["acme-2", "c-3"]),
            ["acme", "acme-3", "c-2", "acme-4", "acme-5", "c-4", "acme-6", "c-5"]
        );
    }

    #[test]
    fn the_remembered_suffix_gives_what_probing_from_two_gives() {
        let names: Vec<String> = (0..300)
            .map(|i| match i % 5 {
                0 => "Acme".to_string(),
                1 => format!("Acme {}", i % 7),
                2 => "王芳".to_string(),
                3 => format!("acme-{}", i % 11),
                _ => "Beta".to_string(),
            })
            .collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let before = ["acme-3", "c-2", "beta-4"];
        let mut taken: HashSet<String> = before.iter().map(|s| s.to_string()).collect();
        let probed: Vec<String> = names
            .iter()
            .map(|name| {
                let id = fresh_id(name, |c| taken.contains(c));
                taken.insert(id.clone());
                id
            })
            .collect();
        assert_eq!(ids_for(&names, &before), probed);
        assert_eq!(probed.iter().collect::<HashSet<_>>().len(), names.len());
    }

    #[test]
    fn an_id_given_but_not_taken_is_given_again() {
        let mut fresh = FreshIds::default();
        let taken = |c: &str| c == "acme";
        assert_eq!(fresh.next("Acme", taken), "acme-2");
        assert_eq!(fresh.next("Acme", taken), "acme-2");
    }
}
