//! Website names (网站名称) and the policy's naming rules for them.
//!
//! Providers refuse, before the filing reaches the authority, website names that do not fit the
//! subject: for an individual, a name that implies a company or an organization, or that is only
//! digits or Latin letters (a domain or an English word). The words differ by provider and
//! province, so they are policy data (`[requirements.site_names.<subject>]`, each list with its sources); the
//! checks that do not depend on a word list are here.

use serde::{Deserialize, Serialize};

use crate::code::Code;
use crate::filing::fields::is_visible;
use crate::filing::invalid::{invalid, Invalid};

/// The most characters `min_chars` may ask for.
pub const MAX_MIN_CHARS: usize = 100;

/// The naming rules for one subject type's websites.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteNameRules {
    /// Words a name must not contain, wherever they appear (`公司` refuses `张三公司博客`).
    #[serde(default)]
    pub words: Vec<String>,
    /// The fewest characters a name may have, spaces not counted (at most [`MAX_MIN_CHARS`]);
    /// 0 for no minimum.
    #[serde(default)]
    pub min_chars: usize,
    /// Where the rules come from.
    pub source: String,
}

impl SiteNameRules {
    /// Checks the rules' own consistency; the error names the field under `at`
    /// (`requirements.site_names.individual`).
    pub(crate) fn validate(&self, at: &str) -> Result<(), (String, String)> {
        if self.source.trim().is_empty() {
            return Err((format!("{at}.source"), "must name where the rules come from".into()));
        }
        if self.min_chars > MAX_MIN_CHARS {
            return Err((format!("{at}.min_chars"), format!("must be at most {MAX_MIN_CHARS}")));
        }
        for (i, word) in self.words.iter().enumerate() {
            if !is_visible(word) || word.chars().any(char::is_whitespace) {
                return Err((format!("{at}.words[{i}]"), "must be a word without spaces".into()));
            }
            if self.words[..i].contains(word) {
                return Err((format!("{at}.words[{i}]"), format!("{word:?} is listed twice")));
            }
        }
        Ok(())
    }
}

/// Checks a website name against `rules`, refusing with [`Code::InvalidSiteName`]: a name with
/// nothing visible; one made only of punctuation, or only of digits and Latin letters (half- or
/// full-width, with any punctuation), such as a domain or an English word; one shorter than `rules.min_chars`
/// characters (spaces not counted); and one that contains a listed word, quoted in the message.
/// Spaces are ignored when looking for words, so `公 司` is found as `公司`.
pub fn site_name(name: &str, rules: &SiteNameRules) -> Result<(), Invalid> {
    let bad = |zh: String, en: String| invalid(Code::InvalidSiteName, zh, en);
    if !is_visible(name) {
        return Err(bad("请填写网站名称。".into(), "Enter the website's name.".into()));
    }
    let compact: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    let latin = |c: char| c.is_ascii_alphanumeric() || matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ');
    let meaningful: Vec<char> = compact.chars().filter(|&c| !is_punctuation(c)).collect();
    if meaningful.is_empty() {
        return Err(bad("网站名称不能只由符号组成，请使用能体现网站内容的中文名称。".into(), "A website's name cannot be only punctuation: use a Chinese name that says what the site is about.".into()));
    }
    if meaningful.iter().all(|&c| latin(c)) {
        let digits = meaningful.iter().all(|&c| c.is_ascii_digit() || ('０'..='９').contains(&c));
        let letters = meaningful.iter().all(|&c| !(c.is_ascii_digit() || ('０'..='９').contains(&c)));
        let (zh, en) = match (digits, letters) {
            (true, _) => ("只由数字组成", "only digits"),
            (_, true) => ("只由英文字母组成", "only Latin letters"),
            _ => ("只由字母和数字组成", "only letters and digits"),
        };
        return Err(bad(
            format!("网站名称不能{zh}（也不能直接使用域名），请使用能体现网站内容的中文名称。"),
            format!("A website's name cannot be {en} (nor the domain name): use a Chinese name that says what the site is about."),
        ));
    }
    let n = compact.chars().count();
    if n < rules.min_chars {
        return Err(bad(
            format!("网站名称至少需要 {} 个字，当前为 {n} 个，请使用能体现网站内容的名称。", rules.min_chars),
            format!("A website's name needs at least {} characters, not {n}: use a name that says what the site is about.", rules.min_chars),
        ));
    }
    if let Some(word) = rules.words.iter().find(|w| !w.is_empty() && compact.contains(w.as_str())) {
        return Err(bad(
            format!("网站名称不能包含“{word}”，请换用能体现网站内容、不含该词的名称。"),
            format!("The website's name must not contain \"{word}\": choose a name without it that says what the site is about."),
        ));
    }
    Ok(())
}

/// ASCII and common Chinese punctuation, which does not make a name more than letters and digits.
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || c.is_control() || "，。、；：？！“”‘’（）《》【】—…·－＿．".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filing::requirements::SubjectKind;
    use crate::Policy;
    use proptest::prelude::*;

    fn individual() -> SiteNameRules {
        Policy::icp_default().requirements.site_names[&SubjectKind::Individual].clone()
    }

    #[track_caller]
    fn fails(name: &str, rules: &SiteNameRules, needle: &str) {
        let e = site_name(name, rules).expect_err(name);
        assert_eq!(e.code, Code::InvalidSiteName, "{e}");
        assert!(e.message.en.contains(needle), "{name}: {:?} lacks {needle:?}", e.message.en);
        assert!(!e.message.zh.is_empty());
    }

    #[test]
    fn the_default_policy_refuses_each_listed_word() {
        let rules = individual();
        assert!(rules.words.len() >= 20 && rules.min_chars == 3, "{rules:?}");
        for word in &rules.words {
            for name in [format!("{word}笔记本"), format!("李雷的{word}"), format!("我的{word}小站")] {
                let e = site_name(&name, &rules).expect_err(&name);
                assert_eq!(e.code, Code::InvalidSiteName);
                assert!(e.message.zh.contains(&format!("“{word}”")), "{}", e.message.zh);
            }
        }
        fails("李雷 公 司 博客", &rules, "\"公司\"");
    }

    #[test]
    fn digits_letters_and_nothing_visible_are_refused() {
        let rules = individual();
        fails("12345678", &rules, "only digits");
        fails("１２３４", &rules, "only digits");
        fails("MyBlog", &rules, "only Latin letters");
        fails("ｂｌｏｇ", &rules, "only Latin letters");
        fails("example.cn", &rules, "only Latin letters");
        fails("web3-2024.cn", &rules, "only letters and digits");
        fails("blog 2024!", &rules, "only letters and digits");
        fails("！！！", &rules, "only punctuation");
        fails("", &rules, "Enter the website's name");
        fails(" \u{3000}\u{200B}", &rules, "Enter the website's name");
        fails("笔记", &rules, "at least 3 characters, not 2");
    }

    #[test]
    fn ordinary_personal_site_names_are_accepted() {
        let rules = individual();
        for name in ["张三的技术博客", "雕刻时光", "前端经验分享", "我的摄影小空间", "PHP开发笔记", "柠檬草的味道", "Rust 学习笔记"] {
            assert_eq!(site_name(name, &rules), Ok(()), "{name}");
        }
    }

    #[test]
    fn rules_are_validated_when_the_policy_is_parsed() {
        let base = SiteNameRules { words: vec!["公司".into()], min_chars: 3, source: "X1".into() };
        assert_eq!(base.validate("site_names.individual"), Ok(()));
        let at = |r: SiteNameRules| r.validate("site_names.individual").unwrap_err().0;
        assert_eq!(at(SiteNameRules { source: " ".into(), ..base.clone() }), "site_names.individual.source");
        assert_eq!(at(SiteNameRules { min_chars: MAX_MIN_CHARS + 1, ..base.clone() }), "site_names.individual.min_chars");
        assert_eq!(at(SiteNameRules { words: vec!["公司".into(), "".into()], ..base.clone() }), "site_names.individual.words[1]");
        assert_eq!(at(SiteNameRules { words: vec!["公 司".into()], ..base.clone() }), "site_names.individual.words[0]");
        assert_eq!(at(SiteNameRules { words: vec!["公司".into(), "公司".into()], ..base.clone() }), "site_names.individual.words[1]");

        let text = Policy::icp_default_source();
        let bad = text.replace("\"公司\", \"组织\",", "\"公司\", \"公司\",");
        assert_ne!(bad, text);
        let Err(crate::Error::InvalidPolicy { field, .. }) = Policy::parse(&bad) else { panic!("accepted") };
        assert_eq!(field, "requirements.site_names.individual.words[1]");
        let unknown = text.replace("min_chars = 3 ", "min_char = 3 ");
        assert_ne!(unknown, text);
        let Err(crate::Error::InvalidPolicy { field, .. }) = Policy::parse(&unknown) else { panic!("accepted") };
        assert_eq!(field, "requirements.site_names.individual.min_char");
        let without = &text[..text.find("[requirements.site_names.individual]").unwrap()];
        assert!(Policy::parse(without).unwrap().requirements.site_names.is_empty());
    }

    proptest! {
        #[test]
        fn no_panic_on_any_string(s in "\\PC{0,30}") {
            if let Err(e) = site_name(&s, &individual()) {
                prop_assert_eq!(e.code, Code::InvalidSiteName);
            }
        }
    }
}
