//! Names, roles, phones and e-mail addresses for the demo book, in English and Chinese.
//! Chinese names carry their pinyin so e-mail addresses look like real ones.

use super::rng::Rng;

const FIRST: &[&str] = &[
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Susan",
    "Richard",
    "Jessica",
    "Thomas",
    "Sarah",
    "Daniel",
    "Karen",
    "Matthew",
    "Nancy",
    "Anthony",
    "Lisa",
    "Mark",
    "Sandra",
    "Paul",
    "Ashley",
    "Steven",
    "Emily",
    "Andrew",
    "Olivia",
    "Kevin",
    "Sophie",
    "Brian",
    "Hannah",
    "George",
    "Grace",
    "Lucas",
    "Emma",
    "Omar",
    "Priya",
    "Carlos",
    "Lucia",
    "Hans",
    "Ingrid",
    "Pierre",
    "Chloe",
    "Ravi",
    "Aisha",
];

const LAST: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
    "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark",
    "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker",
    "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter", "Phillips", "Evans",
    "Turner", "Parker", "Collins", "Edwards", "Stewart", "Morris", "Murphy", "Cook", "Rogers",
    "Patel", "Garcia", "Schmidt", "Dubois", "Rossi", "Kowalski", "Novak", "Fischer", "Larsen",
];

const BRAND_A: &[&str] = &[
    "Blue", "North", "Silver", "Green", "Red", "Iron", "Oak", "Summit", "River", "Stone", "Bright",
    "Golden", "East", "West", "Harbor", "Maple", "Cedar", "Falcon", "Crown", "Pioneer", "Star",
    "Sun", "Lake", "Pine", "Eagle", "Atlas", "Nova", "Prime", "Clear", "True",
];

const BRAND_B: &[&str] = &[
    "peak", "wind", "field", "bridge", "gate", "line", "wood", "brook", "point", "view", "way",
    "stone", "light", "ridge", "haven", "works", "port", "crest", "vale", "mark",
];

const TRADE: &[&str] = &[
    "Trading",
    "Logistics",
    "Foods",
    "Manufacturing",
    "Electronics",
    "Textiles",
    "Machinery",
    "Packaging",
    "Pharma",
    "Builders",
    "Supplies",
    "Retail",
    "Hotels",
    "Software",
    "Farms",
    "Chemicals",
    "Furniture",
    "Motors",
    "Printing",
    "Medical",
];

const SUFFIX: &[&str] = &[
    "Co.", "Ltd", "Inc.", "LLC", "Group", "GmbH", "& Sons", "plc",
];

/// (surname, pinyin)
const CJK_SURNAME: &[(&str, &str)] = &[
    ("王", "wang"),
    ("李", "li"),
    ("张", "zhang"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("杨", "yang"),
    ("黄", "huang"),
    ("赵", "zhao"),
    ("周", "zhou"),
    ("吴", "wu"),
    ("徐", "xu"),
    ("孙", "sun"),
    ("马", "ma"),
    ("朱", "zhu"),
    ("胡", "hu"),
    ("郭", "guo"),
    ("何", "he"),
    ("林", "lin"),
    ("高", "gao"),
    ("罗", "luo"),
    ("郑", "zheng"),
    ("梁", "liang"),
    ("谢", "xie"),
    ("宋", "song"),
];

const CJK_GIVEN: &[(&str, &str)] = &[
    ("芳", "fang"),
    ("伟", "wei"),
    ("娜", "na"),
    ("敏", "min"),
    ("静", "jing"),
    ("丽", "li"),
    ("强", "qiang"),
    ("磊", "lei"),
    ("军", "jun"),
    ("洋", "yang"),
    ("勇", "yong"),
    ("艳", "yan"),
    ("杰", "jie"),
    ("娟", "juan"),
    ("涛", "tao"),
    ("明", "ming"),
    ("超", "chao"),
    ("秀英", "xiuying"),
    ("霞", "xia"),
    ("平", "ping"),
    ("刚", "gang"),
    ("桂英", "guiying"),
    ("建华", "jianhua"),
    ("晓明", "xiaoming"),
    ("海燕", "haiyan"),
    ("志强", "zhiqiang"),
];

const CJK_CITY: &[(&str, &str)] = &[
    ("北京", "bj"),
    ("上海", "sh"),
    ("广州", "gz"),
    ("深圳", "sz"),
    ("杭州", "hz"),
    ("成都", "cd"),
    ("南京", "nj"),
    ("武汉", "wh"),
    ("西安", "xa"),
    ("苏州", "su"),
    ("天津", "tj"),
    ("重庆", "cq"),
    ("青岛", "qd"),
    ("厦门", "xm"),
    ("宁波", "nb"),
    ("长沙", "cs"),
];

const CJK_BRAND: &[(&str, &str)] = &[
    ("华", "hua"),
    ("信", "xin"),
    ("泰", "tai"),
    ("恒", "heng"),
    ("瑞", "rui"),
    ("达", "da"),
    ("安", "an"),
    ("宏", "hong"),
    ("远", "yuan"),
    ("盛", "sheng"),
    ("鑫", "xin"),
    ("隆", "long"),
    ("新", "xin"),
    ("创", "chuang"),
    ("通", "tong"),
    ("博", "bo"),
    ("源", "yuan"),
    ("康", "kang"),
    ("明", "ming"),
    ("德", "de"),
    ("丰", "feng"),
    ("嘉", "jia"),
    ("永", "yong"),
    ("佳", "jia"),
];

const CJK_TRADE: &[(&str, &str)] = &[
    ("科技", "tech"),
    ("贸易", "trade"),
    ("物流", "logistics"),
    ("食品", "food"),
    ("医药", "pharma"),
    ("建材", "build"),
    ("电子", "electronics"),
    ("机械", "machinery"),
    ("纺织", "textile"),
    ("化工", "chem"),
    ("包装", "pack"),
    ("酒店管理", "hotels"),
];

const CJK_FORM: &[&str] = &["有限公司", "股份有限公司", "集团有限公司", "有限公司"];

const ROLES: &[&str] = &[
    "buyer",
    "purchasing manager",
    "CEO",
    "CFO",
    "operations lead",
    "IT manager",
    "office manager",
    "head of logistics",
    "owner",
    "procurement director",
];

const CJK_ROLES: &[&str] = &[
    "采购经理",
    "总经理",
    "财务总监",
    "运营主管",
    "信息部经理",
    "采购员",
    "董事长",
    "物流主管",
];

/// A person's display name and the local part of their e-mail address.
pub(crate) struct PersonName {
    pub display: String,
    pub mail: String,
}

pub(crate) fn person(rng: &mut Rng, cjk: bool) -> PersonName {
    if cjk {
        let (surname, s) = rng.pick(CJK_SURNAME);
        let (given, g) = rng.pick(CJK_GIVEN);
        PersonName {
            display: format!("{surname}{given}"),
            mail: format!("{g}.{s}"),
        }
    } else {
        let first = rng.pick(FIRST);
        let last = rng.pick(LAST);
        PersonName {
            display: format!("{first} {last}"),
            mail: format!("{}.{}", first.to_lowercase(), last.to_lowercase()),
        }
    }
}

/// A company's name and its e-mail domain.
pub(crate) fn company(rng: &mut Rng, cjk: bool) -> (String, String) {
    if cjk {
        let (city, c) = rng.pick(CJK_CITY);
        let (b1, p1) = rng.pick(CJK_BRAND);
        let (b2, p2) = rng.pick(CJK_BRAND);
        let (trade, t) = rng.pick(CJK_TRADE);
        let form = rng.pick(CJK_FORM);
        (
            format!("{city}{b1}{b2}{trade}{form}"),
            format!("{p1}{p2}-{t}.{c}.example.cn"),
        )
    } else {
        let a = rng.pick(BRAND_A);
        let b = rng.pick(BRAND_B);
        let trade = rng.pick(TRADE);
        let suffix = rng.pick(SUFFIX);
        (
            format!("{a}{b} {trade} {suffix}"),
            format!(
                "{}{b}-{}.example.com",
                a.to_lowercase(),
                trade.to_lowercase()
            ),
        )
    }
}

pub(crate) fn role(rng: &mut Rng, cjk: bool) -> &'static str {
    rng.pick(if cjk { CJK_ROLES } else { ROLES })
}

/// Numbers from ranges set aside for fiction (UK 020 7946 0xxx) or clearly made up.
pub(crate) fn phone(rng: &mut Rng, cjk: bool) -> String {
    if cjk {
        if rng.chance(0.5) {
            format!("+86 138 {:04} {:04}", rng.below(10_000), rng.below(10_000))
        } else {
            format!("+86 10 5555 {:04}", rng.below(10_000))
        }
    } else {
        format!("+44 20 7946 0{:03}", rng.below(1000))
    }
}
