//! vCard 2.1, 3.0 and 4.0 contacts (RFC 2426, RFC 6350) as customers: a hand-written
//! reader of the few properties a customer profile needs (FN, N, ORG, TITLE, ROLE, TEL,
//! EMAIL, NOTE, CATEGORIES); every other property is skipped.
//!
//! A card with an ORG becomes an organization named by it, with the card's person as its
//! contact; a card without one becomes a person.
//!
//! Why not the `calcard` crate: it reports no line numbers and accepts broken structure
//! silently (docs/performance.md, "Dependencies weighed"), while an import error must name
//! its file and line.

use std::collections::HashSet;

use jiff::civil::Date;

use super::import_error::ImportError;
use crate::domain::ids::FreshIds;
use crate::domain::model::{Account, BookData, Contact, Customer, CustomerKind};
use crate::domain::text::{Text, Worded};

/// One content line after unfolding: `NAME;PARAM=VALUE:value`, from physical line `line`.
struct Property {
    line: usize,
    name: String,
    params: Vec<(String, String)>,
    value: String,
}

impl Property {
    fn has_param(&self, name: &str, value: &str) -> bool {
        self.params.iter().any(|(n, v)| {
            n == name
                && v.split(',')
                    .any(|part| part.trim_matches('"').eq_ignore_ascii_case(value))
        })
    }

    fn quoted_printable(&self) -> bool {
        self.has_param("ENCODING", "QUOTED-PRINTABLE")
    }

    /// The value with quoted-printable decoded, still vCard-escaped.
    fn raw(&self) -> String {
        if self.quoted_printable() {
            decode_quoted_printable(&self.value)
        } else {
            self.value.clone()
        }
    }

    fn preferred(&self) -> bool {
        self.has_param("TYPE", "pref") || self.params.iter().any(|(n, _)| n == "PREF")
    }
}

/// Reads every card in `text`. Cards carry no creation date, so customers are created
/// `today`; ids are slugs of the names, made unique in the file.
pub fn parse_vcf(file: &str, text: &str, today: Date) -> Result<BookData, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut cards: Vec<(usize, Vec<Property>)> = Vec::new();
    let mut open: Option<(usize, Vec<Property>)> = None;
    for property in unfold(text) {
        let property = parse_line(file, property)?;
        let at_line = |message: Worded| ImportError::worded(file, message).at_line(property.line);
        match property.name.as_str() {
            "BEGIN" => {
                if !property.value.trim().eq_ignore_ascii_case("VCARD") {
                    return Err(at_line(Worded::new(
                        format!("BEGIN:{} where BEGIN:VCARD was expected", property.value),
                        Text::new("imp-vcf-begin-not-vcard").arg("value", &property.value),
                    )));
                }
                if let Some((begin, _)) = &open {
                    return Err(at_line(Worded::new(
                        format!(
                            "BEGIN:VCARD inside the card begun on line {begin} (END:VCARD missing)"
                        ),
                        Text::new("imp-vcf-begin-inside").arg("begin", begin),
                    )));
                }
                open = Some((property.line, Vec::new()));
            }
            "END" => match open.take() {
                Some(card) if property.value.trim().eq_ignore_ascii_case("VCARD") => {
                    cards.push(card);
                }
                Some((begin, _)) => {
                    return Err(at_line(Worded::new(
                        format!(
                            "END:{} closes the card begun on line {begin}; END:VCARD expected",
                            property.value
                        ),
                        Text::new("imp-vcf-end-mismatch")
                            .arg("value", &property.value)
                            .arg("begin", begin),
                    )));
                }
                None => {
                    return Err(at_line(Worded::new(
                        "END:VCARD without BEGIN:VCARD",
                        Text::new("imp-vcf-end-without-begin"),
                    )))
                }
            },
            _ => match &mut open {
                Some((_, properties)) => properties.push(property),
                None => {
                    return Err(at_line(Worded::new(
                        format!("{} outside BEGIN:VCARD ... END:VCARD", property.name),
                        Text::new("imp-vcf-outside").arg("name", &property.name),
                    )));
                }
            },
        }
    }
    if let Some((begin, _)) = open {
        return Err(ImportError::worded(
            file,
            Worded::new("BEGIN:VCARD has no END:VCARD", Text::new("imp-vcf-no-end")),
        )
        .at_line(begin));
    }
    if cards.is_empty() {
        return Err(ImportError::worded(
            file,
            Worded::new(
                "no vCard found (BEGIN:VCARD ... END:VCARD)",
                Text::new("imp-vcf-none"),
            ),
        ));
    }
    let mut taken = HashSet::new();
    let mut fresh = FreshIds::default();
    let mut accounts = Vec::with_capacity(cards.len());
    for (index, (begin, properties)) in cards.iter().enumerate() {
        let mut customer = card_customer(file, index + 1, *begin, properties, today)?;
        customer.id = fresh.next(&customer.name, |candidate| taken.contains(candidate));
        taken.insert(customer.id.clone());
        accounts.push(Account::new(customer));
    }
    Ok(BookData {
        users: Vec::new(),
        accounts,
        cycles: Vec::new(),
    })
}

/// Logical lines with the physical line each starts on: folded lines (starting with a
/// space or tab) are joined, and so are quoted-printable soft line breaks (a trailing `=`).
fn unfold(text: &str) -> Vec<(usize, String)> {
    let mut lines: Vec<(usize, String)> = Vec::new();
    let mut soft_break = false;
    for (i, physical) in text.split('\n').enumerate() {
        let physical = physical.strip_suffix('\r').unwrap_or(physical);
        match lines.last_mut() {
            Some((_, logical)) if soft_break => {
                logical.pop();
                logical.push_str(physical);
            }
            Some((_, logical)) if physical.starts_with([' ', '\t']) => {
                logical.push_str(&physical[1..]);
            }
            _ => lines.push((i + 1, physical.to_string())),
        }
        soft_break = lines.last().is_some_and(|(_, logical)| {
            logical.ends_with('=') && is_quoted_printable_line(logical)
        });
    }
    lines.retain(|(_, logical)| !logical.trim().is_empty());
    lines
}

fn is_quoted_printable_line(logical: &str) -> bool {
    let head = logical.split(':').next().unwrap_or("");
    head.to_ascii_uppercase().contains("QUOTED-PRINTABLE")
}

fn parse_line(file: &str, (line, logical): (usize, String)) -> Result<Property, ImportError> {
    let Some(colon) = unquoted_colon(&logical) else {
        return Err(ImportError::worded(
            file,
            Worded::new("not a vCard line (no ':')", Text::new("imp-vcf-no-colon")),
        )
        .at_line(line));
    };
    let (head, value) = (&logical[..colon], &logical[colon + 1..]);
    let mut parts = head.split(';');
    let name = parts.next().unwrap_or("");
    // A group prefix ("item1.TEL") does not change what the property is.
    let name = name
        .rsplit('.')
        .next()
        .unwrap_or(name)
        .trim()
        .to_ascii_uppercase();
    if name.is_empty() {
        return Err(ImportError::worded(
            file,
            Worded::new(
                "a property needs a name before ':'",
                Text::new("imp-vcf-no-name"),
            ),
        )
        .at_line(line));
    }
    let params = parts
        .map(|param| match param.split_once('=') {
            Some((n, v)) => (n.trim().to_ascii_uppercase(), v.trim().to_string()),
            // vCard 2.1 bare parameters: "TEL;WORK;PREF:" and "NOTE;QUOTED-PRINTABLE:".
            None => {
                let bare = param.trim().to_ascii_uppercase();
                match bare.as_str() {
                    "QUOTED-PRINTABLE" | "BASE64" | "8BIT" => ("ENCODING".to_string(), bare),
                    "PREF" => ("PREF".to_string(), String::new()),
                    _ => ("TYPE".to_string(), bare),
                }
            }
        })
        .collect();
    Ok(Property {
        line,
        name,
        params,
        value: value.to_string(),
    })
}

/// The first ':' that is not inside a double-quoted parameter value.
fn unquoted_colon(line: &str) -> Option<usize> {
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ':' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

fn card_customer(
    file: &str,
    number: usize,
    begin: usize,
    properties: &[Property],
    today: Date,
) -> Result<Customer, ImportError> {
    let first = |name: &str| properties.iter().find(|p| p.name == name);
    let best = |name: &str| {
        properties
            .iter()
            .filter(|p| p.name == name)
            .find(|p| p.preferred())
            .or_else(|| first(name))
    };
    if let Some(version) = first("VERSION") {
        if !matches!(version.value.trim(), "2.1" | "3.0" | "4.0") {
            return Err(ImportError::worded(
                file,
                Worded::new(
                    format!("unsupported version '{}' (2.1, 3.0 or 4.0)", version.value),
                    Text::new("imp-vcf-version").arg("version", &version.value),
                ),
            )
            .at_line(version.line)
            .record(format!("card {number}"))
            .field("VERSION"));
        }
    }
    let text = |name: &str| first(name).map(|p| unescape(&p.raw())).unwrap_or_default();
    let person = match text("FN").trim() {
        "" => first("N")
            .map(|n| name_from_n(&n.raw()))
            .unwrap_or_default(),
        full => full.to_string(),
    };
    let organization = first("ORG")
        .and_then(|org| split_escaped(&org.raw(), ';').into_iter().next())
        .map(|name| name.trim().to_string())
        .unwrap_or_default();
    let role = match text("TITLE").trim() {
        "" => text("ROLE").trim().to_string(),
        title => title.to_string(),
    };
    let phone = best("TEL")
        .map(|p| {
            let value = unescape(&p.raw());
            let value = value.trim();
            value.strip_prefix("tel:").unwrap_or(value).to_string()
        })
        .unwrap_or_default();
    let email = best("EMAIL")
        .map(|p| {
            let value = unescape(&p.raw());
            let value = value.trim();
            value.strip_prefix("mailto:").unwrap_or(value).to_string()
        })
        .unwrap_or_default();
    let note = properties
        .iter()
        .filter(|p| p.name == "NOTE")
        .map(|p| unescape(&p.raw()))
        .collect::<Vec<_>>()
        .join("\n");
    let tags = properties
        .iter()
        .filter(|p| p.name == "CATEGORIES")
        .flat_map(|p| split_escaped(&p.raw(), ','))
        .map(|tag| tag.trim().to_string())
        .filter(|tag| !tag.is_empty())
        .collect();
    let (kind, name) = match (organization.is_empty(), person.trim().is_empty()) {
        (false, _) => (CustomerKind::Organization, organization),
        (true, false) => (CustomerKind::Person, person.trim().to_string()),
        (true, true) => {
            return Err(ImportError::worded(
                file,
                Worded::new(
                    "the card has no FN, N or ORG: no name",
                    Text::new("imp-vcf-no-card-name"),
                ),
            )
            .at_line(begin)
            .record(format!("card {number}")));
        }
    };
    let contact = Contact {
        name: person.trim().to_string(),
        role,
        phone,
        email,
    };
    let contacts = if contact.role.is_empty()
        && contact.phone.is_empty()
        && contact.email.is_empty()
        && (kind == CustomerKind::Person || contact.name.is_empty())
    {
        Vec::new()
    } else {
        vec![contact]
    };
    Ok(Customer {
        id: String::new(),
        name,
        kind,
        segment: String::new(),
        owner: String::new(),
        created: today,
        tags,
        category_spend: None,
        contacts,
        note,
        lost: None,
    })
}

/// "Family;Given;Additional;Prefix;Suffix" as a display name: "Given Family", or written
/// together in Chinese order ("王芳") when the parts are not Latin script.
fn name_from_n(raw: &str) -> String {
    let parts = split_escaped(raw, ';');
    let family = parts.first().map(|s| s.trim()).unwrap_or("");
    let given = parts.get(1).map(|s| s.trim()).unwrap_or("");
    let cjk = |s: &str| s.chars().any(|c| c as u32 >= 0x2E80);
    if cjk(family) || cjk(given) {
        format!("{family}{given}")
    } else {
        format!("{given} {family}").trim().to_string()
    }
}

/// Splits on unescaped `separator` and unescapes each part.
fn split_escaped(raw: &str, separator: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        let Some(part) = parts.last_mut() else {
            break;
        };
        match c {
            '\\' => part.push(escaped(chars.next())),
            c if c == separator => parts.push(String::new()),
            c => part.push(c),
        }
    }
    parts
}

/// `\\`, `\,`, `\;`, `\n`, `\N` as the characters they stand for.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            out.push(escaped(chars.next()));
        } else {
            out.push(c);
        }
    }
    out
}

fn escaped(next: Option<char>) -> char {
    match next {
        Some('n' | 'N') => '\n',
        Some(c) => c,
        None => '\\',
    }
}

/// `=XX` hex bytes as UTF-8 (invalid bytes become U+FFFD); soft breaks are already joined.
fn decode_quoted_printable(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'=', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                let (h, l) = (hex(h).unwrap_or(0), hex(l).unwrap_or(0));
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            // A soft line break left at the very end.
            (b'=', None, _) => i += 1,
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_components() {
        assert_eq!(unescape(r"a\,b\;c\\d\ne"), "a,b;c\\d\ne");
        assert_eq!(
            split_escaped(r"Acme\, Inc.;Sales", ';'),
            ["Acme, Inc.", "Sales"]
        );
        assert_eq!(name_from_n("Doe;Jane;;Dr.;"), "Jane Doe");
        assert_eq!(name_from_n("王;芳;;;"), "王芳");
    }

    #[test]
    fn quoted_printable_decodes_utf8() {
        assert_eq!(decode_quoted_printable("=E7=8E=8B=E8=8A=B3 ok"), "王芳 ok");
        assert_eq!(decode_quoted_printable("50=25 off="), "50% off");
    }

    #[test]
    fn unfolding_keeps_the_first_line_number() {
        let lines = unfold("BEGIN:VCARD\r\nNOTE:one\r\n  two\r\n\r\nEND:VCARD\r\n");
        assert_eq!(
            lines,
            [
                (1, "BEGIN:VCARD".to_string()),
                (2, "NOTE:one two".to_string()),
                (5, "END:VCARD".to_string())
            ]
        );
    }
}
