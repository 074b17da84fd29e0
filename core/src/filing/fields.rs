//! Validators for the typed fields of a filing: ID numbers, credit codes, phones, emails,
//! domains and ID validity.
//!
//! Each is a pure function of its input that answers `Ok` with the parsed or normalized value, or
//! an [`Invalid`] with a stable [`Code`] and a message telling the user what to fix. None panics,
//! whatever the string. Empty input gets the validator's own code; whether a field may be absent
//! ([`Code::MissingField`]) is for the caller to decide.

use crate::code::Code;
use crate::date::Date;
pub use crate::filing::documents::IdNumber;
use crate::filing::documents;
pub use crate::filing::invalid::Invalid;
use crate::filing::invalid::invalid;

/// Validates a resident ID number (GB 11643-1999) against today's UTC date; see [`id_number_on`].
pub fn id_number(s: &str) -> Result<IdNumber, Invalid> {
    id_number_on(s, Date::today_utc())
}

/// Validates a mainland resident ID number (GB 11643-1999) against `today`, as
/// [`documents::resident_id`] does, and returns what it says of its holder.
pub fn id_number_on(s: &str, today: Date) -> Result<IdNumber, Invalid> {
    documents::resident_id_number(s, today)
}

/// The 31 characters of a credit code, in value order 0..=30.
const CREDIT_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Validates a unified social credit code (GB 32100-2015): 18 characters from
/// `0-9A-HJ-NPQRTUWXY` (no I, O, S, V or Z; letters upper-case) whose last is the MOD 31 check
/// character of the first 17.
///
/// Some real, registered codes are reported to fail the check, so callers should treat
/// [`Code::InvalidCreditCode`] as a warning the user may override after comparing the code with
/// the business licence, not as a block. Spaces are refused, not trimmed.
pub fn credit_code(s: &str) -> Result<(), Invalid> {
    let bad = |zh: String, en: String| invalid(Code::InvalidCreditCode, zh, en);
    if s.chars().any(char::is_whitespace) {
        return Err(bad("统一社会信用代码中不能有空格，请删除空格后重新输入。".into(), "The unified social credit code must not contain spaces: remove them and enter it again.".into()));
    }
    let n = s.chars().count();
    if n != 18 {
        return Err(bad(
            format!("统一社会信用代码应为 18 位，当前为 {n} 位，请对照营业执照核对。"),
            format!("The unified social credit code must have 18 characters, not {n}: compare it with the business licence."),
        ));
    }
    if s.chars().any(|c| "IOSVZ".contains(c.to_ascii_uppercase())) {
        return Err(bad("统一社会信用代码不使用字母 I、O、S、V、Z，请检查是否把数字 1、0、5、2 看成了字母。".into(), "Unified social credit codes never use the letters I, O, S, V or Z: check for the digits 1, 0, 5 or 2 misread as letters.".into()));
    }
    if s.bytes().any(|c| c.is_ascii_lowercase()) {
        return Err(bad("统一社会信用代码中的字母须为大写，请改为大写后重新输入。".into(), "The letters in a unified social credit code must be upper-case: enter them in capitals.".into()));
    }
    let values: Option<Vec<u32>> = s.bytes().map(|c| CREDIT_ALPHABET.iter().position(|&a| a == c).map(|v| v as u32)).collect();
    let Some(values) = values else {
        return Err(bad("统一社会信用代码只能包含数字和大写字母，请对照营业执照核对。".into(), "A unified social credit code has only digits and upper-case letters: compare it with the business licence.".into()));
    };
    const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    if values[17] != (31 - sum % 31) % 31 {
        return Err(bad("统一社会信用代码校验位不正确，请对照营业执照核对；如确认与执照一致，可继续提交。".into(), "The unified social credit code's check character is wrong: compare it with the business licence, and continue if it matches exactly.".into()));
    }
    Ok(())
}

/// The registration authority (first character) and entity category (second) of unified social
/// credit codes: the two-character prefix, then what it means in Chinese and in English.
///
/// GB 32100-2015 (法人和其他组织统一社会信用代码编码规则) fixes the structure: 登记管理部门码,
/// 机构类别码, the GB/T 2260 region of the registering office, the GB 11714 organization code and
/// a check character. The values are the allocation in use since the code system started
/// (国发〔2015〕33号): authorities 1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游, 7 宗教,
/// 8 工会, 9 工商 (now market regulation), A 中央军委改革和编制办公室, N 农业, Y 其他, each with its
/// categories, 9 meaning "other" under an authority. The table is as public references reproduce
/// it; the category examples of 国发〔2015〕33号 (机构编制: 1 机关, 2 事业单位, 3 群众团体; 民政:
/// 1 社会团体, 2 民办非企业单位, 3 基金会; 工商: 1 企业, 2 个体工商户, 3 农民专业合作社) agree with it.
pub const CREDIT_CATEGORIES: [(&str, &str, &str); 36] = [
    ("11", "机构编制部门登记的机关", "a government agency, registered by the organization establishment authority"),
    ("12", "机构编制部门登记的事业单位", "a public institution, registered by the organization establishment authority"),
    ("13", "中央编办直接管理机构编制的群众团体", "a mass organization whose establishment the central establishment office manages"),
    ("19", "机构编制部门登记的其他机构", "another body registered by the organization establishment authority"),
    ("21", "外交部门登记的外国常驻新闻机构", "a resident foreign news organization, registered by foreign affairs"),
    ("29", "外交部门登记的其他机构", "another body registered by foreign affairs"),
    ("31", "司法行政部门登记的律师执业机构", "a law firm, registered by justice administration"),
    ("32", "司法行政部门登记的公证处", "a notary office, registered by justice administration"),
    ("33", "司法行政部门登记的基层法律服务所", "a grassroots legal service office, registered by justice administration"),
    ("34", "司法行政部门登记的司法鉴定机构", "a forensic appraisal institution, registered by justice administration"),
    ("35", "司法行政部门登记的仲裁委员会", "an arbitration commission, registered by justice administration"),
    ("39", "司法行政部门登记的其他机构", "another body registered by justice administration"),
    ("41", "文化部门登记的外国在华文化中心", "a foreign cultural centre in China, registered by culture authorities"),
    ("49", "文化部门登记的其他机构", "another body registered by culture authorities"),
    ("51", "民政部门登记的社会团体", "a social organization, registered by civil affairs"),
    ("52", "民政部门登记的民办非企业单位", "a private non-enterprise unit, registered by civil affairs"),
    ("53", "民政部门登记的基金会", "a foundation, registered by civil affairs"),
    ("59", "民政部门登记的其他机构", "another body registered by civil affairs"),
    ("61", "旅游部门登记的外国旅游部门常驻代表机构", "a resident office of a foreign tourism authority, registered by tourism authorities"),
    ("62", "旅游部门登记的港澳台地区旅游部门常驻内地（大陆）代表机构", "a resident office of a Hong Kong, Macao or Taiwan tourism authority, registered by tourism authorities"),
    ("69", "旅游部门登记的其他机构", "another body registered by tourism authorities"),
    ("71", "宗教事务部门登记的宗教活动场所", "a place of religious activity, registered by religious affairs"),
    ("72", "宗教事务部门登记的宗教院校", "a religious school, registered by religious affairs"),
    ("79", "宗教事务部门登记的其他机构", "another body registered by religious affairs"),
    ("81", "工会登记的基层工会", "a grassroots trade union, registered by the trade unions"),
    ("89", "工会登记的其他机构", "another body registered by the trade unions"),
    ("91", "市场监管（工商）部门登记的企业", "an enterprise, registered by market regulation"),
    ("92", "市场监管（工商）部门登记的个体工商户", "an individual business, registered by market regulation"),
    ("93", "市场监管（工商）部门登记的农民专业合作社", "a farmers' cooperative, registered by market regulation"),
    ("A1", "中央军委改革和编制办公室登记的军队事业单位", "a military public institution, registered by the CMC reform and establishment office"),
    ("A9", "中央军委改革和编制办公室登记的其他机构", "another body registered by the CMC reform and establishment office"),
    ("N1", "农业部门登记的组级集体经济组织", "a group-level collective economic organization, registered by agriculture authorities"),
    ("N2", "农业部门登记的村级集体经济组织", "a village-level collective economic organization, registered by agriculture authorities"),
    ("N3", "农业部门登记的乡镇级集体经济组织", "a township-level collective economic organization, registered by agriculture authorities"),
    ("N9", "农业部门登记的其他集体经济组织", "another collective economic organization, registered by agriculture authorities"),
    ("Y1", "其他登记管理部门登记的机构", "a body registered by another registration authority"),
];

/// Checks that a credit code's first two characters, its registration authority and entity
/// category ([`CREDIT_CATEGORIES`]), are one of `expected` (the declared subject type's, e.g.
/// `["91"]` for an enterprise, `["12"]` for a public institution). Refuses with
/// [`Code::CreditCodeMismatch`], a warning: the message says what the code's prefix means and
/// lists the expected ones. Nothing is expected when `expected` is empty, and a code of fewer than
/// two characters is left to [`credit_code`].
pub fn credit_code_type(code: &str, expected: &[String]) -> Result<(), Invalid> {
    let prefix: String = code.chars().take(2).collect();
    if expected.is_empty() || prefix.chars().count() < 2 || expected.contains(&prefix) {
        return Ok(());
    }
    let meaning = |p: &str| CREDIT_CATEGORIES.iter().find(|(c, _, _)| *c == p).map(|&(_, zh, en)| (zh, en));
    let (zh, en) = meaning(&prefix).unwrap_or(("未列入 GB 32100-2015 的登记管理部门和机构类别", "no registration authority and category of GB 32100-2015"));
    let zh_list: Vec<String> = expected.iter().map(|p| meaning(p).map_or(p.clone(), |(zh, _)| format!("{p}（{zh}）"))).collect();
    let en_list: Vec<String> = expected.iter().map(|p| meaning(p).map_or(p.clone(), |(_, en)| format!("{p} ({en})"))).collect();
    Err(invalid(
        Code::CreditCodeMismatch,
        format!("统一社会信用代码前两位“{prefix}”表示{zh}，与所选主体类型不符（应为 {}）。请核对代码或主体类型。", zh_list.join("、")),
        format!("The credit code's first two characters \"{prefix}\" mean {en}, which does not match the subject type (expected {}): check the code or the subject type.", en_list.join("; ")),
    ))
}

/// Validates a mainland China mobile number and returns its 11 digits, e.g. `13800138000`.
///
/// Accepts surrounding whitespace, a `+86`, `0086` or `86` prefix, and spaces or hyphens
/// between digits: `+86 138-0013-8000`. The number must be 11 digits, `1` then `3` to `9`.
pub fn phone(s: &str) -> Result<String, Invalid> {
    let bad = |zh: String, en: String| invalid(Code::InvalidPhone, zh, en);
    let s = s.trim();
    let (plus, rest) = match s.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let mut digits = String::new();
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' => {}
            _ => return Err(bad("手机号码只能包含数字，可用空格或“-”分隔，请核对后重新输入。".into(), "A mobile number may contain only digits, separated by spaces or hyphens: check it and enter it again.".into())),
        }
    }
    let national = if plus {
        digits.strip_prefix("86").ok_or_else(|| bad("只支持中国大陆手机号码（+86），请填写大陆手机号码。".into(), "Only mainland China mobile numbers (+86) are accepted: enter a mainland mobile number.".into()))?
    } else if digits.len() == 15 && digits.starts_with("0086") {
        &digits[4..]
    } else if digits.len() == 13 && digits.starts_with("86") {
        &digits[2..]
    } else {
        &digits
    };
    if national.starts_with('0') {
        return Err(bad("这像是固定电话号码，请填写 11 位手机号码。".into(), "This looks like a landline number: enter an 11-digit mobile number.".into()));
    }
    if national.len() != 11 {
        return Err(bad(
            format!("手机号码应为 11 位数字，当前为 {} 位，请核对后重新输入。", national.len()),
            format!("A mobile number has 11 digits, not {}: check it and enter it again.", national.len()),
        ));
    }
    if !national.starts_with('1') || !(b'3'..=b'9').contains(&national.as_bytes()[1]) {
        return Err(bad("手机号码应以 13 至 19 开头，请核对后重新输入。".into(), "A mainland mobile number starts with 13 to 19: check it and enter it again.".into()));
    }
    Ok(national.to_owned())
}

/// Validates an email address and returns it with the domain in lower-case ASCII (Punycode for
/// internationalized domains), e.g. `Li.Lei@例子.中国` → `Li.Lei@xn--fsqu00a.xn--fiqs8s`.
///
/// Pragmatic rather than full RFC 5322: surrounding whitespace is trimmed; exactly one `@`; a local
/// part of 1 to 64 ASCII dot-atom characters (letters, digits and ``!#$%&'*+-/=?^_`{|}~``, with
/// dots only between them); a domain accepted by [`domain`]; at most 254 characters in all. Local
/// parts must be ASCII: Chinese providers issue ASCII mailbox names, and a non-ASCII local part
/// (SMTPUTF8) is not deliverable everywhere. The local part's case is kept.
pub fn email(s: &str) -> Result<String, Invalid> {
    let bad = |zh: String, en: String| invalid(Code::InvalidEmail, zh, en);
    let s = s.trim();
    let Some((local, host)) = s.split_once('@') else {
        return Err(bad("邮箱地址缺少“@”，请输入完整的邮箱地址，如 name@example.com。".into(), "The email address has no @: enter the whole address, for example name@example.com.".into()));
    };
    if host.contains('@') {
        return Err(bad("邮箱地址只能包含一个“@”，请核对后重新输入。".into(), "An email address has exactly one @: check it and enter it again.".into()));
    }
    if local.is_empty() || local.len() > 64 {
        return Err(bad("邮箱地址“@”前的部分应为 1 至 64 个字符。".into(), "The part before the @ must have 1 to 64 characters.".into()));
    }
    if !local.bytes().all(|c| c.is_ascii_alphanumeric() || b".!#$%&'*+-/=?^_`{|}~".contains(&c)) {
        return Err(bad("邮箱地址“@”前的部分只能使用英文字母、数字和 . _ - + 等符号，请核对后重新输入。".into(), "The part before the @ may use only ASCII letters, digits and symbols such as . _ - +: check it and enter it again.".into()));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(bad("邮箱地址“@”前的部分不能以“.”开头或结尾，也不能有连续的“..”。".into(), "The part before the @ must not start or end with a dot or have two dots in a row.".into()));
    }
    let host = domain(host).map_err(|e| bad(format!("邮箱地址“@”后的域名不正确：{}", e.message.zh), format!("The part after the @ is not a valid domain: {}", e.message.en)))?;
    let address = format!("{local}@{host}");
    if address.len() > 254 {
        return Err(bad("邮箱地址过长，最多 254 个字符。".into(), "The email address is too long: at most 254 characters.".into()));
    }
    Ok(address)
}

/// Validates a domain name and returns its lower-case ASCII form, Punycode for internationalized
/// labels: `例子.中国` → `xn--fsqu00a.xn--fiqs8s`, `Example.CN.` → `example.cn`.
///
/// Mapping follows UTS 46 with the STD3 ASCII rules (so full-width `。` and upper case are
/// accepted, and spaces, `_` and `*` are not). Surrounding whitespace and one trailing dot are
/// dropped. Then: at least two labels of 1 to 63 bytes, none starting or ending with `-`, at most
/// 253 bytes, and a top-level label that is not all digits. IP addresses, URLs, wildcards and
/// underscore names are refused with a message saying so.
pub fn domain(s: &str) -> Result<String, Invalid> {
    let bad = |zh: &str, en: &str| invalid(Code::InvalidDomain, zh, en);
    let s = s.trim();
    if s.is_empty() {
        return Err(bad("请填写域名，如 example.cn。", "Enter a domain name, for example example.cn."));
    }
    if s.trim_start_matches('[').trim_end_matches(']').parse::<std::net::IpAddr>().is_ok() {
        return Err(bad("请填写域名，而不是 IP 地址。", "Enter a domain name, not an IP address."));
    }
    if s.contains(['/', ':', '@']) {
        return Err(bad("请只填写域名（如 example.cn），不要包含 http://、路径、端口或“@”。", "Enter only the domain name (for example example.cn), without http://, a path, a port or an @."));
    }
    if s.contains(char::is_whitespace) {
        return Err(bad("域名中不能有空格。", "A domain name must not contain spaces."));
    }
    if s.contains(['_', '＿']) {
        return Err(bad("域名中不能有下划线“_”，只能使用字母、数字和连字符“-”。", "A domain name must not contain underscores: use letters, digits and hyphens."));
    }
    if s.contains(['*', '＊']) {
        return Err(bad("请填写具体的域名，不能使用通配符“*”。", "Enter a specific domain name, not a wildcard (*)."));
    }
    let uts46 = idna::uts46::Uts46::new();
    let Ok(ascii) = uts46.to_ascii(s.as_bytes(), idna::AsciiDenyList::STD3, idna::uts46::Hyphens::Allow, idna::uts46::DnsLength::Ignore) else {
        return Err(bad("域名包含不允许的字符，或国际化域名的编码有误，请核对后重新输入。", "The domain name has characters that are not allowed, or a badly encoded international label: check it and enter it again."));
    };
    let ascii = ascii.strip_suffix('.').unwrap_or(&ascii);
    let labels: Vec<&str> = ascii.split('.').collect();
    if labels.len() < 2 {
        return Err(bad("域名应包含后缀，如 example.cn。", "A domain name needs a suffix, for example example.cn."));
    }
    if labels.iter().any(|l| l.is_empty()) {
        return Err(bad("域名不能以“.”开头，也不能有连续的“..”。", "A domain name must not start with a dot or have two dots in a row."));
    }
    if labels.iter().any(|l| l.len() > 63) {
        return Err(bad("域名的每一段（两个点之间的部分）最长 63 个字符。", "Each part of a domain name (between dots) may have at most 63 characters."));
    }
    if labels.iter().any(|l| l.starts_with('-') || l.ends_with('-')) {
        return Err(bad("域名的每一段都不能以连字符“-”开头或结尾。", "No part of a domain name may start or end with a hyphen."));
    }
    if ascii.len() > 253 {
        return Err(bad("域名过长，最长 253 个字符。", "The domain name is too long: at most 253 characters."));
    }
    if labels.last().is_some_and(|tld| tld.bytes().all(|c| c.is_ascii_digit())) {
        return Err(bad("域名后缀不能全是数字；如果这是 IP 地址，请改填域名。", "A domain name's suffix cannot be all digits; if this is an IP address, enter a domain name instead."));
    }
    Ok(ascii.to_owned())
}

/// Checks an ID's validity end date, `YYYYMMDD` or `长期` (long-term, always fine), against
/// `today`: it must leave at least `min_days` days (callers use 90, the filing rule of more than
/// three months). Surrounding whitespace is trimmed.
///
/// Too few days left, or already expired, is [`Code::IdExpiring`]; an unreadable date is
/// [`Code::InvalidFields`].
pub fn id_validity(end: &str, today: Date, min_days: u32) -> Result<(), Invalid> {
    let end = end.trim();
    if end == "长期" {
        return Ok(());
    }
    let Some(date) = Date::parse_yyyymmdd(end) else {
        return Err(invalid(Code::InvalidFields, "证件有效期截止日期应为 8 位日期（如 20350101）或“长期”。", "The ID's expiry date must be 8 digits YYYYMMDD (for example 20350101) or 长期 (long-term)."));
    };
    let left = today.days_until(date);
    if left < 0 {
        return Err(invalid(Code::IdExpiring, format!("证件已于 {date} 过期，请先换领新证件。"), format!("The ID expired on {date}: renew it first.")));
    }
    if left < i64::from(min_days) {
        let months = min_days.saturating_add(15) / 30;
        let (zh_months, en_months) = if months > 0 { (format!("（约 {months} 个月）"), format!(" (about {months} months)")) } else { Default::default() };
        return Err(invalid(
            Code::IdExpiring,
            format!("证件有效期仅剩 {left} 天，备案要求剩余有效期不少于 {min_days} 天{zh_months}，请先换领新证件。"),
            format!("The ID expires in {left} days, but filing needs at least {min_days} days{en_months} of validity left: renew the ID first."),
        ));
    }
    Ok(())
}

/// Checks free text a reviewer will read (names, and every other field before its own
/// validator): no control character (C0 such as NUL, ESC, BEL, CR and LF; DEL; C1) and no
/// text-direction control (U+200E, U+200F, U+061C, U+202A–U+202E, U+2066–U+2069), which would
/// make the reviewer's screen show something else than what is sealed. [`Code::InvalidText`]
/// names the first such character by its code point.
pub fn text(s: &str) -> Result<(), Invalid> {
    let Some(c) = s.chars().find(|&c| c.is_control() || is_direction_control(c)) else { return Ok(()) };
    let u = format!("U+{:04X}", c as u32);
    Err(invalid(
        Code::InvalidText,
        format!("内容中含有控制字符或文字方向控制字符（{u}），会改变审核人员看到的内容，请删除后重新输入。"),
        format!("The text holds a control or text-direction character ({u}) that would change what a reviewer sees: remove it and enter the text again."),
    ))
}

fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `s` has a character that shows: not whitespace and not one of the invisible
/// formatting characters (zero-width space and joiners U+200B–U+200D, word joiner and invisible
/// operators U+2060–U+2064, BOM U+FEFF, soft hyphen, combining grapheme joiner, Hangul fillers,
/// Mongolian and other variation selectors, tag characters).
pub fn is_visible(s: &str) -> bool {
    s.chars().any(|c| !c.is_whitespace() && !c.is_control() && !is_direction_control(c) && !is_invisible(c))
}

fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}' | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{E0000}'..='\u{E0FFF}')
}

/// `s` in Unicode Normalization Form C, the form text fields are sealed in: the same name typed
/// on two keyboards (precomposed or with a combining mark) gives the same bytes.
pub fn nfc(s: &str) -> String {
    icu_normalizer::ComposingNormalizerBorrowed::new_nfc().normalize(s).into_owned()
}
