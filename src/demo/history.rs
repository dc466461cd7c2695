//! The dated parts of a demo customer: a calendar counted in days before `today`, order
//! series and contacts with notes.

use jiff::civil::Date;
use jiff::tz::Offset;
use jiff::Timestamp;

use super::rng::Rng;
use crate::domain::model::{Channel, Direction, Interaction, Order, Outcome, Purpose, Signal};

/// Days before `today` as dates and instants, without calendar arithmetic per call.
pub(crate) struct Clock {
    pub today: Date,
    today_day: i64,
}

impl Clock {
    pub fn new(today: Date) -> Self {
        let epoch = jiff::civil::date(1970, 1, 1);
        let today_day = today
            .since(epoch)
            .map_or(0, |span| i64::from(span.get_days()));
        Clock { today, today_day }
    }

    /// The date `ago` days before today (after it when negative).
    pub fn date(&self, ago: i64) -> Date {
        match Timestamp::from_second((self.today_day - ago) * 86_400) {
            Ok(ts) => Offset::UTC.to_datetime(ts).date(),
            Err(_) => self.today,
        }
    }

    /// An instant on the day `ago` days before today, `second` seconds after midnight UTC.
    pub fn at(&self, ago: i64, second: i64) -> Timestamp {
        Timestamp::from_second((self.today_day - ago) * 86_400 + second)
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }
}

/// How a customer buys: a regular cadence that divides 90 days, so the two 90-day windows
/// the lifecycle rules compare hold the same number of orders unless a shape changes them.
pub(crate) struct OrderPlan {
    pub base: f64,
    pub margin_rate: f64,
    pub margin_known: bool,
    pub cadence: i64,
}

impl OrderPlan {
    pub fn new(rng: &mut Rng, cadences: &[i64]) -> Self {
        OrderPlan {
            // Log-uniform between 300 and 60 000 per order.
            base: 300.0 * 200f64.powf(rng.unit()),
            margin_rate: 0.08 + 0.42 * rng.unit(),
            margin_known: rng.chance(0.85),
            cadence: rng.pick(cadences),
        }
    }

    /// A last-order offset that never lands on or next to a window boundary.
    pub fn offset(&self, rng: &mut Rng) -> i64 {
        rng.range(2, self.cadence - 2)
    }

    pub fn yearly_revenue(&self) -> f64 {
        self.base * 365.0 / self.cadence as f64
    }

    /// Orders every `cadence` days from `newest` back to `oldest` days ago; `factor` scales
    /// the amount by age. Orders older than 200 days drift a little off the cadence.
    pub fn push(
        &self,
        rng: &mut Rng,
        clock: &Clock,
        oldest: i64,
        newest: i64,
        factor: impl Fn(i64) -> f64,
        out: &mut Vec<Order>,
    ) {
        let mut ago = newest;
        while ago <= oldest {
            let day = if ago > 200 {
                ago + rng.range(-self.cadence / 5, self.cadence / 5)
            } else {
                ago
            };
            let noise = 0.95 + 0.1 * rng.unit();
            let amount = (self.base * factor(ago) * noise).round().max(1.0);
            out.push(Order {
                date: clock.date(day),
                amount,
                margin: self
                    .margin_known
                    .then(|| (amount * self.margin_rate).round()),
            });
            ago += self.cadence;
        }
    }
}

/// Who wrote a contact and in which language notes are written.
pub(crate) struct Voice<'a> {
    pub author: &'a str,
    pub chinese: bool,
}

/// A contact `ago` days before today in office hours.
#[allow(clippy::too_many_arguments)]
pub(crate) fn contact(
    rng: &mut Rng,
    clock: &Clock,
    voice: &Voice,
    ago: i64,
    purpose: Purpose,
    direction: Direction,
    outcome: Outcome,
    satisfaction: Option<u8>,
    signals: Vec<Signal>,
) -> Interaction {
    let channel = Channel::ALL[rng.weighted(&[30, 30, 15, 10, 5, 4, 6])];
    let second = rng.range(1, 9) * 3600 + rng.range(0, 59) * 60;
    Interaction {
        at: clock.at(ago, second),
        channel,
        direction,
        purpose,
        outcome,
        satisfaction,
        signals,
        note: note(rng, purpose, voice.chinese).to_string(),
        follow_up: None,
        author: voice.author.to_string(),
    }
}

fn note(rng: &mut Rng, purpose: Purpose, chinese: bool) -> &'static str {
    let (en, zh): (&[&str], &[&str]) = match purpose {
        Purpose::Sales => (
            &[
                "presented the new price list",
                "quoted for the spring order",
                "demo of the premium line; interested in a bundle",
                "discussed a framework agreement for next year",
            ],
            &["介绍了新价目表", "报价春季订单", "演示高端产品线"],
        ),
        Purpose::Service => (
            &[
                "delivery two days late; apologised and expedited",
                "helped set up the online ordering portal",
                "replaced a faulty unit under warranty",
            ],
            &["交货延迟两天，已道歉并加急", "协助开通在线订货平台"],
        ),
        Purpose::Complaint => (
            &[
                "damaged goods in the last shipment",
                "invoice errors again; wants a single contact",
                "product fails under heavy use; considering alternatives",
                "support too slow to answer",
            ],
            &["投诉交货延迟", "发票再次出错", "产品质量问题"],
        ),
        Purpose::Inquiry => (
            &[
                "asked about volume pricing",
                "asked for samples of the new range",
                "asked about delivery times to the new warehouse",
            ],
            &["询问批量价格", "索取新品样品"],
        ),
        Purpose::FollowUp => (
            &[
                "checked satisfaction after delivery",
                "followed up on the quote",
                "follow-up call on the open issue",
            ],
            &["回访满意度", "跟进报价"],
        ),
        Purpose::Social => (
            &[
                "lunch with the purchasing team",
                "invited to the customer club evening",
                "congratulated on their anniversary",
            ],
            &["邀请参加客户俱乐部活动", "与采购团队共进午餐"],
        ),
        Purpose::WinBack => (
            &[
                "win-back call: listened to why they left",
                "offered a trial order at the old terms",
                "sent a personal letter from the manager",
            ],
            &["挽回客户：了解流失原因", "提供试用订单"],
        ),
        Purpose::Other => (
            &["updated the billing address", "sent season's greetings"],
            &["更新开票地址", "节日问候"],
        ),
    };
    if chinese && rng.chance(0.5) {
        rng.pick(zh)
    } else {
        rng.pick(en)
    }
}
