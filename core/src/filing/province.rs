//! Province-level divisions of mainland China by their GB/T 2260 code, the first two digits of
//! every region code and of every resident ID number.

use crate::error::Error;

/// A province-level division: code, Chinese name, English name (both names accepted as input).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Province {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

const fn p(code: &'static str, zh: &'static str, en: &'static str) -> Province {
    Province { code, zh, en }
}

/// The 31 mainland divisions where ICP filings are made.
pub const ALL: [Province; 31] = [
    p("11", "北京", "Beijing"),
    p("12", "天津", "Tianjin"),
    p("13", "河北", "Hebei"),
    p("14", "山西", "Shanxi"),
    p("15", "内蒙古", "Inner Mongolia"),
    p("21", "辽宁", "Liaoning"),
    p("22", "吉林", "Jilin"),
    p("23", "黑龙江", "Heilongjiang"),
    p("31", "上海", "Shanghai"),
    p("32", "江苏", "Jiangsu"),
    p("33", "浙江", "Zhejiang"),
    p("34", "安徽", "Anhui"),
    p("35", "福建", "Fujian"),
    p("36", "江西", "Jiangxi"),
    p("37", "山东", "Shandong"),
    p("41", "河南", "Henan"),
    p("42", "湖北", "Hubei"),
    p("43", "湖南", "Hunan"),
    p("44", "广东", "Guangdong"),
    p("45", "广西", "Guangxi"),
    p("46", "海南", "Hainan"),
    p("50", "重庆", "Chongqing"),
    p("51", "四川", "Sichuan"),
    p("52", "贵州", "Guizhou"),
    p("53", "云南", "Yunnan"),
    p("54", "西藏", "Tibet"),
    p("61", "陕西", "Shaanxi"),
    p("62", "甘肃", "Gansu"),
    p("63", "青海", "Qinghai"),
    p("64", "宁夏", "Ningxia"),
    p("65", "新疆", "Xinjiang"),
];

/// Finds a province by code (`32`, or a six-digit region code such as `320000`), Chinese name
/// (`江苏`) or English name (`jiangsu`, any case).
pub fn find(input: &str) -> Result<&'static Province, Error> {
    let s = input.trim();
    let code = if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) { &s[..2] } else { s };
    ALL.iter()
        .find(|p| p.code == code || p.zh == s || same_name(p.en, s))
        .ok_or_else(|| Error::UnknownProvince { province: input.chars().take(32).collect() })
}

/// `Inner Mongolia` matches `inner-mongolia`, `innermongolia` and `INNER MONGOLIA`.
fn same_name(en: &str, input: &str) -> bool {
    let letters = |t: &str| t.chars().filter(|c| c.is_ascii_alphabetic()).map(|c| c.to_ascii_lowercase()).collect::<String>();
    !input.is_empty() && letters(en) == letters(input) && input.chars().all(|c| c.is_ascii_alphabetic() || c == ' ' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_by_code_region_and_name() {
        for input in ["32", "320000", "江苏", "Jiangsu", " jiangsu "] {
            assert_eq!(find(input).unwrap().code, "32", "{input}");
        }
        assert_eq!(find("61").unwrap().en, "Shaanxi");
        assert_eq!(find("14").unwrap().en, "Shanxi");
        assert_eq!(find("inner-mongolia").unwrap().code, "15");
    }

    #[test]
    fn unknown_inputs_are_typed_errors() {
        for input in ["", "00", "99", "3", "320", "81", "Atlantis", "江苏省省"] {
            assert_eq!(find(input).unwrap_err().code(), crate::Code::UnknownProvince, "{input}");
        }
    }
}
