use std::time::Instant;
fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let t = Instant::now();
    let (store, _) = crm::store::Store::open(&dir).unwrap();
    eprintln!("store open {:?}", t.elapsed());
    let t = Instant::now();
    let v: Option<Vec<u8>> = store.cache_get("derived.stats");
    eprintln!("stats blob {:?} {:?}", v.as_ref().map(|b| b.len()), t.elapsed());
    let t = Instant::now();
    let v: Option<Vec<u8>> = store.cache_get("derived.facts");
    eprintln!("facts blob {:?} {:?}", v.as_ref().map(|b| b.len()), t.elapsed());
    eprintln!("seq {}", store.seq());
    let t = Instant::now();
    let a = store.account("c000123").unwrap();
    eprintln!("account {:?} {}", t.elapsed(), a.is_some());
    let t = Instant::now();
    let c = store.cycles().unwrap();
    eprintln!("cycles {:?} {}", t.elapsed(), c.len());
    drop(store);
    let t = Instant::now();
    let book = crm::book::Book::open(&dir, Default::default(), "x").unwrap();
    eprintln!("book open {:?}", t.elapsed());
    drop(book);
}
