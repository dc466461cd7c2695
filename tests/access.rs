//! Who reaches which records: the role × operation matrix, in process, through
//! `access::Scoped` over a real book (the same wrapper the team server and every local
//! command use).
//!
//! The book (as of 2026-11-22): users mia (manager, team east), bob (rep, east), li (rep,
//! west), sam (admin). Customers: acme (bob), bolt (li), cedar (mia), dune (no owner: an
//! unassigned prospect), elm (ghost: an owner who is no user). Every customer has the
//! contact "Li Wei" (so `find "li wei"` matches all five) and an open follow-up due
//! 2026-11-20 (so each is on the agenda); acme, bolt, cedar and elm have an order, dune none.
//! So, by hand: bob reaches acme and dune; mia acme, cedar and dune; li bolt and dune; sam
//! all five.

mod common;

use common::{as_of, call, customer, task};
use crm::book::access::{self, Scoped, Session};
use crm::book::audit::AuditFilter;
use crm::book::{Book, BookApi, BookError};
use crm::domain::config::Config;
use crm::domain::model::{
    Account, BookData, GoalDirection, Metric, Order, Role, Scope, TaskOrigin, User,
};
use crm::domain::pdca::Plan;
use crm::domain::portfolio::QueueKind;
use jiff::civil::date;
use tempfile::TempDir;

fn user(login: &str, role: Role, team: Option<&str>) -> User {
    User {
        login: login.into(),
        name: login.to_uppercase(),
        role,
        team: team.map(str::to_string),
    }
}

fn account(id: &str, name: &str, owner: &str, task_id: u64, ordered: bool) -> Account {
    let mut account = Account::new(customer(id, name, owner));
    account
        .tasks
        .push(task(task_id, date(2026, 11, 20), &format!("call {id}")));
    if ordered {
        account.orders.push(Order {
            date: date(2026, 6, 1),
            amount: 10_000.0,
            margin: Some(3_000.0),
        });
    }
    account
}

fn book() -> (TempDir, Book) {
    let tmp = TempDir::new().unwrap();
    let mut book = Book::open(tmp.path(), Config::default(), "sam").unwrap();
    let data = BookData {
        users: vec![
            user("mia", Role::Manager, Some("east")),
            user("bob", Role::Rep, Some("east")),
            user("li", Role::Rep, Some("west")),
            user("sam", Role::Admin, None),
        ],
        accounts: vec![
            account("acme", "Acme Trading", "bob", 1, true),
            account("bolt", "Bolt Logistics", "li", 2, true),
            account("cedar", "Cedar Foods", "mia", 3, true),
            account("dune", "Dune Prospect", "", 4, false),
            account("elm", "Elm Works", "ghost", 5, true),
        ],
        cycles: Vec::new(),
    };
    book.import(data, false).unwrap();
    (tmp, book)
}

fn session(book: &Book, login: &str) -> Session {
    access::session_for(book, login).unwrap()
}

/// Runs `f` as each of bob, mia, li and sam on the same book, in that order.
fn each<T>(book: &mut Book, mut f: impl FnMut(&mut Scoped<&mut Book>) -> T) -> [T; 4] {
    ["bob", "mia", "li", "sam"].map(|login| {
        let session = session(book, login);
        f(&mut Scoped::new(&mut *book, session))
    })
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

const BOB: &[&str] = &["acme", "dune"];
const MIA: &[&str] = &["acme", "cedar", "dune"];
const LI: &[&str] = &["bolt", "dune"];
const SAM: &[&str] = &["acme", "bolt", "cedar", "dune", "elm"];

fn refused(result: Result<impl std::fmt::Debug, BookError>) -> String {
    match result {
        Err(BookError::Refused { why, .. }) => why,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn sessions_come_from_the_book_users_and_strangers_are_told_how_to_join() {
    let (_tmp, book) = book();
    assert_eq!(
        session(&book, "mia"),
        Session {
            login: "mia".into(),
            role: Role::Manager,
            team: Some("east".into()),
        }
    );
    assert_eq!(session(&book, "bob").role, Role::Rep);
    let why = refused(access::session_for(&book, "mallory"));
    assert_eq!(
        why,
        "'mallory' is not a user of this book; an admin adds them with: \
         crm user add mallory --name NAME --role rep"
    );
    // The account that owns the data dir is the book's admin before it is a user.
    let owner = access::book_account(&book).expect("the test's own account has a login");
    assert_eq!(session(&book, &owner).role, Role::Admin);
}

#[test]
fn find_lists_only_what_each_role_reaches() {
    let (_tmp, mut book) = book();
    let found = each(&mut book, |s| {
        let hits = s.find("li wei", 10).unwrap();
        sorted(hits.into_iter().map(|h| h.id).collect())
    });
    assert_eq!(found, [BOB, MIA, LI, SAM]);
    // Only an admin narrows over the whole index in memory.
    let local = each(&mut book, |s| s.local_index().is_some());
    assert_eq!(local, [false, false, false, true]);
    let counts = each(&mut book, |s| s.customer_count().unwrap());
    assert_eq!(counts, [2, 3, 2, 5]);
}

#[test]
fn find_fills_its_limit_past_others_customers() {
    let (_tmp, mut book) = book();
    // 30 customers of li named like bob's one: bob's limit of 1 still finds his.
    let accounts = (0..30)
        .map(|i| account(&format!("acme-{i:02}"), "Acme Trading", "li", 100 + i, true))
        .collect();
    book.import(
        BookData {
            accounts,
            ..BookData::default()
        },
        false,
    )
    .unwrap();
    let bob = session(&book, "bob");
    let hits = Scoped::new(&mut book, bob).find("acme trading", 1).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].id, "acme");
}

#[test]
fn show_and_resolve_refuse_what_is_out_of_reach_and_say_why() {
    let (_tmp, mut book) = book();
    let shown = each(&mut book, |s| {
        ["acme", "bolt", "cedar", "dune", "elm"]
            .iter()
            .filter(|id| s.card(id, as_of()).is_ok())
            .map(|id| id.to_string())
            .collect::<Vec<_>>()
    });
    assert_eq!(shown, [BOB, MIA, LI, SAM]);
    let bob = session(&book, "bob");
    let mut scoped = Scoped::new(&mut book, bob);
    assert_eq!(
        refused(scoped.card("bolt", as_of())),
        "'bolt' is not within reach of bob (rep): they see and change their own customers \
         and unassigned prospects"
    );
    assert_eq!(
        refused(scoped.account("elm")),
        refused(scoped.customer("elm"))
    );
    // A name resolves among the customers bob reaches only.
    assert_eq!(scoped.resolve("Acme Trading").unwrap(), "acme");
    assert!(matches!(
        scoped.resolve("Bolt Logistics"),
        Err(BookError::NotFound { .. })
    ));
    let mia = session(&book, "mia");
    assert_eq!(
        refused(Scoped::new(&mut book, mia).card("bolt", as_of())),
        "'bolt' is not within reach of mia (manager of team east): a manager sees and \
         changes the customers of their team and unassigned prospects"
    );
}

#[test]
fn log_and_other_changes_only_within_reach_under_the_session_login() {
    let (_tmp, mut book) = book();
    let logged = each(&mut book, |s| {
        ["acme", "bolt", "cedar", "dune", "elm"]
            .iter()
            .filter(|id| {
                let mut contact = call("2026-11-21T10:00:00Z", "checked in", None);
                contact.author = "spoofed".into();
                s.log_contact(id, contact).is_ok()
            })
            .map(|id| id.to_string())
            .collect::<Vec<_>>()
    });
    assert_eq!(logged, [BOB, MIA, LI, SAM]);
    // Who logged dune, in order: bob, mia, li, sam; the client's author is not believed.
    let authors: Vec<String> = book
        .account("dune")
        .unwrap()
        .interactions
        .into_iter()
        .map(|i| i.author)
        .collect();
    assert_eq!(authors, ["bob", "mia", "li", "sam"]);
    assert_eq!(
        book.actor(),
        "sam",
        "the book's own actor is left as it was"
    );

    let bob = session(&book, "bob");
    let mut scoped = Scoped::new(&mut book, bob);
    assert!(scoped
        .add_task("acme", date(2026, 12, 1), "send offer", TaskOrigin::Manual)
        .is_ok());
    refused(scoped.add_task("bolt", date(2026, 12, 1), "x", TaskOrigin::Manual));
    refused(scoped.set_task_done("bolt", 2, Some(date(2026, 11, 22))));
    refused(scoped.set_lost("cedar", None));
    refused(scoped.add_order(
        "elm",
        Order {
            date: date(2026, 11, 1),
            amount: 1.0,
            margin: None,
        },
    ));
}

#[test]
fn new_customers_and_owner_changes_stay_within_reach() {
    let (_tmp, mut book) = book();
    let bob = session(&book, "bob");
    let mut scoped = Scoped::new(&mut book, bob);
    // A rep's new customer is theirs.
    let id = scoped.add_customer(customer("", "Fig Farms", "")).unwrap();
    assert_eq!(scoped.customer(&id).unwrap().owner, "bob");
    assert_eq!(
        refused(scoped.add_customer(customer("gale", "Gale", "li"))),
        "a rep's new customer is theirs: bob cannot add 'gale' for 'li'"
    );
    // Claiming the unassigned prospect is fine; giving acme away is not.
    let mut dune = scoped.customer("dune").unwrap();
    dune.owner = "bob".into();
    scoped.update_customer(dune).unwrap();
    let mut acme = scoped.customer("acme").unwrap();
    acme.owner = "li".into();
    assert_eq!(
        refused(scoped.update_customer(acme)),
        "bob (rep) cannot give 'acme' to 'li': that owner is outside their reach"
    );
    // A manager hands customers around their team, and their new ones default to them.
    let mia = session(&book, "mia");
    let mut scoped = Scoped::new(&mut book, mia);
    let mut acme = scoped.customer("acme").unwrap();
    acme.owner = "mia".into();
    scoped.update_customer(acme).unwrap();
    let id = scoped.add_customer(customer("", "Hill Co", "")).unwrap();
    assert_eq!(scoped.customer(&id).unwrap().owner, "mia");
    let id = scoped.add_customer(customer("", "Iris Co", "bob")).unwrap();
    assert_eq!(scoped.customer(&id).unwrap().owner, "bob");
    refused(scoped.add_customer(customer("", "Jade Co", "li")));
}

#[test]
fn agenda_and_portfolio_count_only_what_each_role_reaches() {
    let (_tmp, mut book) = book();
    let agenda = each(&mut book, |s| {
        let agenda = s.agenda(as_of(), None).unwrap();
        let ids = agenda.follow_ups.iter().map(|f| f.customer.clone());
        (sorted(ids.collect()), agenda.follow_ups_total)
    });
    let expected = |ids: &[&str]| (ids.iter().map(|s| s.to_string()).collect(), ids.len());
    assert_eq!(
        agenda,
        [expected(BOB), expected(MIA), expected(LI), expected(SAM)]
    );
    // Customers in the figures: dune is a prospect, the others active.
    let portfolio = each(&mut book, |s| {
        let p = s.portfolio(as_of(), None).unwrap();
        (p.customers, p.prospects)
    });
    assert_eq!(portfolio, [(2, 1), (3, 1), (2, 1), (5, 1)]);
    // A queue the console drills into lists whom that role's figures count in it.
    let queues = each(&mut book, |s| {
        let p = s.portfolio(as_of(), None).unwrap();
        let counted = [p.queues.acquire, p.queues.retain, p.queues.win_back].map(|q| q.customers);
        let listed = QueueKind::ALL.map(|kind| s.queue(as_of(), kind).unwrap().len());
        (listed, counted)
    });
    for (listed, counted) in &queues {
        assert_eq!(listed, counted);
    }
    let everyone = |i: usize| queues[i].0.iter().sum::<usize>();
    assert!(
        everyone(0) < everyone(3),
        "a rep's queues hold fewer than the admin's"
    );
    let lines = each(&mut book, |s| {
        sorted(
            s.summaries(as_of())
                .unwrap()
                .into_iter()
                .map(|l| l.id)
                .collect(),
        )
    });
    assert_eq!(lines, [BOB, MIA, LI, SAM]);
}

#[test]
fn export_and_import_keep_to_the_reach() {
    let (_tmp, mut book) = book();
    let exported = each(&mut book, |s| {
        let data = s.export().unwrap();
        let ids = data.accounts.iter().map(|a| a.customer.id.clone());
        let users = data.users.iter().map(|u| u.login.clone());
        (sorted(ids.collect()), sorted(users.collect()))
    });
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(exported[0], (strings(BOB), strings(&["bob"])));
    assert_eq!(exported[1], (strings(MIA), strings(&["bob", "mia"])));
    assert_eq!(exported[2], (strings(LI), strings(&["li"])));
    assert_eq!(
        exported[3],
        (strings(SAM), strings(&["bob", "li", "mia", "sam"]))
    );

    let bob = session(&book, "bob");
    let mut scoped = Scoped::new(&mut book, bob);
    // His own export merges back; a new customer with no owner becomes his.
    let mut mine = scoped.export().unwrap();
    mine.accounts
        .push(Account::new(customer("kiwi", "Kiwi Co", "")));
    let report = scoped.import(mine, true).unwrap();
    assert_eq!(report.customers, 3);
    assert_eq!(scoped.customer("kiwi").unwrap().owner, "bob");
    // Someone else's customer, a customer for someone else, a user: refused.
    let theirs = |account: Account| BookData {
        accounts: vec![account],
        ..BookData::default()
    };
    refused(scoped.import(theirs(Account::new(customer("bolt", "B", "li"))), true));
    refused(scoped.import(theirs(Account::new(customer("lime", "L", "li"))), true));
    let promoted = BookData {
        users: vec![user("bob", Role::Admin, Some("east"))],
        ..BookData::default()
    };
    assert_eq!(
        refused(scoped.import(promoted, true)),
        "only an admin adds, changes or lists the book's users: bob is a rep"
    );
    assert_eq!(session(&book, "bob").role, Role::Rep);
}

fn plan(scope: Scope) -> Plan {
    Plan {
        title: "More calls".into(),
        scope,
        metric: Metric::ContactsPerCustomer,
        direction: GoalDirection::Raise,
        target: Some(4.0),
        check_date: Some(date(2027, 1, 31)),
        notes: String::new(),
        actions: vec![("call weekly".into(), None)],
    }
}

#[test]
fn pdca_scopes_and_cycles_follow_the_reach() {
    let (_tmp, mut book) = book();
    let scopes = [
        Scope::Customer("acme".into()),
        Scope::Customer("bolt".into()),
        Scope::Owner("bob".into()),
        Scope::Owner("li".into()),
        Scope::Segment("trade".into()),
        Scope::Book,
    ];
    let planned = each(&mut book, |s| {
        scopes
            .iter()
            .map(|scope| s.plan_cycle(plan(scope.clone()), as_of()).is_ok())
            .collect::<Vec<_>>()
    });
    assert_eq!(planned[0], [true, false, true, false, false, false]);
    assert_eq!(planned[1], [true, false, true, false, false, false]);
    assert_eq!(planned[2], [false, true, false, true, false, false]);
    assert_eq!(planned[3], [true; 6]);
    // 2 + 2 + 2 + 6 cycles; each sees its own, those about its reach, and no others.
    // bob: his 2, mia's 2 (acme, owner bob); li: his 2; mia: hers and bob's.
    let seen = each(&mut book, |s| s.cycles().unwrap().len());
    assert_eq!(seen, [2 + 2 + 2, 2 + 2 + 2, 2 + 2, 12]);
    let bob = session(&book, "bob");
    let mut scoped = Scoped::new(&mut book, bob);
    let why = refused(scoped.measure(Metric::ChurnedCount, &Scope::Book, as_of()));
    assert!(
        why.starts_with("the scope book is outside the reach of bob (rep)"),
        "{why}"
    );
    // Cycles are numbered in planning order: bob 1-2, mia 3-4, li 5 (bolt) and 6 (owner li).
    let li_cycle = 6;
    assert_eq!(
        refused(scoped.find_cycle(li_cycle)),
        "PDCA cycle 6 is not within reach of bob (rep): it is neither theirs nor about \
         their customers"
    );
    refused(scoped.advance_cycle(li_cycle, as_of()));
}

#[test]
fn users_are_the_admins_and_the_audit_keeps_to_the_reach() {
    let (_tmp, mut book) = book();
    let added = each(&mut book, |s| {
        let login = format!("new-{}", s.session().login);
        s.add_user(user(&login, Role::Rep, Some("east"))).is_ok()
    });
    assert_eq!(added, [false, false, false, true]);
    let listed = each(&mut book, |s| s.users().map(|u| u.len()).ok());
    assert_eq!(listed, [None, None, None, Some(5)]);
    let bob = session(&book, "bob");
    assert_eq!(
        refused(Scoped::new(&mut book, bob).set_user(user("bob", Role::Admin, None))),
        "only an admin adds, changes or lists the book's users: bob is a rep"
    );
    // The journal: 1 the import (sam), 2 sam's new user, 3 bob's contact with acme.
    let bob = session(&book, "bob");
    Scoped::new(&mut book, bob)
        .log_contact("acme", call("2026-11-21T10:00:00Z", "hello", None))
        .unwrap();
    let trail = each(&mut book, |s| {
        s.audit(&AuditFilter::default())
            .unwrap()
            .into_iter()
            .map(|e| (e.seq, e.user, e.customers))
            .collect::<Vec<_>>()
    });
    let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let bobs_contact = (3, "bob".to_string(), ids(&["acme"]));
    assert_eq!(
        trail[0],
        [(1, "sam".into(), ids(BOB)), bobs_contact.clone()]
    );
    assert_eq!(
        trail[1],
        [(1, "sam".into(), ids(MIA)), bobs_contact.clone()]
    );
    assert_eq!(trail[2], [(1, "sam".into(), ids(LI))]);
    assert_eq!(
        trail[3],
        [
            (1, "sam".into(), ids(SAM)),
            (2, "sam".into(), ids(&[])),
            bobs_contact
        ]
    );
    // Asking about a customer out of reach says why.
    let li = session(&book, "li");
    let filter = AuditFilter {
        customer: Some("acme".into()),
        ..AuditFilter::default()
    };
    refused(Scoped::new(&mut book, li).audit(&filter));
    // Within reach: the card's history, the import narrowed to the one customer.
    let bob = session(&book, "bob");
    let history: Vec<(u64, Vec<String>)> = Scoped::new(&mut book, bob)
        .audit(&filter)
        .unwrap()
        .into_iter()
        .map(|e| (e.seq, e.customers))
        .collect();
    assert_eq!(history, [(1, ids(&["acme"])), (3, ids(&["acme"]))]);
}

/// A correction of a logged contact is a change of the customer: a rep corrects contacts
/// of the customers they may change (whoever logged them) and no other; the correction is
/// made under the session's login, the contact keeps its author, and the audit trail
/// shows the log and the correction.
#[test]
fn a_rep_corrects_contacts_only_of_customers_within_reach() {
    let (_tmp, mut book) = book();
    let logged = call("2026-11-21T10:00:00Z", "asked for the catalogue", None);
    book.log_contact("acme", logged.clone()).unwrap();
    book.log_contact("bolt", logged.clone()).unwrap();
    let as_logged = |book: &Book, id: &str| book.account(id).unwrap().interactions[0].clone();
    let (acme, bolt) = (as_logged(&book, "acme"), as_logged(&book, "bolt"));
    assert_eq!(acme.author, "alice");
    let mut fixed = acme.clone();
    fixed.note = "asked for the catalogue and the price list".into();
    fixed.author = "spoofed".into();

    let bob = session(&book, "bob");
    let mut scoped = Scoped::new(&mut book, bob);
    let why = refused(scoped.correct_contact("bolt", &bolt, fixed.clone()));
    assert!(why.contains("bolt"), "{why}");
    scoped.correct_contact("acme", &acme, fixed).unwrap();

    assert_eq!(
        as_logged(&book, "bolt"),
        bolt,
        "bolt's contact is as logged"
    );
    let now = as_logged(&book, "acme");
    assert_eq!(now.note, "asked for the catalogue and the price list");
    assert_eq!((now.at, now.author.as_str()), (acme.at, "alice"));
    let card = book.card("acme", as_of()).unwrap();
    assert_eq!(card.corrections.len(), 1);
    assert_eq!(card.corrections[0].by, "bob");
    assert_eq!(card.corrections[0].previous, acme);
    let filter = AuditFilter {
        customer: Some("acme".into()),
        ..AuditFilter::default()
    };
    let trail: Vec<(String, String)> = book
        .audit(&filter)
        .unwrap()
        .into_iter()
        .skip(1)
        .map(|e| (e.user, e.kind))
        .collect();
    assert_eq!(
        trail,
        [
            ("sam".to_string(), "contact".to_string()),
            ("bob".to_string(), "contact_corrected".to_string()),
        ]
    );
}
