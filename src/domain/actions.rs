//! Next-best-actions (DOMAIN.md §6): which actions a customer's situation calls for, each
//! with its evidence and a due date, ranked by a fixed priority order.

use jiff::civil::Date;

use super::card::{ActionCode, Level, NextAction, RelationshipType, Stage, Tier};
use super::config::Config;
use super::days::{add_days, day_number};
use super::facts::CustomerFacts;
use super::format::money;
use super::lifecycle::{decline_signals, Hit};
use super::model::LostReason;
use super::text::Text;

/// The ranking, most urgent first: promises already broken, then a relationship slipping
/// away (decline and its remedies), then value at stake (win back, high-value care), then
/// development, then housekeeping. Codes absent here cannot occur.
pub const PRIORITY: [ActionCode; 17] = [
    ActionCode::FollowUpOverdue,
    ActionCode::DiagnoseDecline,
    ActionCode::CounterCompetitor,
    ActionCode::ServiceRecovery,
    ActionCode::EscalateProduct,
    ActionCode::RetentionOffer,
    ActionCode::WinBack,
    ActionCode::CheckIn,
    ActionCode::AddStructuralBond,
    ActionCode::AddSocialBond,
    ActionCode::RaiseIntensity,
    ActionCode::DifferentiatedService,
    ActionCode::CrossSell,
    ActionCode::NurtureGrowth,
    ActionCode::QualifyProspect,
    ActionCode::CompleteProfile,
    ActionCode::LetGo,
];

/// Position in `PRIORITY` (lower is more urgent).
pub fn priority(code: ActionCode) -> usize {
    PRIORITY
        .iter()
        .position(|&c| c == code)
        .unwrap_or(PRIORITY.len())
}

/// What the card knows about a customer beyond its facts.
pub struct Situation<'a> {
    pub facts: &'a CustomerFacts,
    /// The stage evidence, deciding rule first.
    pub stage_evidence: &'a [String],
    /// The same lines as messages (empty: the English lines are passed on as they are).
    pub stage_evidence_said: &'a [Text],
    pub tier: Option<Tier>,
    pub recommended: RelationshipType,
    pub actual: RelationshipType,
    pub owner_customers: usize,
    pub share_of_wallet: Option<f64>,
    pub win_back_value: f64,
}

fn tier_gold_or_better(tier: Option<Tier>) -> bool {
    matches!(tier, Some(Tier::Platinum | Tier::Gold))
}

fn percent(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

struct Builder<'a> {
    as_of: Date,
    cfg: &'a Config,
    actions: Vec<NextAction>,
}

/// A sentence in English and as a message.
type Said = (String, Text);

/// A sentence that is the same in every language's words: a fixed message.
fn fixed(english: &str, key: &str) -> Said {
    (english.to_string(), Text::new(key))
}

impl Situation<'_> {
    /// The first `n` stage evidence lines (all when `None`), with their messages.
    fn evidence(&self, n: Option<usize>) -> Vec<Said> {
        let n = n.unwrap_or(self.stage_evidence.len());
        self.stage_evidence
            .iter()
            .take(n)
            .enumerate()
            .map(|(i, line)| {
                let said = self.stage_evidence_said.get(i).cloned();
                let said = said.unwrap_or_else(|| Text::new("ev-plain").arg("text", line));
                (line.clone(), said)
            })
            .collect()
    }
}

impl Builder<'_> {
    fn push(&mut self, code: ActionCode, action: Said, why: Vec<Said>, due_in_days: i64) {
        let (why, why_said) = why.into_iter().unzip();
        self.actions.push(NextAction {
            code,
            action: action.0,
            action_said: action.1,
            why,
            why_said,
            due: add_days(self.as_of, due_in_days),
        });
    }

    fn soon(&self) -> i64 {
        self.cfg.actions.default_due_days
    }

    fn urgent(&self) -> i64 {
        self.cfg.actions.decline_contact_days
    }
}

pub fn next_best_actions(s: &Situation, cfg: &Config) -> Vec<NextAction> {
    let f = s.facts;
    let mut b = Builder {
        as_of: f.as_of,
        cfg,
        actions: Vec::new(),
    };
    follow_ups(&mut b, f);
    match f.stage {
        Stage::Churned => churned(&mut b, s),
        Stage::Acquisition => {
            b.push(
                ActionCode::QualifyProspect,
                fixed("Qualify the prospect: learn its needs and present the value proposition through the right channel", "nba-qualify-prospect"),
                s.evidence(Some(1)),
                b.soon(),
            );
            complete_profile(&mut b, f);
        }
        Stage::Decline | Stage::Growth | Stage::Maturity => active(&mut b, s),
    }
    let mut actions = b.actions;
    actions.sort_by_key(|a| priority(a.code));
    actions
}

fn follow_ups(b: &mut Builder, f: &CustomerFacts) {
    let Some(oldest) = f.oldest_overdue else {
        return;
    };
    let late = f.as_of_day() - day_number(oldest);
    let (count, count_said) = if f.overdue_follow_ups == 1 {
        fixed("1 follow-up overdue", "why-follow-ups-one")
    } else {
        (
            format!("{} follow-ups overdue", f.overdue_follow_ups),
            Text::new("why-follow-ups-many").arg("n", f.overdue_follow_ups),
        )
    };
    b.push(
        ActionCode::FollowUpOverdue,
        fixed("Do the follow-up now", "nba-follow-up-now"),
        vec![(
            format!("{count}, oldest due {oldest} ({late} days late)"),
            Text::new("why-follow-ups")
                .part("count", count_said)
                .arg("oldest", oldest)
                .arg("late", late),
        )],
        0,
    );
}

fn complete_profile(b: &mut Builder, f: &CustomerFacts) {
    let mut missing = Vec::new();
    let mut missing_said = Vec::new();
    if !f.has_contact {
        missing.push("contact person");
        missing_said.push(Text::new("why-missing-contact"));
    }
    if f.segment.trim().is_empty() {
        missing.push("segment");
        missing_said.push(Text::new("why-missing-segment"));
    }
    if f.category_spend.is_none() {
        missing.push("category spend");
        missing_said.push(Text::new("why-missing-spend"));
    }
    if missing.is_empty() {
        return;
    }
    let list = missing.join(", ");
    b.push(
        ActionCode::CompleteProfile,
        (
            format!("Complete the profile: add the {list}"),
            Text::new("nba-complete-profile").list("list", missing_said.clone()),
        ),
        vec![(
            format!("missing: {list}"),
            Text::new("why-missing").list("list", missing_said),
        )],
        b.soon(),
    );
}

fn churned(b: &mut Builder, s: &Situation) {
    let f = s.facts;
    let cost = b.cfg.value.win_back_cost;
    let reason = f.lost.as_ref().map(|l| l.reason);
    let mut why = s.evidence(Some(1));
    if matches!(
        reason,
        Some(LostReason::Deliberate | LostReason::Involuntary)
    ) {
        b.push(
            ActionCode::LetGo,
            fixed("Let go: close the account politely", "nba-let-go"),
            why,
            b.soon(),
        );
        return;
    }
    let worth = s.win_back_value > cost;
    let comparison = if worth { ">" } else { "≤" };
    why.push((
        format!(
            "second-lifecycle value {} {comparison} win-back cost {}",
            money(s.win_back_value),
            money(cost)
        ),
        Text::new("why-win-back-value")
            .arg("value", money(s.win_back_value))
            .arg("comparison", comparison)
            .arg("cost", money(cost)),
    ));
    if worth {
        b.push(
            ActionCode::WinBack,
            fixed("Win back: listen, make a plan, keep promises, offer choices, be gracious (a long-term plan when a contract blocks it)", "nba-win-back"),
            why,
            b.soon(),
        );
    } else {
        b.push(
            ActionCode::LetGo,
            fixed(
                "Let go: not worth winning back; close the account politely",
                "nba-let-go-not-worth",
            ),
            why,
            b.soon(),
        );
    }
}

fn active(b: &mut Builder, s: &Situation) {
    let f = s.facts;
    let cfg = b.cfg;
    match f.stage {
        Stage::Decline => decline(b, s),
        Stage::Growth => b.push(
            ActionCode::NurtureGrowth,
            fixed("Nurture the growth: clarify real needs, promise and keep the promise, exceed expectations, offer a bundle", "nba-nurture-growth"),
            s.evidence(Some(1)),
            b.soon(),
        ),
        _ => {}
    }
    let tier_text = s.tier.map_or("none", |t| t.code());
    let tier_said = match s.tier {
        Some(tier) => Text::code("tier", tier.code()),
        None => Text::new("card-tier-none"),
    };
    let tier_level = || {
        (
            format!("tier {tier_text}, level {}", f.level),
            Text::new("why-tier-level")
                .part("tier", tier_said.clone())
                .part("level", Text::code("level", f.level.code())),
        )
    };
    if tier_gold_or_better(s.tier) && f.level < Level::Social {
        b.push(
            ActionCode::AddSocialBond,
            fixed(
                "Add a social bond: a named contact, a club invitation, a personal touch",
                "nba-add-social-bond",
            ),
            vec![tier_level()],
            b.soon(),
        );
    }
    if s.tier == Some(Tier::Platinum) && f.level < Level::Structural {
        b.push(
            ActionCode::AddStructuralBond,
            fixed(
                "Propose a structural bond: system integration or a dedicated service",
                "nba-add-structural-bond",
            ),
            vec![tier_level()],
            b.soon(),
        );
    }
    if f.stage == Stage::Maturity {
        if let Some(share) = s
            .share_of_wallet
            .filter(|&w| w < cfg.actions.cross_sell_share)
        {
            b.push(
                ActionCode::CrossSell,
                fixed(
                    "Cross-sell or up-sell: most of the customer's category spend goes elsewhere",
                    "nba-cross-sell",
                ),
                vec![(
                    format!(
                        "share of wallet {} (revenue 12 months {} of category spend {}), below {}",
                        percent(share),
                        money(f.revenue_12m),
                        money(f.category_spend.unwrap_or(0.0)),
                        percent(cfg.actions.cross_sell_share)
                    ),
                    Text::new("why-share-of-wallet")
                        .arg("share", percent(share))
                        .arg("revenue", money(f.revenue_12m))
                        .arg("spend", money(f.category_spend.unwrap_or(0.0)))
                        .arg("threshold", percent(cfg.actions.cross_sell_share)),
                )],
                b.soon(),
            );
        }
        if tier_gold_or_better(s.tier) {
            b.push(
                ActionCode::DifferentiatedService,
                fixed(
                    "Offer differentiated service for a high-value customer",
                    "nba-differentiated-service",
                ),
                vec![(
                    format!("tier {tier_text}, stage maturity"),
                    Text::new("why-tier-stage")
                        .part("tier", tier_said.clone())
                        .part("stage", Text::code("stage", Stage::Maturity.code())),
                )],
                b.soon(),
            );
        }
    }
    if s.actual < s.recommended {
        b.push(
            ActionCode::RaiseIntensity,
            (
                format!(
                    "Raise the relationship from {} to {}: schedule outbound check-ins",
                    s.actual, s.recommended
                ),
                Text::new("nba-raise-intensity")
                    .part("from", Text::code("relationship", s.actual.code()))
                    .part("to", Text::code("relationship", s.recommended.code())),
            ),
            vec![(
                format!(
                    "recommended {} ({} customers for {}, margin rate {}); actual {} ({} inbound, {} outbound in the last {} days)",
                    s.recommended,
                    s.owner_customers,
                    if f.owner.is_empty() { "no owner" } else { &f.owner },
                    percent(f.margin_rate),
                    s.actual,
                    f.inbound_recent,
                    f.outbound_recent,
                    cfg.intensity.window_days
                ),
                Text::new("why-intensity")
                    .part("recommended", Text::code("relationship", s.recommended.code()))
                    .arg("customers", s.owner_customers)
                    .part(
                        "owner",
                        if f.owner.is_empty() {
                            Text::new("why-no-owner")
                        } else {
                            Text::new("ev-plain").arg("text", &f.owner)
                        },
                    )
                    .arg("rate", percent(f.margin_rate))
                    .part("actual", Text::code("relationship", s.actual.code()))
                    .arg("inbound", f.inbound_recent)
                    .arg("outbound", f.outbound_recent)
                    .arg("days", cfg.intensity.window_days),
            )],
            b.soon(),
        );
    }
    if tier_gold_or_better(s.tier) {
        let silent = f
            .last_contact
            .map(|d| f.as_of_day() - day_number(d))
            .filter(|&days| days < cfg.actions.check_in_days);
        if silent.is_none() {
            let (since, since_said) = match f.last_contact {
                None => fixed("no contact on record", "why-no-contact-record"),
                Some(d) => {
                    let days = f.as_of_day() - day_number(d);
                    (
                        format!("no contact for {days} days (since {d})"),
                        Text::new("why-no-contact-days")
                            .arg("n", days)
                            .arg("date", d),
                    )
                }
            };
            b.push(
                ActionCode::CheckIn,
                fixed("Personal check-in", "nba-check-in"),
                vec![(
                    format!("tier {tier_text}, {since}"),
                    Text::new("why-check-in")
                        .part("tier", tier_said)
                        .part("since", since_said),
                )],
                b.soon(),
            );
        }
    }
    complete_profile(b, f);
}

fn decline(b: &mut Builder, s: &Situation) {
    let f = s.facts;
    let cfg = b.cfg;
    let w = cfg.lifecycle.window_days;
    b.push(
        ActionCode::DiagnoseDecline,
        (
            format!(
                "Contact within {} days and find the cause: price, product, service, a competitor, dropped by us, or involuntary",
                cfg.actions.decline_contact_days
            ),
            Text::new("nba-diagnose-decline").arg("n", cfg.actions.decline_contact_days),
        ),
        s.evidence(None),
        b.urgent(),
    );
    if f.competitor_last > 0 {
        b.push(
            ActionCode::CounterCompetitor,
            fixed(
                "Counter the competitor: restate our value and answer the offer where it matters",
                "nba-counter-competitor",
            ),
            vec![(
                format!(
                    "competitor mentioned {}× in the last {w} days",
                    f.competitor_last
                ),
                Text::new("why-competitor")
                    .arg("n", f.competitor_last)
                    .arg("w", w),
            )],
            b.urgent(),
        );
    }
    if f.complaints_last > 0 {
        b.push(
            ActionCode::ServiceRecovery,
            fixed(
                "Recover the service: apologise, fix the problem, confirm it stays fixed",
                "nba-service-recovery",
            ),
            vec![(
                format!(
                    "{} complaints or negative outcomes in the last {w} days",
                    f.complaints_last
                ),
                Text::new("why-complaints")
                    .arg("n", f.complaints_last)
                    .arg("w", w),
            )],
            b.urgent(),
        );
    }
    if decline_signals(f, cfg).satisfaction == Hit::Fired {
        let mean = f.mean_satisfaction_last().unwrap_or(0.0);
        b.push(
            ActionCode::EscalateProduct,
            fixed(
                "Escalate the product problem: performance is below what the customer expected",
                "nba-escalate-product",
            ),
            vec![(
                format!("mean satisfaction {mean:.1} in the last {w} days"),
                Text::new("why-satisfaction")
                    .arg("mean", format!("{mean:.1}"))
                    .arg("w", w),
            )],
            b.urgent(),
        );
    }
    if f.price_objection_last > 0 {
        b.push(
            ActionCode::RetentionOffer,
            fixed("Make a retention offer on price", "nba-retention-offer"),
            vec![(
                format!(
                    "price objection {}× in the last {w} days",
                    f.price_objection_last
                ),
                Text::new("why-price-objection")
                    .arg("n", f.price_objection_last)
                    .arg("w", w),
            )],
            b.urgent(),
        );
    }
}

#[cfg(test)]
#[path = "actions_tests.rs"]
mod tests;
