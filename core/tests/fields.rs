//! Field validators: known-good and known-bad vectors for each, check-character edge cases, and
//! a property that no validator panics on any string.
//!
//! The valid ID numbers were computed outside this crate (by hand and with a separate script)
//! and are hard-coded; the tests never derive an expected check character with the code under
//! test.

use hexin_core::date::Date;
use hexin_core::filing::fields::{credit_code, credit_code_type, domain, email, id_number, id_number_on, id_validity, phone, IdNumber, Invalid};
use hexin_core::Code;
use proptest::prelude::*;

fn day(y: i32, m: u8, d: u8) -> Date {
    Date::new(y, m, d).unwrap()
}

/// "Today" for the ID tests, so they do not age.
const TODAY: Date = Date { year: 2026, month: 1, day: 1 };

fn id(s: &str) -> Result<IdNumber, Invalid> {
    id_number_on(s, TODAY)
}

/// Asserts an error with `code` whose English message contains `needle`.
#[track_caller]
fn fails<T: std::fmt::Debug>(result: Result<T, Invalid>, code: Code, needle: &str) {
    let e = result.expect_err("should be invalid");
    assert_eq!(e.code, code, "{e}");
    assert!(e.message.en.contains(needle), "{:?} lacks {needle:?}", e.message.en);
    assert!(!e.message.zh.is_empty());
}

// ---------------------------------------------------------------------------------------------
// ID numbers
// ---------------------------------------------------------------------------------------------

#[test]
fn id_standard_example() {
    let parsed = id("11010519491231002X").unwrap();
    assert_eq!(parsed, IdNumber { region: "110105".into(), birth: day(1949, 12, 31), male: false });
    assert_eq!(parsed.province(), "11");
    assert!(id_number("11010519491231002X").is_ok(), "the real-clock entry point");
}

/// One valid number per check character (born 2000-02-29, a leap day), each found by hand
/// from the prefix 44030420000229: every other check character must fail.
#[test]
fn id_every_check_character() {
    let valid = [
        "440304200002290006",
        "440304200002290014",
        "440304200002290022",
        "440304200002290030",
        "440304200002290049",
        "440304200002290057",
        "440304200002290065",
        "440304200002290073",
        "440304200002290081",
        "44030420000229009X",
        "440304200002290188",
    ];
    let mut seen: Vec<char> = valid.iter().map(|v| v.chars().last().unwrap()).collect();
    seen.sort();
    assert_eq!(seen.iter().collect::<String>(), "0123456789X");
    for v in valid {
        let parsed = id(v).unwrap_or_else(|e| panic!("{v}: {e}"));
        assert_eq!(parsed.birth, day(2000, 2, 29));
        assert_eq!(parsed.male, v.as_bytes()[16] % 2 == 1);
        for other in "0123456789X".chars().filter(|&c| !v.ends_with(c)) {
            fails(id(&format!("{}{other}", &v[..17])), Code::InvalidIdNumber, "check character");
        }
    }
}

#[test]
fn id_sex_from_the_sequence_number() {
    assert!(id("320106202402290033").unwrap().male);
    assert!(!id("540102198001010025").unwrap().male);
}

#[test]
fn id_lower_case_x_is_refused() {
    fails(id("11010519491231002x"), Code::InvalidIdNumber, "upper-case");
    fails(id("44030420000229009x"), Code::InvalidIdNumber, "upper-case");
}

#[test]
fn id_birth_dates() {
    assert_eq!(id("11010519000101001X").unwrap().birth, day(1900, 1, 1), "the earliest birth date");
    fails(id("110105189912310015"), Code::InvalidIdNumber, "between 1900 and today");
    assert_eq!(id("320106202402290033").unwrap().birth, day(2024, 2, 29), "a leap day");
    fails(id("110105190002290017"), Code::InvalidIdNumber, "not a real date");
    fails(id("310115202302290022"), Code::InvalidIdNumber, "not a real date");
    assert!(id("110105202601010019").is_ok(), "born today");
    fails(id("110105202601020014"), Code::InvalidIdNumber, "between 1900 and today");
    fails(id("11010519491331002X"), Code::InvalidIdNumber, "not a real date");
}

#[test]
fn id_provinces() {
    for v in ["540102198001010025", "500103198001010016"] {
        assert!(id(v).is_ok(), "{v}");
    }
    // Only the 31 mainland provinces: 71 (Taiwan) begins no resident ID, and 81/82/83 begin the
    // residence permits of Hong Kong, Macao and Taiwan residents, accepted by
    // `documents::hmt_residence_permit` since issue 14 (they were accepted here before).
    for v in ["100105198001010014", "160105198001010015", "710000198001010037"] {
        fails(id(v), Code::InvalidIdNumber, "province");
    }
    for v in ["810000198001010014", "830000198001010026"] {
        fails(id(v), Code::InvalidIdNumber, "residence permit for Hong Kong, Macao and Taiwan residents");
    }
    fails(id("99010519800101001X"), Code::InvalidIdNumber, "permanent residence");
}

#[test]
fn id_shape() {
    fails(id("11010519491231002"), Code::InvalidIdNumber, "not 17");
    fails(id("11010519491231002X0"), Code::InvalidIdNumber, "not 19");
    fails(id(""), Code::InvalidIdNumber, "not 0");
    fails(id("1101051949123100AX"), Code::InvalidIdNumber, "digits 0-9");
    fails(id("１１０１０５１９４９１２３１００２X"), Code::InvalidIdNumber, "half-width");
    fails(id("11010519491231002Ｘ"), Code::InvalidIdNumber, "digit or an upper-case X");
    fails(id("11010519491231002Y"), Code::InvalidIdNumber, "digit or an upper-case X");
    fails(id("110105 19491231002X"), Code::InvalidIdNumber, "spaces");
    fails(id(" 11010519491231002X"), Code::InvalidIdNumber, "spaces");
}

// ---------------------------------------------------------------------------------------------
// Credit codes
// ---------------------------------------------------------------------------------------------

const CREDIT_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const GOOD_CODES: [&str; 2] = ["91512081MA62K0260E", "11320000MB151840XJ"];

#[test]
fn credit_known_good() {
    for code in GOOD_CODES {
        assert_eq!(credit_code(code), Ok(()), "{code}");
    }
}

/// Weights are non-zero mod 31, a prime, so every single substitution changes the check sum.
#[test]
fn credit_every_substitution_fails() {
    let mut tried = 0;
    for code in GOOD_CODES {
        for i in 0..18 {
            for c in CREDIT_ALPHABET.chars().filter(|&c| c != code.as_bytes()[i] as char) {
                let mut changed = code.to_owned();
                changed.replace_range(i..i + 1, &c.to_string());
                fails(credit_code(&changed), Code::InvalidCreditCode, "check character");
                tried += 1;
            }
        }
    }
    assert_eq!(tried, 2 * 18 * 30);
}

#[test]
fn credit_forbidden_letters_and_shape() {
    for i in 0..18 {
        for c in ["I", "O", "S", "V", "Z", "o"] {
            let mut changed = GOOD_CODES[0].to_owned();
            changed.replace_range(i..i + 1, c);
            fails(credit_code(&changed), Code::InvalidCreditCode, "I, O, S, V or Z");
        }
    }
    fails(credit_code("91512081ma62k0260e"), Code::InvalidCreditCode, "upper-case");
    fails(credit_code("91512081MA62K0260"), Code::InvalidCreditCode, "not 17");
    fails(credit_code("91512081MA62K0260E0"), Code::InvalidCreditCode, "not 19");
    fails(credit_code(""), Code::InvalidCreditCode, "not 0");
    fails(credit_code("91512081MA62K0260-"), Code::InvalidCreditCode, "only digits and upper-case");
    fails(credit_code("９1512081MA62K0260E"), Code::InvalidCreditCode, "only digits and upper-case");
    fails(credit_code("91512081 MA62K0260E"), Code::InvalidCreditCode, "spaces");
}

// ---------------------------------------------------------------------------------------------
// Phones
// ---------------------------------------------------------------------------------------------

#[test]
fn phones_normalize() {
    for input in [
        "13800138000",
        " 13800138000 ",
        "138 0013 8000",
        "138-0013-8000",
        "+8613800138000",
        "+86 138 0013 8000",
        "+86-138-0013-8000",
        "8613800138000",
        "86 138 0013 8000",
        "008613800138000",
        "0086 138-0013-8000",
    ] {
        assert_eq!(phone(input).as_deref(), Ok("13800138000"), "{input}");
    }
    for second in 3..=9 {
        let number = format!("1{second}912345678");
        assert_eq!(phone(&number), Ok(number.clone()));
    }
}

#[test]
fn phones_refused() {
    fails(phone("138001380001"), Code::InvalidPhone, "not 12");
    fails(phone("1380013800"), Code::InvalidPhone, "not 10");
    fails(phone(""), Code::InvalidPhone, "not 0");
    fails(phone("010-12345678"), Code::InvalidPhone, "landline");
    fails(phone("0755 8888 8888"), Code::InvalidPhone, "landline");
    fails(phone("12800138000"), Code::InvalidPhone, "13 to 19");
    fails(phone("10800138000"), Code::InvalidPhone, "13 to 19");
    fails(phone("23800138000"), Code::InvalidPhone, "13 to 19");
    fails(phone("+1 415 555 0100"), Code::InvalidPhone, "+86");
    fails(phone("+852 9123 4567"), Code::InvalidPhone, "+86");
    fails(phone("1380013800a"), Code::InvalidPhone, "only digits");
    fails(phone("１３８００１３８０００"), Code::InvalidPhone, "only digits");
    fails(phone("(138)00138000"), Code::InvalidPhone, "only digits");
}

// ---------------------------------------------------------------------------------------------
// Emails
// ---------------------------------------------------------------------------------------------

#[test]
fn emails_normalize() {
    assert_eq!(email("Li.Lei@Example.CN").as_deref(), Ok("Li.Lei@example.cn"));
    assert_eq!(email(" li+icp@例子.中国 ").as_deref(), Ok("li+icp@xn--fsqu00a.xn--fiqs8s"));
    assert_eq!(email("a!#$%&'*+-/=?^_`{|}~z@qq.com").as_deref(), Ok("a!#$%&'*+-/=?^_`{|}~z@qq.com"));
    let local = "l".repeat(64);
    let host = format!("{}.{}.{}.cn", "a".repeat(63), "b".repeat(63), "c".repeat(58));
    assert_eq!(email(&format!("{local}@{host}")).map(|e| e.len()), Ok(254));
}

#[test]
fn emails_refused() {
    fails(email("用户@例子.中国"), Code::InvalidEmail, "ASCII letters");
    fails(email("a b@qq.com"), Code::InvalidEmail, "ASCII letters");
    fails(email("a..b@qq.com"), Code::InvalidEmail, "two dots");
    fails(email(".ab@qq.com"), Code::InvalidEmail, "start or end with a dot");
    fails(email("ab.@qq.com"), Code::InvalidEmail, "start or end with a dot");
    fails(email("example.cn"), Code::InvalidEmail, "no @");
    fails(email(""), Code::InvalidEmail, "no @");
    fails(email("a@b@qq.com"), Code::InvalidEmail, "exactly one @");
    fails(email("@qq.com"), Code::InvalidEmail, "1 to 64");
    fails(email(&format!("{}@qq.com", "l".repeat(65))), Code::InvalidEmail, "1 to 64");
    fails(email("li@"), Code::InvalidEmail, "not a valid domain");
    fails(email("li@localhost"), Code::InvalidEmail, "suffix");
    fails(email("li@qq..com"), Code::InvalidEmail, "two dots");
    fails(email("li@[127.0.0.1]"), Code::InvalidEmail, "IP address");
    let host = format!("{}.{}.{}.cn", "a".repeat(63), "b".repeat(63), "c".repeat(59));
    fails(email(&format!("{}@{host}", "l".repeat(64))), Code::InvalidEmail, "too long");
}

// ---------------------------------------------------------------------------------------------
// Domains
// ---------------------------------------------------------------------------------------------

#[test]
fn domains_normalize() {
    for (input, ascii) in [
        ("例子.中国", "xn--fsqu00a.xn--fiqs8s"),
        ("例子。中国", "xn--fsqu00a.xn--fiqs8s"),
        ("xn--fsqu00a.xn--fiqs8s", "xn--fsqu00a.xn--fiqs8s"),
        ("XN--FSQU00A.XN--FIQS8S", "xn--fsqu00a.xn--fiqs8s"),
        ("中国.cn", "xn--fiqs8s.cn"),
        ("Example.COM", "example.com"),
        ("www.example.com.", "www.example.com"),
        (" example.cn ", "example.cn"),
        ("ＥＸＡＭＰＬＥ.ＣＮ", "example.cn"),
        ("a-b.example.cn", "a-b.example.cn"),
        ("163.com", "163.com"),
    ] {
        assert_eq!(domain(input).as_deref(), Ok(ascii), "{input}");
    }
    let longest_label = format!("{}.cn", "a".repeat(63));
    assert_eq!(domain(&longest_label), Ok(longest_label.clone()));
    let longest = format!("{0}.{0}.{0}.{1}.cn", "a".repeat(63), "b".repeat(58));
    assert_eq!(domain(&longest).map(|d| d.len()), Ok(253));
}

#[test]
fn domains_refused() {
    fails(domain(""), Code::InvalidDomain, "Enter a domain");
    fails(domain("   "), Code::InvalidDomain, "Enter a domain");
    fails(domain("example"), Code::InvalidDomain, "suffix");
    fails(domain("中国"), Code::InvalidDomain, "suffix");
    fails(domain("."), Code::InvalidDomain, "suffix");
    fails(domain(&format!("{}.cn", "a".repeat(64))), Code::InvalidDomain, "63");
    fails(domain(&format!("{0}.{0}.{0}.{1}.cn", "a".repeat(63), "b".repeat(59))), Code::InvalidDomain, "253");
    fails(domain("my_site.example.cn"), Code::InvalidDomain, "underscores");
    fails(domain("-example.cn"), Code::InvalidDomain, "hyphen");
    fails(domain("example-.cn"), Code::InvalidDomain, "hyphen");
    fails(domain("192.168.1.1"), Code::InvalidDomain, "IP address");
    fails(domain("::1"), Code::InvalidDomain, "IP address");
    fails(domain("[2001:db8::1]"), Code::InvalidDomain, "IP address");
    fails(domain("１９２.１６８.１.１"), Code::InvalidDomain, "IP address");
    fails(domain("example.123"), Code::InvalidDomain, "all digits");
    fails(domain("*.example.cn"), Code::InvalidDomain, "wildcard");
    fails(domain("exa mple.cn"), Code::InvalidDomain, "spaces");
    fails(domain("https://example.cn/path"), Code::InvalidDomain, "http://");
    fails(domain("example.cn:8080"), Code::InvalidDomain, "port");
    fails(domain("a..example.cn"), Code::InvalidDomain, "two dots");
    fails(domain(".example.cn"), Code::InvalidDomain, "two dots");
    fails(domain("example.cn.."), Code::InvalidDomain, "two dots");
    fails(domain("xn--a.cn"), Code::InvalidDomain, "not allowed");
    fails(domain("exa!mple.cn"), Code::InvalidDomain, "not allowed");
}

// ---------------------------------------------------------------------------------------------
// ID validity
// ---------------------------------------------------------------------------------------------

#[test]
fn id_validity_window() {
    assert_eq!(id_validity("长期", TODAY, 90), Ok(()));
    assert_eq!(id_validity(" 长期 ", TODAY, 90), Ok(()));
    assert_eq!(id_validity("20260401", TODAY, 90), Ok(()), "exactly 90 days left");
    assert_eq!(id_validity("20360101", TODAY, 90), Ok(()));
    fails(id_validity("20260331", TODAY, 90), Code::IdExpiring, "expires in 89 days");
    fails(id_validity("20260101", TODAY, 90), Code::IdExpiring, "expires in 0 days");
    fails(id_validity("20251231", TODAY, 90), Code::IdExpiring, "expired on 2025-12-31");
    assert_eq!(id_validity("20260101", TODAY, 0), Ok(()), "valid through today");
    let months = id_validity("20260331", TODAY, 90).unwrap_err().message;
    assert!(months.zh.contains("仅剩 89 天") && months.zh.contains("约 3 个月"), "{}", months.zh);
}

#[test]
fn id_validity_malformed() {
    for bad in ["2026-04-01", "", "20260230", "长期有效", "2036010", "２０３６０１０１", "long-term"] {
        fails(id_validity(bad, TODAY, 90), Code::InvalidFields, "YYYYMMDD");
    }
}

// ---------------------------------------------------------------------------------------------
// Robustness
// ---------------------------------------------------------------------------------------------

fn all_validators(s: &str) {
    let _ = id_number_on(s, TODAY);
    let _ = credit_code(s);
    let _ = credit_code_type(s, &["91".to_owned()]);
    let _ = phone(s);
    let _ = email(s);
    let _ = domain(s);
    let _ = id_validity(s, TODAY, 90);
    let _ = Date::parse_yyyymmdd(s);
}

#[test]
fn huge_inputs() {
    for s in ["1".repeat(1 << 20), "例".repeat(1 << 18), format!("{}@{}.cn", "a".repeat(1 << 16), "b".repeat(1 << 16))] {
        all_validators(&s);
    }
}

proptest! {
    #[test]
    fn no_validator_panics(s in any::<String>()) {
        all_validators(&s);
    }

    #[test]
    fn no_validator_panics_on_near_misses(s in "[0-9xX+@. \\-]{0,20}|[0-9A-Z]{16,19}|[a-z0-9.@-]{0,30}|[\\u{4e00}-\\u{4e10}。.@a-z]{0,12}") {
        all_validators(&s);
    }

    /// For any well-formed body exactly one of the 11 check characters is accepted.
    #[test]
    fn id_exactly_one_check_character(region in "(11|31|44|54|65)[0-9]{4}", days in 0i64..46_000, seq in "[0-9]{3}") {
        let birth = Date::from_unix_days(Date::new(1900, 1, 1).unwrap().to_unix_days() + days);
        prop_assume!(birth <= TODAY);
        let body = format!("{region}{:04}{:02}{:02}{seq}", birth.year, birth.month, birth.day);
        let passing = "0123456789X".chars().filter(|c| id(&format!("{body}{c}")).is_ok()).count();
        prop_assert_eq!(passing, 1);
    }
}

/// A policy's minimum validity near u32::MAX used to overflow `(min_days + 15) / 30` (a panic in
/// debug builds); the message saturates.
#[test]
fn id_validity_with_a_huge_minimum_does_not_overflow() {
    fails(id_validity("20300101", TODAY, u32::MAX), Code::IdExpiring, "4294967295 days");
}

#[test]
fn credit_code_type_names_what_the_code_says() {
    use hexin_core::filing::fields::CREDIT_CATEGORIES;
    let expected = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(credit_code_type("91110108MA01234567", &expected(&["91", "92"])), Ok(()));
    assert_eq!(credit_code_type("12110000400012345X", &expected(&["12"])), Ok(()));
    assert_eq!(credit_code_type("91110108MA01234567", &[]), Ok(()), "nothing expected");
    assert_eq!(credit_code_type("9", &expected(&["12"])), Ok(()), "too short: credit_code's to refuse");

    let e = credit_code_type("91110108MA01234567", &expected(&["12"])).unwrap_err();
    assert_eq!(e.code, Code::CreditCodeMismatch);
    assert!(e.message.en.contains("\"91\" mean an enterprise, registered by market regulation"), "{}", e.message.en);
    assert!(e.message.en.contains("expected 12 (a public institution"), "{}", e.message.en);
    assert!(e.message.zh.contains("市场监管（工商）部门登记的企业") && e.message.zh.contains("12（机构编制部门登记的事业单位）"), "{}", e.message.zh);

    let e = credit_code_type("31110000E12345678X", &expected(&["51", "52", "53"])).unwrap_err();
    assert!(e.message.en.contains("a law firm") && e.message.en.contains("53 (a foundation"), "{}", e.message.en);
    assert!(e.message.zh.contains("51（民政部门登记的社会团体）、52（"), "{}", e.message.zh);
    let e = credit_code_type("Z1110000E12345678X", &expected(&["91"])).unwrap_err();
    assert!(e.message.en.contains("no registration authority"), "{}", e.message.en);

    let mut seen = std::collections::BTreeSet::new();
    for (prefix, zh, en) in CREDIT_CATEGORIES {
        assert!(seen.insert(prefix), "{prefix} twice");
        assert!(prefix.len() == 2 && prefix.bytes().all(|b| b"0123456789ABCDEFGHJKLMNPQRTUWXY".contains(&b)), "{prefix}");
        assert!(!zh.is_empty() && !en.is_empty());
    }
}

#[test]
fn text_refuses_control_and_direction_characters() {
    use hexin_core::filing::fields::{is_visible, nfc, text};
    for ok in ["李雷", "Renée O'Brien-Smith", "北京（测试）有限公司", "a\u{200B}b", "👍🏽"] {
        assert!(text(ok).is_ok(), "{ok:?}");
    }
    for (bad, u) in [("a\u{202E}b", "U+202E"), ("\0", "U+0000"), ("\u{1b}", "U+001B"), ("\u{9f}", "U+009F"), ("\u{2067}", "U+2067"), ("\u{200E}", "U+200E")] {
        fails(text(bad), Code::InvalidText, u);
    }
    assert!(is_visible("\u{200B}李"));
    assert!(!is_visible("\u{200B}\u{200C}\u{200D}\u{FEFF}\u{3000} \u{E0041}"));
    assert_eq!(nfc("e\u{301}"), "\u{e9}");
    assert_eq!(nfc("\u{212B}"), "\u{c5}");
}
