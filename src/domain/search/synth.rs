//! A deterministic generator of realistic customers for benchmarks and tests of search:
//! English and (about 20 %) Chinese people and companies, with contact persons, phones,
//! e-mail addresses, tags and segments. Pure: the same seed gives the same book.

use jiff::civil::date;

use crate::domain::model::{Contact, Customer, CustomerKind};

const FIRST: &[&str] = &[
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "William",
    "Elizabeth",
    "David",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Daniel",
    "Nancy",
    "Matthew",
    "Lisa",
    "Anthony",
    "Betty",
    "Mark",
    "Margaret",
    "Paul",
    "Sandra",
    "Steven",
    "Ashley",
    "Andrew",
    "Emily",
    "Kenneth",
    "Donna",
    "Joshua",
    "Michelle",
    "Kevin",
    "Carol",
    "Brian",
    "Amanda",
    "George",
    "Melissa",
    "Renée",
    "José",
    "Zoë",
    "Jürgen",
    "François",
    "Søren",
];
const LAST: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Müller",
    "Schröder",
    "O'Brien",
    "Novák",
];
const PINYIN_SURNAME: &[&str] = &[
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma",
    "Zhu", "Hu", "Guo", "He", "Gao", "Lin", "Luo",
];
const PINYIN_GIVEN: &[&str] = &[
    "Wei", "Fang", "Na", "Min", "Jing", "Li", "Qiang", "Lei", "Jun", "Yang", "Yong", "Yan", "Jie",
    "Tao", "Ming", "Chao", "Xiu Ying", "Hui", "Xin", "Hao",
];
const HAN_SURNAME: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗",
];
const HAN_GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超",
    "秀英", "华", "鑫", "浩",
];
const CITY: &[&str] = &[
    "北京", "上海", "广州", "深圳", "杭州", "成都", "南京", "武汉", "苏州", "天津",
];
const BRAND: &[&str] = &[
    "华信",
    "恒通",
    "联创",
    "宏达",
    "新世纪",
    "金桥",
    "东方",
    "中科",
    "瑞丰",
    "博远",
    "天成",
    "永安",
    "卓越",
    "海纳",
    "启明",
];
const TRADE: &[&str] = &[
    "科技", "贸易", "制造", "物流", "电子", "医药", "建材", "食品", "软件", "咨询",
];
const COMPANY_WORD: &[&str] = &[
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Northwind",
    "Contoso",
    "Fabrikam",
    "Tailspin",
    "Vandelay",
    "Hooli",
    "Pied Piper",
    "Blue Harbor",
    "Silver Oak",
    "Red Rock",
    "Summit",
    "Pioneer",
    "Evergreen",
    "Atlas",
    "Zenith",
    "Orion",
];
const COMPANY_KIND: &[&str] = &[
    "Trading Co.",
    "Industries",
    "Logistics",
    "Systems",
    "Foods",
    "Pharma",
    "Holdings",
    "Software",
    "Consulting",
    "Manufacturing",
    "GmbH",
    "Ltd.",
];
const ROLE: &[&str] = &[
    "buyer",
    "owner",
    "purchasing manager",
    "ceo",
    "engineer",
    "finance",
];
const TAG: &[&str] = &[
    "key-account",
    "vip",
    "prospect",
    "reseller",
    "export",
    "wholesale",
    "new",
];
const SEGMENT: &[&str] = &[
    "manufacturing",
    "retail",
    "healthcare",
    "logistics",
    "software",
    "food",
    "construction",
    "education",
    "finance",
    "energy",
];

/// A small, fast, seedable generator (xorshift64*): the benchmarks need millions of draws.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// `n` customers with ids `c000000`, `c000001`, ...; the same `seed` gives the same list.
pub fn customers(n: usize, seed: u64) -> Vec<Customer> {
    let mut rng = Rng::new(seed);
    (0..n).map(|i| customer(&mut rng, i)).collect()
}

fn customer(rng: &mut Rng, i: usize) -> Customer {
    let chinese = rng.chance(20);
    let organization = rng.chance(55);
    let name = match (chinese, organization) {
        (true, true) => format!(
            "{}{}{}有限公司",
            rng.pick(CITY),
            rng.pick(BRAND),
            rng.pick(TRADE)
        ),
        (true, false) => format!("{}{}", rng.pick(HAN_SURNAME), rng.pick(HAN_GIVEN)),
        (false, true) => format!("{} {}", rng.pick(COMPANY_WORD), rng.pick(COMPANY_KIND)),
        (false, false) => format!("{} {}", rng.pick(FIRST), rng.pick(LAST)),
    };
    let contacts = (0..1 + rng.below(2))
        .map(|_| contact(rng, chinese, organization))
        .collect();
    let tags = (0..rng.below(3))
        .map(|_| rng.pick(TAG).to_string())
        .collect();
    Customer {
        id: format!("c{i:06}"),
        name,
        kind: if organization {
            CustomerKind::Organization
        } else {
            CustomerKind::Person
        },
        segment: rng.pick(SEGMENT).to_string(),
        owner: "alice".to_string(),
        created: date(2023, 1, 1),
        tags,
        category_spend: None,
        contacts,
        note: String::new(),
        lost: None,
    }
}

fn contact(rng: &mut Rng, chinese: bool, organization: bool) -> Contact {
    let (first, last) = if chinese {
        (rng.pick(PINYIN_GIVEN), rng.pick(PINYIN_SURNAME))
    } else {
        (rng.pick(FIRST), rng.pick(LAST))
    };
    // Chinese names put the family name first.
    let name = if chinese {
        format!("{last} {first}")
    } else {
        format!("{first} {last}")
    };
    let domain = if organization {
        rng.pick(COMPANY_WORD).replace(' ', "").to_lowercase()
    } else {
        "mail".to_string()
    };
    let phone = if chinese {
        format!(
            "+86 {} {:04} {:04}",
            10 + rng.below(90),
            rng.below(10_000),
            rng.below(10_000)
        )
    } else {
        format!("+1 {} 555 {:04}", 200 + rng.below(800), rng.below(10_000))
    };
    Contact {
        email: format!(
            "{}.{}@{domain}.example",
            first.to_lowercase().replace(' ', ""),
            last.to_lowercase()
        ),
        name,
        role: rng.pick(ROLE).to_string(),
        phone,
    }
}
