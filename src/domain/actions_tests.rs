use super::*;
use crate::domain::card::Level;
use crate::domain::model::Lost;
use crate::domain::testkit::*;
use ActionCode::*;
use RelationshipType::{Accountable, Proactive, Reactive};

const AS_OF: &str = "2026-06-30";

fn facts(stage: Stage) -> CustomerFacts {
    let mut f = account("a")
        .order("2026-06-01", 1000.0, Some(300.0))
        .facts(AS_OF);
    f.stage = stage;
    f.last_contact = Some(d("2026-06-29"));
    f
}

fn situation<'a>(f: &'a CustomerFacts, evidence: &'a [String]) -> Situation<'a> {
    Situation {
        facts: f,
        stage_evidence: evidence,
        stage_evidence_said: &[],
        tier: Some(Tier::Iron),
        recommended: Accountable,
        actual: Accountable,
        owner_customers: 10,
        share_of_wallet: Some(0.8),
        win_back_value: 0.0,
    }
}

fn codes(s: &Situation) -> Vec<ActionCode> {
    next_best_actions(s, &Config::default())
        .iter()
        .map(|a| a.code)
        .collect()
}

type FactsEdit = fn(&mut CustomerFacts);
type SituationEdit = fn(&mut Situation);

#[test]
fn every_code_fires_in_its_case() {
    let none: SituationEdit = |_| {};
    let cases: Vec<(&str, Stage, FactsEdit, SituationEdit, Vec<ActionCode>)> = vec![
        ("quiet mature iron", Stage::Maturity, |_| {}, none, vec![]),
        (
            "overdue follow-up",
            Stage::Maturity,
            |f| {
                f.overdue_follow_ups = 1;
                f.oldest_overdue = Some(d("2026-06-20"))
            },
            none,
            vec![FollowUpOverdue],
        ),
        (
            "profile gaps",
            Stage::Maturity,
            |f| {
                f.has_contact = false;
                f.segment = " ".into()
            },
            none,
            vec![CompleteProfile],
        ),
        (
            "prospect",
            Stage::Acquisition,
            |f| f.category_spend = None,
            none,
            vec![QualifyProspect, CompleteProfile],
        ),
        ("growth", Stage::Growth, |_| {}, none, vec![NurtureGrowth]),
        (
            "gold, financial level",
            Stage::Growth,
            |f| f.level = Level::Financial,
            |s| s.tier = Some(Tier::Gold),
            vec![AddSocialBond, NurtureGrowth],
        ),
        (
            "gold, social level",
            Stage::Growth,
            |f| f.level = Level::Social,
            |s| s.tier = Some(Tier::Gold),
            vec![NurtureGrowth],
        ),
        (
            "platinum, social level",
            Stage::Growth,
            |f| f.level = Level::Social,
            |s| s.tier = Some(Tier::Platinum),
            vec![AddStructuralBond, NurtureGrowth],
        ),
        (
            "platinum, structural level",
            Stage::Growth,
            |f| f.level = Level::Structural,
            |s| s.tier = Some(Tier::Platinum),
            vec![NurtureGrowth],
        ),
        (
            "mature, share 49 %",
            Stage::Maturity,
            |_| {},
            |s| s.share_of_wallet = Some(0.49),
            vec![CrossSell],
        ),
        (
            "mature, share 50 %",
            Stage::Maturity,
            |_| {},
            |s| s.share_of_wallet = Some(0.50),
            vec![],
        ),
        (
            "growing, share 10 %",
            Stage::Growth,
            |_| {},
            |s| s.share_of_wallet = Some(0.10),
            vec![NurtureGrowth],
        ),
        (
            "mature gold, social",
            Stage::Maturity,
            |f| f.level = Level::Social,
            |s| s.tier = Some(Tier::Gold),
            vec![DifferentiatedService],
        ),
        (
            "decline",
            Stage::Decline,
            |_| {},
            none,
            vec![DiagnoseDecline],
        ),
        (
            "decline on price",
            Stage::Decline,
            |f| f.price_objection_last = 1,
            none,
            vec![DiagnoseDecline, RetentionOffer],
        ),
        (
            "decline on service",
            Stage::Decline,
            |f| f.complaints_last = 2,
            none,
            vec![DiagnoseDecline, ServiceRecovery],
        ),
        (
            "decline on product",
            Stage::Decline,
            |f| {
                f.satisfaction_sum_last = 2.0;
                f.satisfaction_count_last = 1
            },
            none,
            vec![DiagnoseDecline, EscalateProduct],
        ),
        (
            "decline to a competitor",
            Stage::Decline,
            |f| f.competitor_last = 2,
            none,
            vec![DiagnoseDecline, CounterCompetitor],
        ),
        (
            "under-served",
            Stage::Maturity,
            |_| {},
            |s| {
                s.recommended = Proactive;
                s.actual = Reactive
            },
            vec![RaiseIntensity],
        ),
        (
            "over-served is fine",
            Stage::Maturity,
            |_| {},
            |s| {
                s.recommended = Reactive;
                s.actual = Proactive
            },
            vec![],
        ),
        (
            "prospect under-served: qualify instead",
            Stage::Acquisition,
            |_| {},
            |s| {
                s.recommended = Proactive;
                s.actual = RelationshipType::Basic
            },
            vec![QualifyProspect],
        ),
        (
            "gold, silent 90 days",
            Stage::Maturity,
            |f| {
                f.level = Level::Social;
                f.last_contact = Some(d("2026-04-01"))
            },
            |s| s.tier = Some(Tier::Gold),
            vec![CheckIn, DifferentiatedService],
        ),
        (
            "gold, silent 89 days",
            Stage::Maturity,
            |f| {
                f.level = Level::Social;
                f.last_contact = Some(d("2026-04-02"))
            },
            |s| s.tier = Some(Tier::Gold),
            vec![DifferentiatedService],
        ),
        (
            "gold, never contacted",
            Stage::Growth,
            |f| {
                f.level = Level::Social;
                f.last_contact = None
            },
            |s| s.tier = Some(Tier::Gold),
            vec![CheckIn, NurtureGrowth],
        ),
        (
            "iron, silent",
            Stage::Maturity,
            |f| f.last_contact = None,
            none,
            vec![],
        ),
        (
            "churned, worth winning back",
            Stage::Churned,
            |f| {
                f.lost = Some(Lost {
                    date: d("2026-01-01"),
                    reason: LostReason::Price,
                })
            },
            |s| s.win_back_value = 401.0,
            vec![WinBack],
        ),
        (
            "churned by silence, worth it",
            Stage::Churned,
            |_| {},
            |s| s.win_back_value = 5000.0,
            vec![WinBack],
        ),
        (
            "churned, not worth it",
            Stage::Churned,
            |_| {},
            |s| s.win_back_value = 400.0,
            vec![LetGo],
        ),
        (
            "churned deliberately",
            Stage::Churned,
            |f| {
                f.lost = Some(Lost {
                    date: d("2026-01-01"),
                    reason: LostReason::Deliberate,
                })
            },
            |s| s.win_back_value = 9000.0,
            vec![LetGo],
        ),
        (
            "churned involuntarily",
            Stage::Churned,
            |f| {
                f.lost = Some(Lost {
                    date: d("2026-01-01"),
                    reason: LostReason::Involuntary,
                })
            },
            |s| s.win_back_value = 9000.0,
            vec![LetGo],
        ),
        (
            "churned with a late follow-up",
            Stage::Churned,
            |f| {
                f.overdue_follow_ups = 2;
                f.oldest_overdue = Some(d("2026-06-01"));
                f.has_contact = false
            },
            |s| s.win_back_value = 9000.0,
            vec![FollowUpOverdue, WinBack],
        ),
    ];
    let mut seen = std::collections::BTreeSet::new();
    for (name, stage, edit_facts, edit_situation, expected) in cases {
        let mut f = facts(stage);
        edit_facts(&mut f);
        let evidence = vec!["evidence".to_string()];
        let mut s = situation(&f, &evidence);
        edit_situation(&mut s);
        let got = codes(&s);
        assert_eq!(got, expected, "{name}");
        seen.extend(got);
    }
    assert_eq!(
        seen.len(),
        ActionCode::ALL.len(),
        "every code fires somewhere"
    );
}

#[test]
fn ranking_follows_the_priority_order() {
    let mut f = facts(Stage::Decline);
    f.overdue_follow_ups = 1;
    f.oldest_overdue = Some(d("2026-06-29"));
    f.complaints_last = 2;
    f.competitor_last = 1;
    f.price_objection_last = 1;
    f.satisfaction_sum_last = 1.0;
    f.satisfaction_count_last = 1;
    f.last_contact = None;
    f.category_spend = None;
    let evidence = vec!["decline score 4 (decline at 2)".to_string()];
    let mut s = situation(&f, &evidence);
    s.tier = Some(Tier::Platinum);
    s.recommended = Proactive;
    s.actual = Reactive;
    s.share_of_wallet = None;
    assert_eq!(
        codes(&s),
        [
            FollowUpOverdue,
            DiagnoseDecline,
            CounterCompetitor,
            ServiceRecovery,
            EscalateProduct,
            RetentionOffer,
            CheckIn,
            AddStructuralBond,
            AddSocialBond,
            RaiseIntensity,
            CompleteProfile,
        ]
    );
    // Every code has a distinct rank.
    let mut ranks: Vec<usize> = ActionCode::ALL.iter().map(|&c| priority(c)).collect();
    ranks.sort_unstable();
    ranks.dedup();
    assert_eq!(ranks.len(), ActionCode::ALL.len());
}

#[test]
fn due_dates_and_words() {
    let mut f = facts(Stage::Decline);
    f.overdue_follow_ups = 2;
    f.oldest_overdue = Some(d("2026-06-20"));
    f.price_objection_last = 2;
    let evidence = vec![
        "decline score 2 (decline at 2)".to_string(),
        "x".to_string(),
    ];
    let mut s = situation(&f, &evidence);
    s.recommended = Proactive;
    s.actual = Reactive;
    let actions = next_best_actions(&s, &Config::default());
    let due: Vec<(ActionCode, Date)> = actions.iter().map(|a| (a.code, a.due)).collect();
    assert_eq!(
        due,
        [
            (FollowUpOverdue, d("2026-06-30")),
            (DiagnoseDecline, d("2026-07-02")),
            (RetentionOffer, d("2026-07-02")),
            (RaiseIntensity, d("2026-07-07")),
        ]
    );
    assert_eq!(
        actions[0].why,
        ["2 follow-ups overdue, oldest due 2026-06-20 (10 days late)"]
    );
    assert_eq!(actions[1].why, evidence);
    assert_eq!(actions[2].why, ["price objection 2× in the last 90 days"]);
    assert_eq!(
        actions[3].why,
        ["recommended proactive (10 customers for alice, margin rate 30 %); actual reactive (0 inbound, 0 outbound in the last 180 days)"]
    );
    assert_eq!(
        actions[3].action,
        "Raise the relationship from reactive to proactive: schedule outbound check-ins"
    );
}

#[test]
fn win_back_explains_the_value() {
    let f = facts(Stage::Churned);
    let evidence = vec!["no order for 400 days; churned after 365 days".to_string()];
    let mut s = situation(&f, &evidence);
    s.win_back_value = 2500.0;
    let actions = next_best_actions(&s, &Config::default());
    assert_eq!(actions[0].code, WinBack);
    assert_eq!(
        actions[0].why,
        [
            "no order for 400 days; churned after 365 days",
            "second-lifecycle value 2 500 > win-back cost 400",
        ]
    );
    assert_eq!(actions[0].due, d("2026-07-07"));
}
