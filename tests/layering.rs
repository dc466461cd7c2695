//! The layers import only downwards: domain <- store <- book <- cli, tui; beside the book,
//! interchange (file formats) and demo (a generated book) know only the domain.
//! Reads the sources, so a forbidden `use` fails the build's tests, not a review.

use std::fs;
use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).unwrap_or_default();
            out.push((path.display().to_string(), text));
        }
    }
}

fn assert_layer(layer: &str, forbidden: &[&str]) {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src")
            .join(layer),
        &mut files,
    );
    assert!(!files.is_empty(), "no sources found for layer {layer}");
    for (path, text) in files {
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in forbidden {
                assert!(
                    !code.contains(word),
                    "{path}:{}: layer '{layer}' must not use '{word}'",
                    n + 1
                );
            }
        }
    }
}

#[test]
fn domain_is_pure() {
    assert_layer(
        "domain",
        &[
            "crate::store",
            "crate::book",
            "crate::cli",
            "crate::tui",
            "crate::i18n",
            "crate::interchange",
            "crate::demo",
            "ratatui",
            "crossterm",
            "sled",
            "bincode",
            "std::fs",
            "std::net",
            "std::process",
            "SystemTime::now",
            "Timestamp::now",
            "Zoned::now",
        ],
    );
}

#[test]
fn i18n_knows_only_the_domain() {
    assert_layer(
        "i18n",
        &[
            "crate::store",
            "crate::book",
            "crate::cli",
            "crate::tui",
            "ratatui",
            "crossterm",
        ],
    );
}

#[test]
fn store_knows_only_the_domain() {
    assert_layer(
        "store",
        &[
            "crate::book",
            "crate::cli",
            "crate::tui",
            "ratatui",
            "crossterm",
        ],
    );
}

/// File formats translate between files and plain records: no disk index, no console.
#[test]
fn interchange_knows_only_the_domain() {
    assert_layer(
        "interchange",
        &[
            "crate::store",
            "crate::book",
            "crate::cli",
            "crate::tui",
            "crate::demo",
            "ratatui",
            "crossterm",
            "sled",
            "bincode",
        ],
    );
}

/// The demo generator draws plain records; the CLI hands them to the book to import.
#[test]
fn demo_knows_only_the_domain() {
    assert_layer(
        "demo",
        &[
            "crate::store",
            "crate::book",
            "crate::cli",
            "crate::tui",
            "crate::interchange",
            "ratatui",
            "crossterm",
            "sled",
            "bincode",
        ],
    );
}

#[test]
fn book_knows_no_front_end() {
    assert_layer(
        "book",
        &[
            "crate::cli",
            "crate::tui",
            "ratatui",
            "crossterm",
            "sled::",
            "bincode",
        ],
    );
}

#[test]
fn front_ends_use_the_book_not_the_store() {
    assert_layer("cli", &["crate::store", "sled::", "bincode"]);
    assert_layer("tui", &["crate::store", "sled::", "bincode"]);
}

#[test]
fn only_search_names_fuzzy_matcher() {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let naming: Vec<&String> = files
        .iter()
        .filter(|(_, text)| text.contains("fuzzy_matcher"))
        .map(|(path, _)| path)
        .collect();
    assert_eq!(
        naming.len(),
        1,
        "exactly one file may name fuzzy_matcher: {naming:?}"
    );
    assert!(naming[0].contains("search"), "{naming:?}");
}
