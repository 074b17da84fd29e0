//! Province-level divisions of mainland China by their GB/T 2260 code, the first two digits of
//! every region code and of every resident ID number.

use crate::error::Error;

/// A province-level division: code, Chinese name, English name (both names accepted as input),
/// and the one-character abbreviation that begins its ICP filing numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Province {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// The abbreviation in ICP filing numbers (`京ICP备12345678号`). It is the province's official
    /// short name (简称) as the State Council lists it, and where the list gives two, the one
    /// filing numbers use: 蜀 for Sichuan (not 川), 黔 for Guizhou (not 贵), 滇 for Yunnan (not
    /// 云), 陇 for Gansu (not 甘), as published filing numbers show (e.g. 蜀ICP备08088888号,
    /// 陇ICP备15000343号-1, 黔ICP备15014846号-1, 滇ICP备12006807号-1).
    pub abbr: &'static str,
}

const fn p(code: &'static str, zh: &'static str, en: &'static str, abbr: &'static str) -> Province {
    Province { code, zh, en, abbr }
}

/// The 31 mainland divisions where ICP filings are made.
pub const ALL: [Province; 31] = [
    p("11", "北京", "Beijing", "京"),
    p("12", "天津", "Tianjin", "津"),
    p("13", "河北", "Hebei", "冀"),
    p("14", "山西", "Shanxi", "晋"),
    p("15", "内蒙古", "Inner Mongolia", "蒙"),
    p("21", "辽宁", "Liaoning", "辽"),
    p("22", "吉林", "Jilin", "吉"),
    p("23", "黑龙江", "Heilongjiang", "黑"),
    p("31", "上海", "Shanghai", "沪"),
    p("32", "江苏", "Jiangsu", "苏"),
    p("33", "浙江", "Zhejiang", "浙"),
    p("34", "安徽", "Anhui", "皖"),
    p("35", "福建", "Fujian", "闽"),
    p("36", "江西", "Jiangxi", "赣"),
    p("37", "山东", "Shandong", "鲁"),
    p("41", "河南", "Henan", "豫"),
    p("42", "湖北", "Hubei", "鄂"),
    p("43", "湖南", "Hunan", "湘"),
    p("44", "广东", "Guangdong", "粤"),
    p("45", "广西", "Guangxi", "桂"),
    p("46", "海南", "Hainan", "琼"),
    p("50", "重庆", "Chongqing", "渝"),
    p("51", "四川", "Sichuan", "蜀"),
    p("52", "贵州", "Guizhou", "黔"),
    p("53", "云南", "Yunnan", "滇"),
    p("54", "西藏", "Tibet", "藏"),
    p("61", "陕西", "Shaanxi", "陕"),
    p("62", "甘肃", "Gansu", "陇"),
    p("63", "青海", "Qinghai", "青"),
    p("64", "宁夏", "Ningxia", "宁"),
    p("65", "新疆", "Xinjiang", "新"),
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

/// Finds a province by the abbreviation its ICP filing numbers begin with: `京`, `蜀`.
pub fn by_abbr(abbr: &str) -> Option<&'static Province> {
    ALL.iter().find(|p| p.abbr == abbr)
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
    fn abbreviations_are_distinct_single_characters() {
        for p in &ALL {
            assert_eq!(p.abbr.chars().count(), 1, "{}", p.zh);
            assert_eq!(by_abbr(p.abbr), Some(p));
        }
        assert_eq!(by_abbr("蜀").unwrap().code, "51");
        assert_eq!(by_abbr("陇").unwrap().code, "62");
        for other in ["川", "甘", "贵", "云", "", "京京", "J"] {
            assert_eq!(by_abbr(other), None, "{other}");
        }
    }

    #[test]
    fn unknown_inputs_are_typed_errors() {
        for input in ["", "00", "99", "3", "320", "81", "Atlantis", "江苏省省"] {
            assert_eq!(find(input).unwrap_err().code(), crate::Code::UnknownProvince, "{input}");
        }
    }
}
