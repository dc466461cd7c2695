//! `crm demo`: a generated, realistic book, the same for the same seed and date.
//!
//! Each customer is drawn in one of eight shapes that the lifecycle rules of DOMAIN.md §4
//! classify as intended on `today` (prospect, new growth, rising growth, maturity,
//! decline, churned, lost, won back). Customers are generated independently from the seed
//! and their index, so a customer does not change when the book grows.

mod cycles;
mod history;
mod names;
mod rng;

use jiff::civil::Date;

use crate::domain::follow_up::{derive_follow_ups, utc_date};
use crate::domain::model::{
    Account, Bond, BondLevel, BookData, Contact, Customer, CustomerKind, Direction, Interaction,
    Lost, LostReason, Order, Outcome, Purpose, Role, Signal, Task, TaskOrigin, User,
};
use cycles::cycles;
use history::{contact, Clock, OrderPlan, Voice};
use names::{company, person, phone, role};
use rng::Rng;

pub struct DemoOptions {
    pub customers: usize,
    pub seed: u64,
    pub today: Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Prospect,
    NewGrowth,
    RisingGrowth,
    Mature,
    Decline,
    Churned,
    Lost,
    WonBack,
}

impl Shape {
    const ALL: [Shape; 8] = [
        Shape::Prospect,
        Shape::NewGrowth,
        Shape::RisingGrowth,
        Shape::Mature,
        Shape::Decline,
        Shape::Churned,
        Shape::Lost,
        Shape::WonBack,
    ];
    /// Shares in percent, in the order of `ALL`.
    const WEIGHTS: [u32; 8] = [10, 12, 7, 34, 13, 8, 9, 7];

    /// Still buying: recent contacts are kept free of decline signals unless intended.
    fn healthy(self) -> bool {
        matches!(
            self,
            Shape::NewGrowth | Shape::RisingGrowth | Shape::Mature | Shape::WonBack
        )
    }
}

/// (login, name, role, share of customers owned)
/// Login, name, role, share of the customers, team: alice leads the east team (bob,
/// li.na); diego and zhang.wei are the west team, which has no manager; sam is the admin.
const USERS: [(&str, &str, Role, u32, Option<&str>); 6] = [
    ("alice", "Alice Chen", Role::Manager, 10, Some("east")),
    ("bob", "Bob Martin", Role::Rep, 25, Some("east")),
    ("li.na", "李娜", Role::Rep, 25, Some("east")),
    ("diego", "Diego Ramos", Role::Rep, 20, Some("west")),
    ("zhang.wei", "张伟", Role::Rep, 20, Some("west")),
    ("sam", "Sam Okafor", Role::Admin, 0, None),
];

const SEGMENTS: &[&str] = &[
    "manufacturing",
    "retail",
    "logistics",
    "healthcare",
    "education",
    "hospitality",
    "technology",
    "finance",
    "construction",
    "agriculture",
];

const TAGS: &[&str] = &[
    "key-account",
    "reseller",
    "export",
    "vip",
    "newsletter",
    "trade-fair",
    "referral",
    "public-sector",
    "startup",
    "family-business",
];

const FINANCIAL: &[&str] = &[
    "volume discount",
    "loyalty points",
    "frequency reward",
    "satisfaction guarantee",
];
const SOCIAL: &[&str] = &[
    "named account manager",
    "customer club",
    "personal events",
    "regular personal contact",
];
const STRUCTURAL: &[&str] = &[
    "system integration (EDI/API)",
    "custom tooling",
    "dedicated support desk",
    "joint planning",
    "long-term supply agreement",
];

/// A customer the README's and `--help`'s examples name (`crm show acme`, `crm find 华信`,
/// `crm find '5555 0101'`, `crm find muller`), so each example works on a fresh demo book.
struct Showcase {
    index: usize,
    name: &'static str,
    cjk: bool,
    contact: &'static str,
    role: &'static str,
    phone: &'static str,
    email: &'static str,
}

/// Indexes 1, 3 and 4 are drawn growing, mature and declining (the first eight customers
/// are one of each shape), which gives the examples a lively card.
const SHOWCASE: &[Showcase] = &[
    Showcase {
        index: 1,
        name: "华信贸易有限公司",
        cjk: true,
        contact: "王芳",
        role: "采购经理",
        phone: "+86 10 5555 0101",
        email: "fang.wang@huaxin-trade.bj.example.cn",
    },
    Showcase {
        index: 3,
        name: "Acme Trading Co.",
        cjk: false,
        contact: "Li Wei",
        role: "Head of Purchasing",
        phone: "+44 20 7946 0101",
        email: "li.wei@acme.example.com",
    },
    Showcase {
        index: 4,
        name: "Müller Maschinenbau GmbH",
        cjk: false,
        contact: "Jonas Müller",
        role: "Managing Director",
        phone: "+44 20 7946 0102",
        email: "jonas.mueller@mueller.example.com",
    },
];

/// Generates the book; `progress` hears the number of customers done every 1000 and at
/// the end.
pub fn demo_book(opts: &DemoOptions, progress: &mut dyn FnMut(usize)) -> BookData {
    let clock = Clock::new(opts.today);
    let mut accounts = Vec::with_capacity(opts.customers);
    let mut shapes = Vec::with_capacity(opts.customers);
    let mut next_task = 1;
    let mut lost_count = 0;
    for i in 0..opts.customers {
        let mut rng = Rng::for_item(opts.seed, i as u64);
        // The first eight are one of each, so even a tiny demo shows every stage.
        let shape = match Shape::ALL.get(i) {
            Some(&shape) => shape,
            None => Shape::ALL[rng.weighted(&Shape::WEIGHTS)],
        };
        let lost_reason = LostReason::ALL[lost_count % LostReason::ALL.len()];
        if shape == Shape::Lost {
            lost_count += 1;
        }
        let mut draw = Draw {
            rng: &mut rng,
            clock: &clock,
            shape,
        };
        accounts.push(draw.account(i, lost_reason, &mut next_task));
        shapes.push(shape);
        if (i + 1) % 1000 == 0 {
            progress(i + 1);
        }
    }
    if opts.customers % 1000 != 0 {
        progress(opts.customers);
    }
    let cycles = cycles(&clock, &accounts, &shapes);
    BookData {
        users: USERS
            .iter()
            .map(|&(login, name, role, _, team)| User {
                login: login.to_string(),
                name: name.to_string(),
                role,
                team: team.map(str::to_string),
            })
            .collect(),
        accounts,
        cycles,
    }
}

/// The shape of one customer's story, in days before today.
struct Story {
    /// Days ago the customer was created.
    created: i64,
    /// The oldest and newest days ago of ordinary contacts.
    oldest: i64,
    newest: i64,
    lost: Option<i64>,
    orders: Vec<Order>,
    plan: OrderPlan,
}

struct Draw<'a> {
    rng: &'a mut Rng,
    clock: &'a Clock,
    shape: Shape,
}

impl Draw<'_> {
    fn account(&mut self, index: usize, lost_reason: LostReason, next_task: &mut u64) -> Account {
        let showcase = SHOWCASE.iter().find(|s| s.index == index);
        // The draws are made all the same, so the rest of the book does not change.
        let cjk = self.rng.chance(0.2);
        let cjk = showcase.map_or(cjk, |s| s.cjk);
        let organization = self.rng.chance(0.65) || showcase.is_some();
        let owner = USERS[self.rng.weighted(&USERS.map(|u| u.3))].0;
        let story = self.story();
        let (name, mut contacts) = self.profile(cjk, organization);
        let name = match showcase {
            Some(s) => {
                contacts.truncate(1);
                contacts.resize_with(1, Contact::default);
                contacts[0] = Contact {
                    name: s.contact.to_string(),
                    role: s.role.to_string(),
                    phone: s.phone.to_string(),
                    email: s.email.to_string(),
                };
                s.name.to_string()
            }
            None => name,
        };
        let segment = if self.rng.chance(0.92) {
            self.rng.pick(SEGMENTS).to_string()
        } else {
            String::new()
        };
        let mut tags = Vec::new();
        for _ in 0..self.rng.below(3) {
            let tag = self.rng.pick(TAGS).to_string();
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        let category_spend = self.rng.chance(0.7).then(|| {
            let multiple = 1.2 + 3.0 * self.rng.unit();
            (story.plan.yearly_revenue() * multiple / 100.0).round() * 100.0
        });
        let lost = story.lost.map(|ago| Lost {
            date: self.clock.date(ago),
            reason: lost_reason,
        });
        let customer = Customer {
            id: format!("c{:06}", index + 1),
            name,
            kind: if organization {
                CustomerKind::Organization
            } else {
                CustomerKind::Person
            },
            segment,
            owner: owner.to_string(),
            created: self.clock.date(story.created),
            tags,
            category_spend,
            contacts,
            note: self.customer_note(cjk),
            lost,
        };
        let voice = Voice {
            author: owner,
            chinese: cjk,
        };
        let mut account = Account::new(customer);
        account.interactions = self.contacts(&story, &voice, lost_reason);
        account.bonds = self.bonds(&story);
        account.orders = story.orders;
        account.sort_histories();
        self.follow_ups(&mut account.interactions);
        account.tasks = derive_follow_ups(&account.interactions, next_task);
        if self.rng.chance(0.05) {
            account.tasks.push(Task {
                id: *next_task,
                due: self.clock.date(self.rng.range(-30, 10)),
                text: "Prepare the annual account review".to_string(),
                origin: TaskOrigin::Manual,
                done: None,
            });
            *next_task += 1;
        }
        account.sort_histories();
        account
    }

    fn profile(&mut self, cjk: bool, organization: bool) -> (String, Vec<Contact>) {
        if organization {
            let (name, domain) = company(self.rng, cjk);
            // A few companies still lack a contact person: a profile to complete.
            let count = if self.rng.chance(0.08) {
                0
            } else {
                1 + self.rng.below(3)
            };
            let contacts = (0..count)
                .map(|_| {
                    let who = person(self.rng, cjk);
                    Contact {
                        name: who.display,
                        role: role(self.rng, cjk).to_string(),
                        phone: phone(self.rng, cjk),
                        email: format!("{}@{domain}", who.mail),
                    }
                })
                .collect();
            (name, contacts)
        } else {
            let who = person(self.rng, cjk);
            let domain = if cjk {
                "mail.example.cn"
            } else {
                "mail.example.com"
            };
            let contact = Contact {
                name: who.display.clone(),
                role: String::new(),
                phone: phone(self.rng, cjk),
                email: format!("{}@{domain}", who.mail),
            };
            (who.display, vec![contact])
        }
    }

    fn customer_note(&mut self, cjk: bool) -> String {
        let notes: &[&str] = if cjk {
            &[
                "家族企业，注重长期合作",
                "prefers WeChat before e-mail",
                "",
                "",
            ]
        } else {
            &[
                "prefers e-mail before 10:00",
                "decides with the board each quarter",
                "",
                "",
            ]
        };
        self.rng.pick(notes).to_string()
    }

    /// The orders and the time line of the shape.
    fn story(&mut self) -> Story {
        let rng = &mut *self.rng;
        let clock = self.clock;
        let mut orders = Vec::new();
        let story = |created, oldest, newest, lost, plan| Story {
            created,
            oldest,
            newest,
            lost,
            orders: Vec::new(),
            plan,
        };
        // Two and a half to four years of history: enough for every rule, light enough that a
        // 100k-customer demo stays near ten orders per customer.
        let long = |rng: &mut Rng| rng.range(900, 1400);
        let flat = |_| 1.0;
        let built = match self.shape {
            Shape::Prospect => {
                let plan = OrderPlan::new(rng, &[30, 45, 90]);
                let created = rng.range(30, 400);
                story(created, created, 0, None, plan)
            }
            Shape::NewGrowth => {
                let plan = OrderPlan::new(rng, &[15, 30, 45]);
                let first = rng.range(40, 330);
                let newest = plan.offset(rng);
                // Rising as the relationship forms.
                let rising = move |ago: i64| 0.6 + 0.8 * (1.0 - ago as f64 / first as f64);
                plan.push(rng, clock, first, newest, rising, &mut orders);
                let created = first + rng.range(20, 120);
                story(created, created, 0, None, plan)
            }
            Shape::Mature | Shape::RisingGrowth | Shape::Decline => {
                let mut plan = OrderPlan::new(rng, &[30, 45, 90]);
                // A few small accounts bought at deep discounts: they cost more to serve than
                // they earn (the pyramid's lead tier, the 80/20/30 rule's loss makers).
                if self.shape == Shape::Mature && rng.chance(0.12) {
                    plan.base = plan.base.min(1500.0);
                    plan.margin_rate = 0.005 + 0.015 * rng.unit();
                    plan.margin_known = true;
                }
                let start = long(rng);
                let newest = plan.offset(rng);
                // Decline: severe (score 2 alone) or moderate (needs a second signal).
                let recent = match self.shape {
                    Shape::RisingGrowth => 1.6,
                    Shape::Decline if rng.chance(0.5) => 0.35,
                    Shape::Decline => 0.6,
                    _ => 1.0,
                };
                let early = start as f64;
                let factor = move |ago: i64| {
                    if ago < 90 {
                        recent
                    } else if ago > 200 {
                        // Older years were smaller: the relationship grew into maturity.
                        1.0 - 0.3 * (ago - 200) as f64 / early
                    } else {
                        1.0
                    }
                };
                plan.push(rng, clock, start, newest, factor, &mut orders);
                let created = start + rng.range(10, 90);
                story(created, created, 0, None, plan)
            }
            Shape::Churned => {
                let plan = OrderPlan::new(rng, &[30, 45, 90]);
                let start = long(rng) + 300;
                let last = rng.range(400, 1000);
                plan.push(rng, clock, start, last, flat, &mut orders);
                let created = start + rng.range(10, 90);
                story(created, created, 0, None, plan)
            }
            Shape::Lost => {
                let plan = OrderPlan::new(rng, &[30, 45, 90]);
                let start = long(rng) + 300;
                let last = rng.range(60, 700);
                plan.push(rng, clock, start, last, flat, &mut orders);
                let lost = (last - rng.range(10, 50)).max(1);
                let created = start + rng.range(10, 90);
                story(created, created, lost, Some(lost), plan)
            }
            Shape::WonBack => {
                let plan = OrderPlan::new(rng, &[15, 30, 45]);
                let start = rng.range(1300, 1800);
                let gap_from = rng.range(650, 900);
                let back = rng.range(60, 250);
                plan.push(rng, clock, start, gap_from, flat, &mut orders);
                let newest = plan.offset(rng);
                plan.push(rng, clock, back, newest, flat, &mut orders);
                let created = start + rng.range(10, 90);
                story(created, created, 0, None, plan)
            }
        };
        Story { orders, ..built }
    }

    /// About ten contacts: ordinary ones over the story, then the shape's own.
    fn contacts(&mut self, story: &Story, voice: &Voice, reason: LostReason) -> Vec<Interaction> {
        let total = self.rng.range(7, 13) as usize;
        let mut out = Vec::with_capacity(total + 4);
        // How intensely the customer was handled in the last 180 days.
        let recent = match self.rng.weighted(&[15, 20, 45, 20]) {
            0 => 0,
            1 => self.rng.range(1, 2) as usize,
            2 => self.rng.range(2, 4) as usize,
            _ => self.rng.range(6, 8) as usize,
        };
        let inbound_only = recent <= 2 && self.rng.chance(0.5);
        // Customers with an overdue follow-up have not been contacted for two weeks.
        let quiet = if self.shape == Shape::Decline { 45 } else { 15 };
        let newest = story.newest.max(quiet);
        let recent = if story.oldest > 180 { recent } else { total };
        for n in 0..total {
            let ago = if n < recent && newest < 180 {
                self.rng.range(newest, 179.min(story.oldest))
            } else {
                self.rng
                    .range(180.max(newest).min(story.oldest), story.oldest)
            };
            let direction = if inbound_only && ago < 180 || self.rng.chance(0.4) {
                Direction::Inbound
            } else {
                Direction::Outbound
            };
            out.push(self.ordinary(voice, ago, direction));
        }
        self.shape_contacts(story, voice, reason, &mut out);
        out
    }

    fn ordinary(&mut self, voice: &Voice, ago: i64, direction: Direction) -> Interaction {
        let calm = ago < 180 && self.shape.healthy();
        let purpose = if self.shape == Shape::Prospect {
            [
                Purpose::Inquiry,
                Purpose::Sales,
                Purpose::FollowUp,
                Purpose::Social,
            ][self.rng.weighted(&[3, 4, 2, 1])]
        } else {
            let purpose = Purpose::ALL[self.rng.weighted(&[25, 15, 6, 15, 15, 10, 0, 4])];
            if calm && purpose == Purpose::Complaint {
                Purpose::Service
            } else {
                purpose
            }
        };
        let outcome = match self.rng.weighted(&[40, 35, 10, 15]) {
            _ if calm => [Outcome::Positive, Outcome::Neutral][self.rng.below(2)],
            2 => Outcome::Negative,
            // Healthy customers answer: two unanswered calls in a row are a decline signal.
            3 if direction == Direction::Outbound && !self.shape.healthy() => Outcome::NoResponse,
            0 => Outcome::Positive,
            _ => Outcome::Neutral,
        };
        let answered = outcome != Outcome::NoResponse;
        let satisfaction = (answered && self.shape != Shape::Prospect && self.rng.chance(0.5))
            .then(|| {
                if calm {
                    // Never a one-point drop between the two 90-day windows.
                    if ago < 90 {
                        5
                    } else {
                        4
                    }
                } else {
                    self.rng.range(2, 5) as u8
                }
            });
        let mut signals = Vec::new();
        if answered && self.rng.chance(0.08) {
            signals.push(Signal::ReferralGiven);
        }
        if answered && self.rng.chance(0.06) {
            signals.push(Signal::PriceObjection);
        }
        if !calm && answered && self.rng.chance(0.04) {
            signals.push(Signal::CompetitorMentioned);
        }
        contact(
            self.rng,
            self.clock,
            voice,
            ago,
            purpose,
            direction,
            outcome,
            satisfaction,
            signals,
        )
    }

    /// What makes the shape: decline warnings, a churned customer's silence, the story of
    /// a loss, a win-back.
    fn shape_contacts(
        &mut self,
        story: &Story,
        voice: &Voice,
        reason: LostReason,
        out: &mut Vec<Interaction>,
    ) {
        let (rng, clock) = (&mut *self.rng, self.clock);
        let mut add = |rng: &mut Rng, ago, purpose, direction, outcome, satisfaction, signals| {
            out.push(contact(
                rng,
                clock,
                voice,
                ago,
                purpose,
                direction,
                outcome,
                satisfaction,
                signals,
            ));
        };
        use Direction::{Inbound, Outbound};
        match self.shape {
            Shape::Decline => {
                // The cause, inbound, in the last 90 days.
                let cause_ago = rng.range(20, 80);
                match rng.below(4) {
                    0 => add(
                        rng,
                        cause_ago,
                        Purpose::Inquiry,
                        Inbound,
                        Outcome::Negative,
                        Some(2),
                        vec![Signal::PriceObjection],
                    ),
                    1 => {
                        for _ in 0..2 {
                            let ago = rng.range(20, 80);
                            add(
                                rng,
                                ago,
                                Purpose::Complaint,
                                Inbound,
                                Outcome::Negative,
                                Some(1),
                                vec![],
                            );
                        }
                    }
                    2 => add(
                        rng,
                        cause_ago,
                        Purpose::Sales,
                        Inbound,
                        Outcome::Neutral,
                        Some(3),
                        vec![Signal::CompetitorMentioned],
                    ),
                    _ => add(
                        rng,
                        cause_ago,
                        Purpose::Service,
                        Inbound,
                        Outcome::Neutral,
                        None,
                        vec![Signal::PaymentDelayed],
                    ),
                }
                // Overtures not answered: the last two outbound contacts.
                let first = rng.range(10, 19);
                add(
                    rng,
                    first,
                    Purpose::FollowUp,
                    Outbound,
                    Outcome::NoResponse,
                    None,
                    vec![],
                );
                let second = rng.range(2, 9);
                add(
                    rng,
                    second,
                    Purpose::Sales,
                    Outbound,
                    Outcome::NoResponse,
                    None,
                    vec![],
                );
            }
            Shape::Churned => {
                let last_order = story_last_order_ago(story, clock);
                for _ in 0..rng.range(1, 3) {
                    let ago = rng.range(30, last_order.max(31));
                    add(
                        rng,
                        ago,
                        Purpose::WinBack,
                        Outbound,
                        Outcome::NoResponse,
                        None,
                        vec![],
                    );
                }
            }
            Shape::Lost => {
                let lost = story.lost.unwrap_or(1);
                let (purpose, signals) = match reason {
                    LostReason::Price => (Purpose::Sales, vec![Signal::PriceObjection]),
                    LostReason::Competitor => (Purpose::Sales, vec![Signal::CompetitorMentioned]),
                    LostReason::Service | LostReason::Product => (Purpose::Complaint, vec![]),
                    LostReason::Deliberate | LostReason::Involuntary => (Purpose::Other, vec![]),
                };
                let ago = lost + rng.range(0, 5);
                add(
                    rng,
                    ago,
                    purpose,
                    Inbound,
                    Outcome::Negative,
                    Some(2),
                    signals,
                );
                if reason != LostReason::Deliberate && rng.chance(0.5) {
                    let ago = rng.range(0, lost.saturating_sub(1));
                    add(
                        rng,
                        ago,
                        Purpose::WinBack,
                        Outbound,
                        Outcome::NoResponse,
                        None,
                        vec![],
                    );
                }
            }
            Shape::WonBack => {
                let back = story_first_recent_order_ago(story, clock);
                let ago = back + rng.range(40, 120);
                add(
                    rng,
                    ago,
                    Purpose::WinBack,
                    Outbound,
                    Outcome::NoResponse,
                    None,
                    vec![],
                );
                let ago = back + rng.range(5, 30);
                add(
                    rng,
                    ago,
                    Purpose::WinBack,
                    Outbound,
                    Outcome::Positive,
                    Some(4),
                    vec![],
                );
            }
            _ => {}
        }
    }

    /// Follow-up dates: some earlier contacts (done by the next contact), and on the last
    /// contact an overdue one, an upcoming one, or none.
    fn follow_ups(&mut self, interactions: &mut [Interaction]) {
        let count = interactions.len();
        for interaction in interactions.iter_mut().take(count.saturating_sub(1)) {
            if self.rng.chance(0.15) {
                let day = utc_date(interaction.at);
                interaction.follow_up = day
                    .checked_add(jiff::Span::new().days(self.rng.range(3, 14)))
                    .ok();
            }
        }
        let churned = matches!(self.shape, Shape::Churned | Shape::Lost);
        if let Some(last) = interactions.last_mut() {
            let day = utc_date(last.at);
            match self.rng.below(10) {
                0..=2 if !churned => {
                    // Due a week after the contact: overdue, as the contact is older.
                    last.follow_up = day.checked_add(jiff::Span::new().days(7)).ok();
                }
                3 if !churned => last.follow_up = Some(self.clock.date(-self.rng.range(1, 10))),
                _ => {}
            }
        }
    }

    fn bonds(&mut self, story: &Story) -> Vec<Bond> {
        let rng = &mut *self.rng;
        let (social, structural) = match self.shape {
            Shape::Mature | Shape::RisingGrowth => (0.5, 0.22),
            Shape::Decline => (0.4, 0.15),
            Shape::WonBack | Shape::Churned | Shape::Lost => (0.3, 0.06),
            Shape::NewGrowth => (0.2, 0.03),
            Shape::Prospect => (0.0, 0.0),
        };
        let financial = if self.shape == Shape::Prospect {
            0.0
        } else {
            0.55
        };
        let end = story.lost.unwrap_or(0);
        let mut bonds = Vec::new();
        for (level, kinds, chance) in [
            (BondLevel::Financial, FINANCIAL, financial),
            (BondLevel::Social, SOCIAL, social),
            (BondLevel::Structural, STRUCTURAL, structural),
        ] {
            if !rng.chance(chance) {
                continue;
            }
            let since = rng.range(end + 10, story.created.max(end + 10));
            let ended = end > 0 || rng.chance(0.2);
            let until = ended.then(|| {
                let until = if end > 0 {
                    end
                } else {
                    rng.range(1, since.max(1))
                };
                self.clock.date(until.min(since))
            });
            bonds.push(Bond {
                level,
                kind: rng.pick(kinds).to_string(),
                since: self.clock.date(since),
                until,
                note: String::new(),
            });
        }
        // An offer agreed but not yet started.
        if rng.chance(0.04) {
            bonds.push(Bond {
                level: BondLevel::Financial,
                kind: "loyalty points".to_string(),
                since: self.clock.date(-rng.range(5, 60)),
                until: None,
                note: "starts with the next season".to_string(),
            });
        }
        bonds
    }
}

fn story_last_order_ago(story: &Story, clock: &Clock) -> i64 {
    story
        .orders
        .iter()
        .map(|o| days_ago(clock, o.date))
        .min()
        .unwrap_or(story.created)
}

/// The first order after the gap of a won-back customer.
fn story_first_recent_order_ago(story: &Story, clock: &Clock) -> i64 {
    story
        .orders
        .iter()
        .map(|o| days_ago(clock, o.date))
        .filter(|&ago| ago < 400)
        .max()
        .unwrap_or(60)
}

fn days_ago(clock: &Clock, date: Date) -> i64 {
    date.until(clock.today)
        .map_or(0, |span| i64::from(span.get_days()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::card::Stage;
    use crate::domain::config::Config;
    use crate::domain::facts::customer_facts;
    use crate::domain::rhythm::BookRhythm;
    use crate::domain::stats::settle_book;

    /// The engine's own rules put every shaped customer in the stage it was drawn for.
    #[test]
    fn every_shape_lands_in_its_stage() {
        let today: Date = "2026-03-15".parse().unwrap();
        let config = Config::default();
        let opts = DemoOptions {
            customers: 600,
            seed: 11,
            today,
        };
        let data = demo_book(&opts, &mut |_| {});
        let rhythm = BookRhythm::default_for(&config);
        let mut all: Vec<_> = data
            .accounts
            .iter()
            .map(|account| customer_facts(account, today, &config, rhythm))
            .collect();
        settle_book(&mut all, today, &config);
        let mut misses = Vec::new();
        for ((i, account), facts) in data.accounts.iter().enumerate().zip(&all) {
            let shape = match Shape::ALL.get(i) {
                Some(&shape) => shape,
                None => {
                    let mut rng = Rng::for_item(opts.seed, i as u64);
                    Shape::ALL[rng.weighted(&Shape::WEIGHTS)]
                }
            };
            let stage = facts.stage;
            let expected = match shape {
                Shape::Prospect => Stage::Acquisition,
                Shape::NewGrowth | Shape::RisingGrowth | Shape::WonBack => Stage::Growth,
                Shape::Mature => Stage::Maturity,
                Shape::Decline => Stage::Decline,
                Shape::Churned | Shape::Lost => Stage::Churned,
            };
            if stage != expected || (shape == Shape::WonBack) != facts.second_lifecycle {
                misses.push(format!(
                    "{} {shape:?} -> {stage:?} (second lifecycle {}) {:?}",
                    account.customer.id,
                    facts.second_lifecycle,
                    crate::domain::lifecycle::evidence(facts, &config)
                ));
            }
        }
        assert!(misses.is_empty(), "{} misses: {misses:#?}", misses.len());
    }
}
