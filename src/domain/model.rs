//! The records of the relationship domain (DOMAIN.md §1): plain data with serde.
//!
//! These types are stored (bincode, inside a version envelope) and exchanged (JSON), so
//! every field is always serialised: no `skip_serializing_if` here, ever.

use jiff::civil::Date;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

pub type CustomerId = String;
pub type TaskId = u64;
pub type CycleId = u64;

/// Declares a field-less enum whose variants have stable snake_case codes, with
/// `code()`, `ALL` and `FromStr` so the CLI, JSON and console share one spelling.
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        // Each variant is spelled by its code (snake_case alone would give "i_v" for IV
        // and "margin12m" for Margin12m).
        pub enum $name { $(#[serde(rename = $code)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::domain::model::UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($code => Ok($name::$variant),)+
                    _ => Err(crate::domain::model::UnknownCode {
                        what: stringify!($name),
                        given: s.to_string(),
                        expected: &[$($code),+],
                    }),
                }
            }
        }
    };
}
pub(crate) use coded_enum;

/// A code that is not one of an enum's spellings; the message lists the valid ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode {
    pub what: &'static str,
    pub given: String,
    pub expected: &'static [&'static str],
}

impl std::fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unknown {} '{}' (expected one of: {})",
            self.what.to_lowercase(),
            self.given,
            self.expected.join(", ")
        )
    }
}

impl std::error::Error for UnknownCode {}

coded_enum!(CustomerKind { Person => "person", Organization => "organization" });
coded_enum!(Channel {
    Phone => "phone", Email => "email", Meeting => "meeting", Chat => "chat",
    Event => "event", Letter => "letter", Other => "other",
});
coded_enum!(Direction { Inbound => "inbound", Outbound => "outbound" });
coded_enum!(Purpose {
    Sales => "sales", Service => "service", Complaint => "complaint", Inquiry => "inquiry",
    FollowUp => "follow_up", Social => "social", WinBack => "win_back", Other => "other",
});
coded_enum!(Outcome {
    Positive => "positive", Neutral => "neutral", Negative => "negative",
    NoResponse => "no_response",
});
coded_enum!(Signal {
    CompetitorMentioned => "competitor_mentioned", PriceObjection => "price_objection",
    PaymentDelayed => "payment_delayed", ReferralGiven => "referral_given",
});
coded_enum!(
    /// Why a relationship ended (the six reasons of DOMAIN.md §6).
    LostReason {
        Price => "price", Product => "product", Service => "service",
        Competitor => "competitor", Deliberate => "deliberate", Involuntary => "involuntary",
    }
);
coded_enum!(
    /// The rung a bond sits on; ordered so that `max` gives the customer's level.
    BondLevel { Financial => "financial", Social => "social", Structural => "structural" }
);
coded_enum!(TaskOrigin { FollowUp => "follow_up", NextBestAction => "next_best_action", Pdca => "pdca", Manual => "manual" });
coded_enum!(Role { Rep => "rep", Manager => "manager", Admin => "admin" });

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    pub role: String,
    pub phone: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lost {
    pub date: Date,
    pub reason: LostReason,
}

/// The profile of an account: who the customer is, not what happened with them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    pub id: CustomerId,
    pub name: String,
    pub kind: CustomerKind,
    pub segment: String,
    pub owner: String,
    pub created: Date,
    pub tags: Vec<String>,
    /// What the customer spends a year on our category, from all suppliers.
    pub category_spend: Option<f64>,
    pub contacts: Vec<Contact>,
    pub note: String,
    pub lost: Option<Lost>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interaction {
    pub at: Timestamp,
    pub channel: Channel,
    pub direction: Direction,
    pub purpose: Purpose,
    pub outcome: Outcome,
    /// 1..=5 when given.
    pub satisfaction: Option<u8>,
    pub signals: Vec<Signal>,
    pub note: String,
    pub follow_up: Option<Date>,
    pub author: String,
}

impl Interaction {
    /// The same logged contact, in whatever version: a contact is known by when it
    /// happened and who logged it (a correction keeps both).
    pub fn same_contact(&self, other: &Interaction) -> bool {
        self.at == other.at && self.author == other.author
    }
}

/// A logged contact corrected (DOMAIN.md: corrections keep the old version): the version
/// it replaced, the version it made, who corrected it and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactCorrection {
    pub previous: Interaction,
    pub corrected: Interaction,
    pub by: String,
    pub on: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub date: Date,
    pub amount: f64,
    /// Absolute margin; `None` means the configured default margin rate applies.
    pub margin: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bond {
    pub level: BondLevel,
    pub kind: String,
    pub since: Date,
    pub until: Option<Date>,
    pub note: String,
}

impl Bond {
    /// Active on `as_of`: started on or before it and not yet ended.
    pub fn active_on(&self, as_of: Date) -> bool {
        self.since <= as_of && self.until.is_none_or(|until| until > as_of)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    pub id: TaskId,
    pub due: Date,
    pub text: String,
    pub origin: TaskOrigin,
    /// The day it was marked done; `None` while open.
    pub done: Option<Date>,
}

impl Task {
    pub fn open_on(&self, as_of: Date) -> bool {
        self.done.is_none_or(|done| done > as_of)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub login: String,
    pub name: String,
    pub role: Role,
    /// The team a manager leads or a rep belongs to; a manager sees the customers of the
    /// users of their team. Added in the stored format version 2 (older users have none).
    pub team: Option<String>,
}

/// Everything known about one customer: the input of every per-customer rule.
/// Histories are kept sorted by time (oldest first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub customer: Customer,
    pub bonds: Vec<Bond>,
    pub orders: Vec<Order>,
    pub interactions: Vec<Interaction>,
    pub tasks: Vec<Task>,
    /// Its logged contacts' corrections, each with the version it replaced (DOMAIN.md:
    /// corrections keep the old version), oldest first: read from the stores' histories,
    /// written to and read from the JSON book. Never part of a journal event's records
    /// (`serde(skip)`): events keep their bytes, and an import carries them as corrections.
    #[serde(skip)]
    pub corrections: Vec<ContactCorrection>,
}

impl Account {
    pub fn new(customer: Customer) -> Self {
        Account {
            customer,
            bonds: Vec::new(),
            orders: Vec::new(),
            interactions: Vec::new(),
            tasks: Vec::new(),
            corrections: Vec::new(),
        }
    }

    /// Sorts every history oldest first (stable, so equal times keep their given order).
    pub fn sort_histories(&mut self) {
        self.orders.sort_by_key(|o| o.date);
        self.interactions.sort_by_key(|i| i.at);
        self.bonds.sort_by_key(|b| b.since);
        self.tasks.sort_by_key(|t| (t.due, t.id));
    }
}

coded_enum!(
    /// The metrics a PDCA cycle can aim at (DOMAIN.md §7); each is computed by the engine.
    Metric {
        RetentionRate => "retention_rate", DeclineCount => "decline_count",
        ChurnedCount => "churned_count", AvgSatisfaction => "avg_satisfaction",
        ShareOfWallet => "share_of_wallet", Margin12m => "margin_12m",
        ContactsPerCustomer => "contacts_per_customer", StructuralBonds => "structural_bonds",
        OverdueFollowups => "overdue_followups",
    }
);
coded_enum!(GoalDirection { Raise => "raise", Lower => "lower" });
coded_enum!(Phase { Plan => "plan", Do => "do", Check => "check", Act => "act", Closed => "closed" });
coded_enum!(ActDecision { Standardise => "standardise", Adjust => "adjust", Abandon => "abandon" });

/// What part of the book a PDCA cycle is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Customer(CustomerId),
    Owner(String),
    Segment(String),
    Book,
}

/// An action of a PDCA cycle: a task that belongs to the cycle, not to one customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CycleAction {
    pub text: String,
    pub due: Option<Date>,
    pub done: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    pub value: f64,
    pub met: bool,
    pub on: Date,
}

/// One turn of the PDCA spiral (DOMAIN.md §7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cycle {
    pub id: CycleId,
    pub title: String,
    pub scope: Scope,
    pub owner: String,
    pub created: Date,
    pub phase: Phase,
    pub metric: Option<Metric>,
    pub direction: GoalDirection,
    /// Measured by the engine when the plan is made.
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub check_date: Option<Date>,
    pub plan_notes: String,
    pub actions: Vec<CycleAction>,
    pub result: Option<CheckResult>,
    pub decision: Option<ActDecision>,
    pub lessons: String,
    pub previous: Option<CycleId>,
    pub next: Option<CycleId>,
}

/// A whole book, or a part of one: what an import brings and an export writes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct BookData {
    pub users: Vec<User>,
    pub accounts: Vec<Account>,
    pub cycles: Vec<Cycle>,
}
