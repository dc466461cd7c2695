//! Whether a bare name is a company or a person, for imports that do not say.

use crate::domain::model::CustomerKind;

/// Words that mark a company name in English-speaking and European usage.
const COMPANY_WORDS: &[&str] = &[
    "co",
    "company",
    "corp",
    "corporation",
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "llc",
    "llp",
    "plc",
    "gmbh",
    "ag",
    "sa",
    "sarl",
    "bv",
    "nv",
    "oy",
    "ab",
    "srl",
    "spa",
    "pty",
    "group",
    "holdings",
    "industries",
    "trading",
    "partners",
    "associates",
    "enterprises",
    "solutions",
    "systems",
    "services",
    "technologies",
    "logistics",
    "foods",
    "bank",
];

/// Marks of a company name in Chinese (company, group, factory, firm, shop, studio).
const COMPANY_CJK: &[&str] = &[
    "公司",
    "集团",
    "厂",
    "企业",
    "商行",
    "商店",
    "工作室",
    "事务所",
    "研究所",
    "中心",
];

/// Organization when the name carries a company word (English or Chinese) or an `&`;
/// otherwise person. A guess: imports that know better say `kind` explicitly.
pub(crate) fn guess_kind(name: &str) -> CustomerKind {
    if name.contains('&') || COMPANY_CJK.iter().any(|mark| name.contains(mark)) {
        return CustomerKind::Organization;
    }
    let lower = name.to_lowercase();
    let company = lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| COMPANY_WORDS.contains(&word));
    if company {
        CustomerKind::Organization
    } else {
        CustomerKind::Person
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn company_words_make_an_organization() {
        for name in [
            "Acme Trading Co.",
            "Northwind Ltd",
            "Müller GmbH",
            "Smith & Sons",
            "北京华信科技有限公司",
            "华为集团",
        ] {
            assert_eq!(guess_kind(name), CustomerKind::Organization, "{name}");
        }
    }

    #[test]
    fn plain_names_are_people() {
        for name in ["Wang Fang", "王芳", "Jane Cooper", "Costa"] {
            assert_eq!(guess_kind(name), CustomerKind::Person, "{name}");
        }
    }
}
