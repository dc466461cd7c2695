//! Pinyin in search: a small hand-built book and the queries someone without a Chinese
//! input method types (run together, spaced, initials, mixed, polyphones, typos), with
//! the customer each must find first.

use crm::domain::model::{Contact, Customer, CustomerKind};
use crm::domain::search::{reading_highlight, Hit, SearchIndex, Searcher};
use jiff::civil::date;

fn customer(id: &str, name: &str, contacts: &[&str]) -> Customer {
    Customer {
        id: id.to_string(),
        name: name.to_string(),
        kind: CustomerKind::Organization,
        segment: String::new(),
        owner: "alice".to_string(),
        created: date(2024, 1, 1),
        tags: Vec::new(),
        category_spend: None,
        contacts: contacts
            .iter()
            .map(|name| Contact {
                name: name.to_string(),
                ..Contact::default()
            })
            .collect(),
        note: String::new(),
        lost: None,
    }
}

/// The book; the ids say nothing, so no query matches an id. With `latin`, also a Latin
/// customer spelled like a Han one reads.
fn book_with(latin: bool) -> SearchIndex {
    let mut index = SearchIndex::new();
    if latin {
        index.upsert(&customer("c8", "Zhang Wei Trading", &[]));
    }
    for c in [
        customer("c1", "北京华信科技有限公司", &["王芳"]),
        customer("c2", "上海恒通贸易有限公司", &["李娜"]),
        customer("c3", "上海科技发展有限公司", &[]),
        customer("c4", "重庆银行", &[]),
        customer("c5", "长沙华信物流", &["刘强"]),
        customer("c6", "张伟", &[]),
        customer("c7", "张伟华", &[]),
        customer("c9", "Acme Trading Co.", &["陈静"]),
        customer("c10", "Northwind Foods", &["Wang Fang"]),
    ] {
        index.upsert(&c);
    }
    index
}

fn book() -> SearchIndex {
    book_with(false)
}

fn top(index: &SearchIndex, query: &str) -> Vec<String> {
    index.search(query, 10).into_iter().map(|h| h.id).collect()
}

fn first(index: &SearchIndex, query: &str) -> Option<Hit> {
    index.search(query, 10).into_iter().next()
}

/// (query, expected first hit): the corpus.
const CORPUS: &[(&str, &str)] = &[
    // Run together.
    ("beijinghuaxin", "c1"),
    ("beijing", "c1"),
    ("zhangwei", "c6"),
    ("shanghaihengtong", "c2"),
    // Spaced.
    ("bei jing hua xin", "c1"),
    ("zhang wei hua", "c7"),
    ("shang hai ke ji", "c3"),
    // Initials.
    ("bjhx", "c1"),
    ("shkj", "c3"),
    ("cshx", "c5"),
    ("zwh", "c7"),
    // Mixed.
    ("bj huaxin", "c1"),
    ("zhang w", "c6"),
    ("sh hengtong", "c2"),
    // Polyphones: each common reading of 重, 长 and 行.
    ("chongqing", "c4"),
    ("zhongqing", "c4"),
    ("yinhang", "c4"),
    ("changsha", "c5"),
    ("cqyh", "c4"),
    // Contacts through their readings.
    ("lina", "c2"),
    ("chen jing", "c9"),
    ("liuqiang", "c5"),
    // Typos: swapped, missing and wrong letters.
    ("beijnghuaxin", "c1"),
    ("zhagnwei", "c6"),
    ("chongqnig", "c4"),
    ("shanghaihegntong", "c2"),
];

#[test]
fn every_corpus_query_finds_its_customer_first() {
    let index = book();
    let mut wrong = Vec::new();
    for (query, want) in CORPUS {
        let got = top(&index, query);
        if got.first().map(String::as_str) != Some(*want) {
            wrong.push(format!("{query:?}: want {want} first, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn corpus_queries_rank_the_same_on_every_path() {
    let index = book();
    let mut searcher = Searcher::new();
    for (query, _) in CORPUS {
        let full = index.search_full_scan(query, 10);
        assert_eq!(index.search(query, 10), full, "search {query:?}");
        // Typed a character at a time, as the console does.
        let chars: Vec<char> = query.chars().collect();
        for n in 1..=chars.len() {
            let prefix: String = chars[..n].iter().collect();
            let typed = searcher.query(&index, &prefix, 10).to_vec();
            assert_eq!(
                typed,
                index.search_full_scan(&prefix, 10),
                "typed {prefix:?}"
            );
        }
    }
}

#[test]
fn exact_han_and_exact_latin_rank_before_readings() {
    let index = book_with(true);
    // The Latin name spelled as typed outranks the Han name read as pinyin.
    assert_eq!(top(&index, "zhang wei")[..2], ["c8", "c6"]);
    // A Latin contact written out outranks a Han contact read the same.
    assert_eq!(top(&index, "wang fang")[..2], ["c10", "c1"]);
    // Han text matches itself exactly; no reading is involved.
    let mut huaxin = top(&index, "华信");
    huaxin.sort();
    assert_eq!(huaxin, ["c1", "c5"]);
    assert_eq!(first(&index, "张伟").map(|h| h.id).as_deref(), Some("c6"));
}

#[test]
fn a_hit_names_the_reading_it_came_through() {
    let index = book();
    let hit = first(&index, "bjhx").expect("found");
    assert_eq!(
        hit.reading.as_deref(),
        Some("bei jing hua xin ke ji you xian gong si")
    );
    // The polyphone's reading that matched, not the first reading.
    let hit = first(&index, "chongqing").expect("found");
    assert_eq!(hit.reading.as_deref(), Some("chong qing yin xing"));
    let hit = first(&index, "yinhang").expect("found");
    assert_eq!(hit.reading.as_deref(), Some("zhong qing yin hang"));
    // A contact's reading.
    let hit = first(&index, "lina").expect("found");
    assert_eq!(hit.reading.as_deref(), Some("li na"));
    // Matches without readings name none.
    assert_eq!(first(&index, "华信").expect("found").reading, None);
    assert_eq!(first(&index, "acme").expect("found").reading, None);
    let both: Vec<(String, bool)> = book_with(true)
        .search("zhang wei", 2)
        .into_iter()
        .map(|hit| (hit.id, hit.reading.is_some()))
        .collect();
    assert_eq!(both, [("c8".to_string(), false), ("c6".to_string(), true)]);
}

#[test]
fn the_reading_field_appears_in_json_only_when_used() {
    let index = book();
    let json = serde_json::to_value(index.search("bjhx", 1)).expect("json");
    assert_eq!(json[0]["id"], "c1");
    assert_eq!(
        json[0]["reading"],
        "bei jing hua xin ke ji you xian gong si"
    );
    let json = serde_json::to_value(index.search("acme", 1)).expect("json");
    assert!(json[0].get("reading").is_none());
}

#[test]
fn highlights_mark_the_typed_letters_of_a_reading() {
    let reading = "bei jing hua xin";
    // Initials: the first letter of each syllable.
    assert_eq!(reading_highlight(reading, "bjhx"), [0, 4, 9, 13]);
    // Run together: every letter but the spaces.
    assert_eq!(reading_highlight(reading, "beijing"), [0, 1, 2, 4, 5, 6, 7]);
    assert_eq!(
        reading_highlight(reading, "hua xin"),
        [9, 10, 11, 13, 14, 15]
    );
    // A typo leaves nothing to mark.
    assert!(reading_highlight(reading, "beijnig").is_empty());
}
