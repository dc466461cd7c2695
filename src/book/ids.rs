//! Ids for customers added without one: readable slugs of the name, made unique.

/// A slug of `name` ("Acme Trading Co." -> "acme-trading-co"), or "c" + a number when the
/// name has no ASCII letters (a CJK name), suffixed -2, -3, … until `taken` says no.
pub fn fresh_id(name: &str, taken: impl Fn(&str) -> bool) -> String {
    let base = slug(name);
    let base = if base.is_empty() {
        "c".to_string()
    } else {
        base
    };
    if base != "c" && !taken(&base) {
        return base;
    }
    (2u64..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or(base)
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
    use super::*;

    #[test]
    fn slugs_and_dedupes() {
        assert_eq!(slug("Acme Trading Co."), "acme-trading-co");
        assert_eq!(fresh_id("Acme", |id| id == "acme"), "acme-2");
        assert_eq!(fresh_id("Acme", |_| false), "acme");
        assert_eq!(fresh_id("王芳", |id| id == "c-2"), "c-3");
    }
}
