//! ICP filing numbers (ICP备案号): a subject's `京ICP备12345678号`, and a website's
//! `京ICP备12345678号-1`, the subject's number and the website's sequence under it.
//!
//! The shape is the one the MIIT filing system (beian.miit.gov.cn) shows and sites display in
//! their footers: the filing province's abbreviation ([`Province::abbr`]), `ICP备`, the subject's
//! serial, `号`, and for a website `-` and its sequence number from 1. Serials of numbers first
//! issued before about 2020 have 8 digits, the first two the year (蜀ICP备08088888号 was first
//! issued in 2008); later ones have 10, the first four the year (陇ICP备2021003158号-1); older
//! descriptions also report 6-digit serials. The rule here accepts 6 to 10 digits: no serial of
//! 7 or 9 digits was found, but none can be ruled out either. An ICP licence (`京ICP证030173号`,
//! for commercial services) is not a filing number and is refused as such.
//!
//! Only half-width characters are accepted: `ICP` in upper-case ASCII, ASCII digits and an ASCII
//! `-`, as the filing system writes them. Full-width letters, digits or dashes, lower-case `icp`
//! and spaces are refused with a message saying what to change, not corrected.

use crate::code::Code;
use crate::filing::invalid::{invalid, Invalid};
use crate::filing::province::{self, Province};

/// A valid filing number, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilingNumber {
    /// The province whose abbreviation begins the number (the filing province).
    pub province: &'static Province,
    /// The subject's serial: 6 to 10 ASCII digits, leading zeros kept (`08088888`).
    pub serial: String,
    /// The website's sequence number under the subject, from 1; `None` for a subject's number.
    pub site: Option<u32>,
}

/// `京ICP备12345678号`, with `-N` for a website.
impl std::fmt::Display for FilingNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}ICP备{}号", self.province.abbr, self.serial)?;
        match self.site {
            Some(n) => write!(f, "-{n}"),
            None => Ok(()),
        }
    }
}

/// Whether a filing number names a subject or one of its websites.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    /// A subject's number, without a `-N` suffix (adding a website under a filed subject).
    None,
    /// A website's number, with its `-N` suffix (access filing for a filed website).
    Required,
}

/// The shortest and longest serials accepted.
const SERIAL_DIGITS: std::ops::RangeInclusive<usize> = 6..=10;

/// Common short names of provinces whose filing numbers use another one.
const OTHER_ABBRS: [(&str, &str); 4] = [("川", "51"), ("贵", "52"), ("云", "53"), ("甘", "62")];

/// Validates a filing number made in `province`: `京ICP备12345678号` when `site` is
/// [`Site::None`], `京ICP备12345678号-1` when it is [`Site::Required`]. Refusals are
/// [`Code::InvalidFilingNumber`].
pub fn filing_number(s: &str, province: &Province, site: Site) -> Result<FilingNumber, Invalid> {
    let example = match site {
        Site::None => format!("{}ICP备12345678号", province.abbr),
        Site::Required => format!("{}ICP备12345678号-1", province.abbr),
    };
    let shape = || {
        bad(
            format!("备案号格式不正确，应为“{example}”这样的格式，请对照工信部备案系统中的备案号核对。"),
            format!("This is not the shape of a filing number, which reads like \"{example}\": compare it with the number in the MIIT filing system."),
        )
    };
    if s.chars().any(char::is_whitespace) {
        return Err(bad("备案号中不能有空格，请删除空格后重新输入。".into(), "A filing number must not contain spaces: remove them and enter it again.".into()));
    }
    if s.is_empty() {
        return Err(bad(format!("请填写备案号，如“{example}”。"), format!("Enter the filing number, for example \"{example}\".")));
    }
    if s.chars().any(|c| ('\u{FF01}'..='\u{FF5E}').contains(&c)) {
        return Err(bad(
            "备案号中的 ICP、数字和“-”须为半角字符，请切换输入法后重新输入。".into(),
            "The letters ICP, the digits and the hyphen in a filing number must be half-width: switch the keyboard and enter it again.".into(),
        ));
    }
    let mut chars = s.chars();
    let abbr = chars.next().map(String::from).unwrap_or_default();
    let rest = chars.as_str();
    let Some(named) = province::by_abbr(&abbr) else {
        if let Some(&(other, code)) = OTHER_ABBRS.iter().find(|(a, _)| *a == abbr) {
            let p = province::find(code).map_err(|_| shape())?;
            return Err(bad(
                format!("{}的备案号以“{}”开头，不是“{other}”，请对照工信部备案系统核对。", p.zh, p.abbr),
                format!("Filing numbers of {} begin with {}, not {other}: compare with the MIIT filing system.", p.en, p.abbr),
            ));
        }
        return Err(bad(
            format!("备案号应以备案省份的简称开头，如“{example}”，请核对后重新输入。"),
            format!("A filing number begins with the filing province's abbreviation, as in \"{example}\": check it and enter it again."),
        ));
    };
    let upper = rest.to_ascii_uppercase();
    if upper.starts_with("ICP证") {
        return Err(bad(
            "这是 ICP 经营许可证号（“ICP证”），不是备案号；请填写“ICP备”开头的备案号。".into(),
            "This is an ICP licence number (ICP证), not a filing number: enter the number with ICP备.".into(),
        ));
    }
    let Some(after) = rest.strip_prefix("ICP备") else {
        if upper.starts_with("ICP备") {
            return Err(bad("备案号中的“ICP”须为大写字母，请改为大写后重新输入。".into(), "The letters ICP in a filing number must be upper-case: enter them in capitals.".into()));
        }
        return Err(shape());
    };
    let digits_end = after.find(|c: char| !c.is_ascii_digit()).unwrap_or(after.len());
    let (serial, after) = after.split_at(digits_end);
    if after.starts_with('-') && after.ends_with('号') {
        let fixed = format!("{abbr}ICP备{serial}号{}", after.trim_end_matches('号'));
        return Err(bad(
            format!("网站序号应写在“号”字之后，如“{fixed}”，请核对后重新输入。"),
            format!("The website's sequence number comes after 号, as in \"{fixed}\": check it and enter it again."),
        ));
    }
    if !SERIAL_DIGITS.contains(&serial.len()) {
        return Err(bad(
            format!("备案号“ICP备”与“号”之间应为 6 至 10 位数字，当前为 {} 位，请核对后重新输入。", serial.chars().count()),
            format!("A filing number has 6 to 10 digits between ICP备 and 号, not {}: check it and enter it again.", serial.chars().count()),
        ));
    }
    let Some(suffix) = after.strip_prefix('号') else { return Err(shape()) };
    let site_number = match suffix.strip_prefix('-') {
        None if suffix.is_empty() => None,
        None => return Err(shape()),
        Some(n) => Some(site_number(n)?),
    };
    match (site, site_number) {
        (Site::None, Some(_)) => {
            return Err(bad(
                format!("这是网站备案号（带“{suffix}”），此处需要主体备案号：请去掉“{suffix}”，填写“{abbr}ICP备{serial}号”。"),
                format!("This is a website's filing number (with {suffix}); a subject's number is needed here: drop {suffix} and enter {abbr}ICP备{serial}号."),
            ))
        }
        (Site::Required, None) => {
            return Err(bad(
                format!("此处需要网站备案号，即主体备案号后加网站序号，如“{abbr}ICP备{serial}号-1”；请在工信部备案系统中查询该网站的序号。"),
                format!("A website's filing number is needed here: the subject's number and the website's sequence, as in {abbr}ICP备{serial}号-1. Look the website's number up in the MIIT filing system."),
            ))
        }
        _ => {}
    }
    if named.code != province.code {
        return Err(bad(
            format!("备案号以“{}”开头，是{}的备案号，而备案省份为{}（备案号以“{}”开头），请核对备案号或备案省份。", named.abbr, named.zh, province.zh, province.abbr),
            format!("The number begins with {}, a filing number of {}, but the filing province is {} (numbers beginning with {}): check the number or the province.", named.abbr, named.en, province.en, province.abbr),
        ));
    }
    Ok(FilingNumber { province: named, serial: serial.to_owned(), site: site_number })
}

/// The website's sequence number after `-`: digits from 1, without leading zeros.
fn site_number(n: &str) -> Result<u32, Invalid> {
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("备案号“-”后应为网站序号（数字），如“-1”，请核对后重新输入。".into(), "A filing number's hyphen is followed by the website's sequence number, as in -1: check it and enter it again.".into()));
    }
    if n.starts_with('0') {
        return Err(bad("网站序号从 1 开始，且不以 0 开头，请核对后重新输入。".into(), "A website's sequence number starts from 1 and has no leading zero: check it and enter it again.".into()));
    }
    n.parse().map_err(|_| bad("网站序号过大，请核对后重新输入。".into(), "The website's sequence number is too large: check it and enter it again.".into()))
}

fn bad(zh: String, en: String) -> Invalid {
    invalid(Code::InvalidFilingNumber, zh, en)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(code: &str) -> &'static Province {
        province::find(code).unwrap()
    }

    #[track_caller]
    fn fails(s: &str, province: &str, site: Site, needle: &str) {
        let e = filing_number(s, p(province), site).expect_err(s);
        assert_eq!(e.code, Code::InvalidFilingNumber, "{e}");
        assert!(e.message.en.contains(needle), "{s}: {:?} lacks {needle:?}", e.message.en);
        assert!(!e.message.zh.is_empty());
    }

    /// Numbers as published in sites' footers.
    #[test]
    fn published_numbers() {
        let n = filing_number("蜀ICP备08088888号", p("51"), Site::None).unwrap();
        assert_eq!((n.province.code, n.serial.as_str(), n.site), ("51", "08088888", None));
        let n = filing_number("陇ICP备2021003158号-1", p("62"), Site::Required).unwrap();
        assert_eq!((n.province.code, n.serial.as_str(), n.site), ("62", "2021003158", Some(1)));
        assert_eq!(filing_number("京ICP备08010314号-66", p("11"), Site::Required).unwrap().site, Some(66));
        assert_eq!(filing_number("藏ICP备05000064号", p("54"), Site::None).unwrap().serial, "05000064");
        assert_eq!(n.to_string(), "陇ICP备2021003158号-1");
        assert!(filing_number("京ICP备050001号", p("11"), Site::None).is_ok(), "6 digits");
    }

    #[test]
    fn site_suffix_present_exactly_when_required() {
        for (number, province, site, needle) in [
            ("京ICP备12345678号-1", "11", Site::None, "drop -1"),
            ("京ICP备12345678号", "11", Site::Required, "京ICP备12345678号-1"),
            ("蜀ICP备2022009760号-0", "51", Site::Required, "starts from 1"),
            ("京ICP备12345678号-01", "11", Site::Required, "leading zero"),
            ("京ICP备12345678号-", "11", Site::Required, "sequence number"),
            ("京ICP备12345678号-1a", "11", Site::Required, "sequence number"),
            ("京ICP备12345678号-99999999999", "11", Site::Required, "too large"),
            ("滇ICP备09010050-5号", "53", Site::Required, "滇ICP备09010050号-5"),
            ("京ICP备12345678号1", "11", Site::None, "shape"),
        ] {
            fails(number, province, site, needle);
        }
    }

    #[test]
    fn shapes_refused() {
        for (number, province, site, needle) in [
            ("", "11", Site::None, "Enter the filing number"),
            ("京ICP备 12345678号", "11", Site::None, "spaces"),
            ("京ICP备12345678号 ", "11", Site::None, "spaces"),
            ("京ＩＣＰ备12345678号", "11", Site::None, "half-width"),
            ("京ICP备１２３４５６７８号", "11", Site::None, "half-width"),
            ("京ICP备12345678号－1", "11", Site::Required, "half-width"),
            ("京icp备12345678号", "11", Site::None, "upper-case"),
            ("京Icp备12345678号", "11", Site::None, "upper-case"),
            ("京ICP证030173号", "11", Site::None, "licence"),
            ("京icp证030173号", "11", Site::None, "licence"),
            ("京ICP备12345号", "11", Site::None, "not 5"),
            ("京ICP备12345678901号", "11", Site::None, "not 11"),
            ("京ICP备12345678", "11", Site::None, "shape"),
            ("京ICP12345678号", "11", Site::None, "shape"),
            ("ICP备12345678号", "11", Site::None, "abbreviation"),
            ("12345678", "11", Site::None, "abbreviation"),
        ] {
            fails(number, province, site, needle);
        }
    }

    #[test]
    fn the_abbreviation_must_be_the_filing_provinces() {
        for (number, province, site, needle) in [
            ("沪ICP备12345678号", "11", Site::None, "a filing number of Shanghai, but the filing province is Beijing"),
            ("川ICP备12345678号", "51", Site::None, "Sichuan begin with 蜀, not 川"),
            ("甘ICP备12345678号", "62", Site::None, "Gansu begin with 陇"),
            ("贵ICP备12345678号", "52", Site::None, "Guizhou begin with 黔"),
            ("云ICP备12345678号", "53", Site::None, "Yunnan begin with 滇"),
        ] {
            fails(number, province, site, needle);
        }
    }

    /// Every province's abbreviation round-trips, and is refused for every other province.
    #[test]
    fn every_province_round_trips() {
        for prov in &province::ALL {
            for (site, suffix) in [(Site::None, ""), (Site::Required, "-3")] {
                let s = format!("{}ICP备2024012345号{suffix}", prov.abbr);
                let n = filing_number(&s, prov, site).unwrap_or_else(|e| panic!("{s}: {e}"));
                assert_eq!(n.province, prov);
                assert_eq!(n.to_string(), s);
                for other in province::ALL.iter().filter(|o| o.code != prov.code) {
                    let e = filing_number(&s, other, site).unwrap_err();
                    assert!(e.message.zh.contains(prov.zh) && e.message.zh.contains(other.zh), "{}", e.message.zh);
                }
            }
        }
    }

    proptest! {
        #[test]
        fn generated_numbers(serial in "[0-9]{6,10}", site in 1u32..100_000, code in proptest::sample::select(province::ALL.iter().map(|p| p.code).collect::<Vec<_>>())) {
            let prov = p(code);
            let s = format!("{}ICP备{serial}号-{site}", prov.abbr);
            let n = filing_number(&s, prov, Site::Required).unwrap();
            prop_assert_eq!(n.site, Some(site));
            prop_assert_eq!(n.serial, serial);
            prop_assert!(filing_number(&s, prov, Site::None).is_err());
        }

        #[test]
        fn no_panic_on_any_string(s in "\\PC{0,30}|[京蜀ICP备证号0-9\\-０ x]{0,20}") {
            for site in [Site::None, Site::Required] {
                if let Err(e) = filing_number(&s, p("11"), site) {
                    prop_assert_eq!(e.code, Code::InvalidFilingNumber);
                }
            }
        }
    }
}
