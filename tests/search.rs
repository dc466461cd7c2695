//! Search: normalisation, ranking, the incremental session against a plain full scan,
//! and the index's byte form.

use crm::domain::model::{Contact, Customer, CustomerKind};
use crm::domain::search::{normalize, phone_digits, synth, Hit, SearchIndex, Searcher};
use jiff::civil::date;
use proptest::prelude::*;
use std::sync::Arc;

fn customer(id: &str, name: &str) -> Customer {
    Customer {
        id: id.to_string(),
        name: name.to_string(),
        kind: CustomerKind::Organization,
        segment: String::new(),
        owner: "alice".to_string(),
        created: date(2024, 1, 1),
        tags: Vec::new(),
        category_spend: None,
        contacts: Vec::new(),
        note: String::new(),
        lost: None,
    }
}

fn with_contact(mut c: Customer, name: &str, phone: &str, email: &str) -> Customer {
    c.contacts.push(Contact {
        name: name.to_string(),
        role: "buyer".to_string(),
        phone: phone.to_string(),
        email: email.to_string(),
    });
    c
}

fn index_of(customers: &[Customer]) -> SearchIndex {
    let mut index = SearchIndex::new();
    for c in customers {
        index.upsert(c);
    }
    index
}

fn ids(hits: &[Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.id.as_str()).collect()
}

// ---- normalisation ----

#[test]
fn normalize_folds_accents_case_and_space() {
    assert_eq!(normalize("Müller"), "muller");
    assert_eq!(normalize("  José   GARCÍA\t\n"), "jose garcia");
    assert_eq!(normalize("ÅNGSTRÖM"), "angstrom");
    assert_eq!(normalize("Straße"), "strasse");
    assert_eq!(normalize("Søren Łukasz"), "soren lukasz");
    assert_eq!(normalize("İstanbul"), "istanbul");
    assert_eq!(normalize("Crème Brûlée"), "creme brulee");
}

#[test]
fn normalize_folds_full_width_to_ascii() {
    assert_eq!(normalize("Ｆｕｌｌｗｉｄｔｈ"), "fullwidth");
    assert_eq!(normalize("ＡＣＭＥ　Ｃｏ"), "acme co");
    assert_eq!(normalize("０１２３"), "0123");
}

#[test]
fn normalize_keeps_cjk_and_recomposes_hangul() {
    assert_eq!(normalize("北京华信科技有限公司"), "北京华信科技有限公司");
    assert_eq!(normalize("한국 무역"), "한국 무역");
    assert_eq!(normalize("李 伟"), "李 伟");
}

#[test]
fn normalize_email_and_phone() {
    assert_eq!(normalize("Li.Wei@ACME.Example"), "li.wei@acme.example");
    assert_eq!(phone_digits("+86 10 5555 0101"), "861055550101");
    assert_eq!(phone_digits("(415) 555-0123"), "4155550123");
    assert_eq!(phone_digits("＋８６ １０"), "8610");
    assert_eq!(normalize(""), "");
    assert_eq!(normalize(" \t "), "");
}

// ---- ranking ----

#[test]
fn exact_id_ranks_first() {
    let index = index_of(&[
        customer("c1", "Acme"),
        customer("acme", "Zeta Holdings"),
        customer("c2", "Acme Trading"),
    ]);
    let hits = index.search("ACME", 10);
    assert_eq!(ids(&hits), ["acme", "c1", "c2"]);
}

#[test]
fn prefix_beats_infix_beats_scattered_subsequence() {
    let index = index_of(&[
        customer("a", "Alan Dixon"),
        customer("b", "Bandit Ltd"),
        customer("c", "Anderson"),
        customer("d", "Xyz"),
    ]);
    // anderson: word prefix; bandit: inside a word; alan dixon: a-n-d scattered.
    assert_eq!(ids(&index.search("and", 10)), ["c", "b", "a"]);
}

#[test]
fn whole_word_beats_word_prefix() {
    let index = index_of(&[customer("a", "Wang Corp"), customer("b", "Wan Corp")]);
    assert_eq!(ids(&index.search("wan", 10)), ["b", "a"]);
}

#[test]
fn words_match_in_any_order() {
    let index = index_of(&[
        customer("a", "Weili Trading"),
        customer("b", "Li Wei"),
        customer("c", "Wei Zhang"),
    ]);
    let hits = index.search("wei li", 10);
    assert_eq!(ids(&hits), ["b", "a"]);
}

#[test]
fn cjk_substring_and_single_character() {
    let index = index_of(&[
        customer("a", "北京华信科技有限公司"),
        customer("b", "上海恒通贸易有限公司"),
        customer("c", "华为"),
    ]);
    assert_eq!(ids(&index.search("华信", 10)), ["a"]);
    // Both start a "word" with 华; the shorter field ranks first.
    assert_eq!(ids(&index.search("华", 10)), ["c", "a"]);
    assert_eq!(ids(&index.search("有限公司", 10)), ["b", "a"]);
}

#[test]
fn phones_compare_digits_only() {
    let index = index_of(&[
        with_contact(
            customer("a", "Acme"),
            "Li Wei",
            "+86 10 5555 0101",
            "li.wei@acme.example",
        ),
        with_contact(
            customer("b", "Beta"),
            "Ann Kim",
            "+1 415 555 0199",
            "ann@beta.example",
        ),
    ]);
    assert_eq!(ids(&index.search("5555 0101", 10)), ["a"]);
    assert_eq!(ids(&index.search("55550101", 10)), ["a"]);
    assert_eq!(ids(&index.search("+86 10 5555-0101", 10)), ["a"]);
    assert_eq!(ids(&index.search("0199", 10)), ["b"]);
}

#[test]
fn contacts_email_tags_and_segment_are_keys() {
    let mut c = with_contact(customer("a", "Acme"), "Li Wei", "", "li.wei@acme.example");
    c.tags = vec!["Key-Account".to_string()];
    c.segment = "Manufacturing".to_string();
    let index = index_of(&[c, customer("b", "Beta")]);
    for query in [
        "li wei",
        "li.wei@acme",
        "key-account",
        "manufact",
        "acme.example",
    ] {
        assert_eq!(ids(&index.search(query, 10)), ["a"], "query {query}");
    }
}

#[test]
fn accents_and_full_width_on_either_side() {
    let index = index_of(&[customer("a", "Müller GmbH"), customer("b", "Acme")]);
    assert_eq!(ids(&index.search("muller", 10)), ["a"]);
    assert_eq!(ids(&index.search("MÜLLER", 10)), ["a"]);
    assert_eq!(ids(&index.search("ａｃｍｅ", 10)), ["b"]);
}

#[test]
fn one_typo_still_finds_but_ranks_last() {
    let index = index_of(&[
        customer("a", "Johnson Foods"),
        customer("b", "Zhang Wei"),
        customer("c", "Jonhs Bakery"),
    ]);
    // "jonhson": a swapped pair; nothing contains it, not even as a subsequence.
    assert_eq!(ids(&index.search("jonhson", 10)), ["a"]);
    assert_eq!(ids(&index.search("zhnag", 10)), ["b"]);
    // A wrong letter.
    assert_eq!(ids(&index.search("johnsen", 10)), ["a"]);
    // Two letters: no typo allowed.
    assert!(index.search("jx", 10).is_empty());
}

#[test]
fn ties_break_by_name_then_id() {
    let index = index_of(&[
        customer("z", "Ann Lee"),
        customer("y", "Ann Kim"),
        customer("b", "Ann Kim"),
    ]);
    let hits = index.search("ann", 10);
    assert_eq!(ids(&hits), ["b", "y", "z"]);
    assert!(hits.iter().all(|h| h.score == hits[0].score));
}

#[test]
fn limit_empty_query_and_no_match() {
    let index = index_of(&synth::customers(200, 1));
    assert_eq!(index.search("a", 5).len(), 5);
    assert!(index.search("", 5).is_empty());
    assert!(index.search("   ", 5).is_empty());
    assert!(index.search("a", 0).is_empty());
    assert!(index.search("qqqqqqqq", 5).is_empty());
    assert_eq!(
        index.search("a", usize::MAX).len(),
        index.search_full_scan("a", usize::MAX).len()
    );
}

#[test]
fn upsert_replaces_and_remove_drops() {
    let mut index = index_of(&[customer("a", "Acme"), customer("b", "Beta")]);
    assert_eq!(index.len(), 2);
    index.upsert(&customer("a", "Gamma"));
    assert_eq!(index.len(), 2);
    assert!(index.search("acme", 10).is_empty());
    assert_eq!(ids(&index.search("gamma", 10)), ["a"]);
    index.remove("b");
    index.remove("unknown");
    assert_eq!(index.len(), 1);
    assert!(index.search("beta", 10).is_empty());
}

#[test]
fn many_replacements_compact_without_losing_anyone() {
    let mut index = SearchIndex::new();
    for round in 0..5 {
        for i in 0..600 {
            index.upsert(&customer(&format!("c{i}"), &format!("Name{round} {i}")));
        }
    }
    assert_eq!(index.len(), 600);
    assert_eq!(ids(&index.search("name4 17", 1)), ["c17"]);
    // "name3" is one typo from "name4": it finds the current names, never a stale one.
    let hits = index.search("name3", 1000);
    assert_eq!(hits.len(), 600);
    assert!(hits.iter().all(|h| h.name.starts_with("Name4")));
}

#[test]
fn hits_serialise_as_the_contract_says() {
    let index = index_of(&[customer("acme", "Acme")]);
    let json = serde_json::to_value(index.search("acme", 1)).unwrap();
    let hit = &json[0];
    assert_eq!(hit["id"], "acme");
    assert_eq!(hit["name"], "Acme");
    assert!(hit["score"].is_i64());
}

// ---- fast paths against the plain full scan ----

/// Typing sessions: each string is typed one character at a time, then partly erased.
const SESSIONS: &[&str] = &[
    "wang wei",
    "li",
    "jonhson",
    "zhnag",
    "北京华信",
    "华信科技",
    "acme trading",
    "5555",
    "+1 415 555",
    "c00012",
    "anderson m",
    "x",
    "müller",
    "key-account",
    "jr",
    "a b",
    "renee",
    "pied piper",
    "smith.j",
    "zhnag wei",
];

fn prefixes(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out: Vec<String> = (1..=chars.len())
        .map(|n| chars[..n].iter().collect())
        .collect();
    // Then erase back to the first half: these do not extend the previous query.
    for n in (chars.len() / 2..chars.len()).rev() {
        out.push(chars[..n].iter().collect());
    }
    out
}

#[test]
fn searcher_and_search_equal_the_full_scan() {
    let index = index_of(&synth::customers(2000, 7));
    for limit in [1, 20] {
        let mut searcher = Searcher::new();
        for session in SESSIONS {
            for query in prefixes(session) {
                let expected = index.search_full_scan(&query, limit);
                assert_eq!(
                    index.search(&query, limit),
                    expected,
                    "search {query:?} k={limit}"
                );
                assert_eq!(
                    searcher.query(&index, &query, limit),
                    expected,
                    "searcher {query:?}"
                );
            }
        }
    }
}

/// Misspelt queries (a swapped, wrong, missing or extra letter) and short queries with no
/// word starting with them: answered by the fuzzy and typo matching alone.
const TYPOS: &[&str] = &[
    "jonhson",
    "johnsno",
    "jhonson",
    "zhnag wei",
    "zhnag",
    "zhn",
    "wnag",
    "andersno",
    "smtih",
    "wiliams",
    "garica lopez",
    "mcihael",
    "hx",
    "jx",
    "qz",
    "rtail",
    "helthcare",
    "examlpe",
    "lsa",
    "ptricia",
    "li wie",
    "lgoistics",
    // Several words, one of them misspelt: the other's word-start lists bound the rest.
    "zhang wie",
    "wie zhang",
    "acme tradnig",
    "mary jonhson",
    "jonhson m",
    "thompsno j",
    "a jonhson",
];

#[test]
fn typo_queries_equal_the_full_scan() {
    let index = index_of(&synth::customers(3000, 21));
    for limit in [1, 5, 20] {
        for query in TYPOS {
            let expected = index.search_full_scan(query, limit);
            assert_eq!(index.search(query, limit), expected, "{query:?} k={limit}");
        }
    }
    // The corpus exercises the fallback: nothing holds "jonhson", yet 20 near matches
    // (fuzzy class 2 or typo class 1, scores below the infix class 3) are found.
    let hits = index.search("jonhson", 20);
    assert_eq!(hits.len(), 20);
    assert!(
        hits.iter().all(|h| (1000..3000).contains(&h.score)),
        "{hits:?}"
    );
}

#[test]
fn searcher_notices_a_changed_index() {
    let mut index = index_of(&synth::customers(500, 3));
    let mut searcher = Searcher::new();
    // Scattered matches in e-mail addresses may exist, but no "Quixotic" yet.
    assert!(searcher
        .query(&index, "quix", 10)
        .iter()
        .all(|h| h.id != "new"));
    index.upsert(&customer("new", "Quixotic Imports"));
    assert_eq!(searcher.query(&index, "quixo", 10)[0].id, "new");
    let other = index_of(&[customer("x", "Quixotic Two")]);
    assert_eq!(ids(searcher.query(&other, "quixotic t", 10)), ["x"]);
}

#[test]
fn the_synthetic_book_is_deterministic_and_varied() {
    let a = synth::customers(1000, 42);
    assert_eq!(a, synth::customers(1000, 42));
    assert_ne!(a, synth::customers(1000, 43));
    let chinese = a.iter().filter(|c| !c.name.is_ascii()).count();
    // About 20 % Chinese names, plus a few accented Western ones.
    assert!((150..=300).contains(&chinese), "{chinese}");
}

// ---- byte form ----

#[test]
fn bytes_round_trip_gives_the_same_answers() {
    let mut index = index_of(&synth::customers(2000, 11));
    index.remove("c000005");
    index.upsert(&customer("c000006", "Quixotic Customer"));
    let bytes = index.to_bytes();
    let loaded = SearchIndex::from_bytes(&bytes).expect("own bytes load");
    assert_eq!(loaded.len(), index.len());
    assert_eq!(loaded.to_bytes(), bytes);
    for query in [
        "a", "wa", "wang", "华信", "quixotic", "c000005", "jonhson", "5555 01",
    ] {
        assert_eq!(loaded.search(query, 20), index.search(query, 20), "{query}");
    }
    // The loaded index can still change.
    let mut loaded = loaded;
    loaded.remove("c000006");
    assert!(loaded.search("quixotic", 5).is_empty());
    loaded.upsert(&customer("c000007", "Another Name"));
    assert_eq!(loaded.search("another name", 5)[0].id, "c000007");
    assert_eq!(loaded.len(), index.len() - 1);
}

/// The payload as a snapshot file holds it: after a 24-byte header, 8-byte aligned.
struct Snapshot(Vec<u64>, usize);

impl AsRef<[u8]> for Snapshot {
    fn as_ref(&self) -> &[u8] {
        &zerocopy::IntoBytes::as_bytes(self.0.as_slice())[..self.1]
    }
}

fn snapshot(payload: &[u8], at: usize) -> Arc<dyn AsRef<[u8]> + Send + Sync> {
    let len = at + payload.len();
    let mut words = vec![0u64; len.div_ceil(8)];
    zerocopy::IntoBytes::as_mut_bytes(words.as_mut_slice())[at..len].copy_from_slice(payload);
    Arc::new(Snapshot(words, len))
}

#[test]
fn shared_bytes_answer_like_the_index_they_came_from() {
    let mut index = index_of(&synth::customers(2000, 13));
    index.remove("c000009");
    let payload = index.to_bytes();
    // At 24 the blocks are aligned and read in place; at 21 they are not and are copied.
    for at in [24, 21] {
        let shared = SearchIndex::from_shared(snapshot(&payload, at), at).expect("loads");
        assert_eq!(shared.len(), index.len());
        assert_eq!(shared.to_bytes(), payload, "at {at}");
        for query in [
            "a", "wa", "wang wei", "华信", "c000009", "jonhson", "hx", "5555 01",
        ] {
            assert_eq!(shared.search(query, 20), index.search(query, 20), "{query}");
            assert_eq!(
                shared.search(query, 20),
                shared.search_full_scan(query, 20),
                "{query}"
            );
        }
    }
}

#[test]
fn a_shared_index_can_change_and_the_bytes_stay_untouched() {
    let payload = index_of(&synth::customers(500, 17)).to_bytes();
    let bytes = snapshot(&payload, 24);
    let mut index = SearchIndex::from_shared(bytes.clone(), 24).expect("loads");
    index.upsert(&customer("c000001", "Quixotic Imports"));
    index.upsert(&customer("new", "Zyzzyva Holdings"));
    index.remove("c000002");
    assert_eq!(index.len(), 500);
    assert_eq!(ids(&index.search("quixotic", 5)), ["c000001"]);
    assert_eq!(ids(&index.search("zyzzyva", 5)), ["new"]);
    assert!(index.search("c000002", 5).iter().all(|h| h.id != "c000002"));
    for query in ["quix", "zyzyva", "a", "wang"] {
        assert_eq!(index.search(query, 10), index.search_full_scan(query, 10));
    }
    // The shared bytes still hold the book as it was saved.
    assert_eq!((*bytes).as_ref()[24..], payload[..]);
    let again = SearchIndex::from_shared(bytes, 24).expect("loads again");
    assert!(again.search("zyzzyva", 5).is_empty());
    assert_eq!(again.len(), 500);
}

#[test]
fn a_version_3_payload_without_readings_is_refused() {
    let mut bytes = index_of(&synth::customers(50, 2)).to_bytes();
    bytes[8..10].copy_from_slice(&3u16.to_le_bytes());
    assert!(SearchIndex::from_bytes(&bytes).is_none());
    assert!(SearchIndex::from_shared(snapshot(&bytes, 24), 24).is_none());
    // A start beyond the bytes is refused too, not a panic.
    assert!(SearchIndex::from_shared(snapshot(&bytes, 24), bytes.len() + 100).is_none());
}

#[test]
fn other_versions_and_truncations_are_refused() {
    let bytes = index_of(&synth::customers(50, 2)).to_bytes();
    let mut other_version = bytes.clone();
    other_version[8] ^= 0xFF;
    assert!(SearchIndex::from_bytes(&other_version).is_none());
    for cut in [0, 7, 10, 14, bytes.len() / 2, bytes.len() - 1] {
        assert!(
            SearchIndex::from_bytes(&bytes[..cut]).is_none(),
            "cut at {cut}"
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(SearchIndex::from_bytes(&longer).is_none());
    assert!(SearchIndex::from_bytes(&SearchIndex::new().to_bytes()).is_some());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        if let Some(index) = SearchIndex::from_bytes(&bytes) {
            let _ = index.search("a", 5);
        }
    }

    #[test]
    fn damaged_bytes_never_panic(at in 0usize..4000, value in any::<u8>(), cut in 0usize..4000) {
        let mut bytes = index_of(&synth::customers(20, 5)).to_bytes();
        let at = at % bytes.len();
        bytes[at] = value;
        bytes.truncate(bytes.len() - cut % 8);
        if let Some(mut index) = SearchIndex::from_bytes(&bytes) {
            for query in ["a", "wa", "wang wei", "华"] {
                let _ = index.search(query, 5);
            }
            index.upsert(&customer("c000001", "X"));
            let _ = index.search("x", 5);
        }
    }

    #[test]
    fn fast_paths_equal_the_full_scan(
        names in proptest::collection::vec("[abnwé华信 ]{1,12}", 1..40),
        query in "[abnwé华信 ]{0,5}",
        limit in 1usize..6,
    ) {
        let customers: Vec<Customer> = names
            .iter()
            .enumerate()
            .map(|(i, n)| customer(&format!("id{i}"), n))
            .collect();
        let index = index_of(&customers);
        let expected = index.search_full_scan(&query, limit);
        prop_assert_eq!(index.search(&query, limit), expected.clone());
        let mut searcher = Searcher::new();
        let chars: Vec<char> = query.chars().collect();
        for n in 1..=chars.len() {
            let prefix: String = chars[..n].iter().collect();
            searcher.query(&index, &prefix, limit);
        }
        if !chars.is_empty() {
            prop_assert_eq!(searcher.query(&index, &query, limit), expected.as_slice());
        }
    }
}

/// Found by `fast_paths_equal_the_full_scan`: fuzzy-matcher's reused score matrix made a
/// fuzzy score depend on the record scored before it (8215 on the fast path, 8203 alone).
#[test]
fn a_fuzzy_score_does_not_depend_on_what_was_scored_before() {
    let customers = vec![
        customer("id0", "华é信华华aa"),
        customer("id1", "华华信é华n华anwn"),
    ];
    let index = index_of(&customers);
    for limit in 1..3 {
        let expected = index.search_full_scan("华 华华华", limit);
        assert_eq!(expected[0].score, 8203);
        assert_eq!(index.search("华 华华华", limit), expected);
    }
}
