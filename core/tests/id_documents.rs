//! ID document numbers (`filing::documents`): published examples, numbers generated here with
//! their check characters computed by this file's own MOD 11-2 (never the crate's), one-character
//! changes and the other ways a typed number goes wrong, and no panic on any string.

use hexin_core::date::Date;
use hexin_core::filing::documents::{
    document_number, hk_macao_permit, hmt_residence_permit, passport, permanent_residence, resident_id, taiwan_permit, DocumentType, Holder,
};
use hexin_core::filing::fields::Invalid;
use hexin_core::filing::province;
use hexin_core::{Code, MaterialKind};
use proptest::prelude::*;

/// "Today" for every test, so they do not age.
const TODAY: Date = Date { year: 2026, month: 1, day: 1 };

fn day(y: i32, m: u8, d: u8) -> Date {
    Date::new(y, m, d).unwrap()
}

/// Asserts an `InvalidIdNumber` whose English message contains `needle` and whose Chinese
/// message names the document.
#[track_caller]
fn fails(result: Result<Holder, Invalid>, needle: &str, zh_name: &str) {
    let e = result.expect_err("should be invalid");
    assert_eq!(e.code, Code::InvalidIdNumber, "{e}");
    assert!(e.message.en.contains(needle), "{:?} lacks {needle:?}", e.message.en);
    assert!(e.message.zh.contains(zh_name), "{:?} lacks {zh_name:?}", e.message.zh);
}

/// GB 11643-1999's check character (ISO 7064 MOD 11-2), written out here from the standard.
fn check_char(body: &str) -> char {
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body.bytes().zip(weights).map(|(d, w)| u32::from(d - b'0') * w).sum();
    ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize]
}

fn with_check(body: &str) -> String {
    format!("{body}{}", check_char(body))
}

// ---------------------------------------------------------------------------------------------
// The document types
// ---------------------------------------------------------------------------------------------

#[test]
fn document_types_round_trip_and_name_their_materials() {
    for kind in DocumentType::ALL {
        assert_eq!(kind.as_str().parse::<DocumentType>(), Ok(kind));
        assert_eq!(kind.to_string(), kind.as_str());
        let json = serde_json::to_string(&kind).unwrap();
        assert_eq!(json, format!("\"{}\"", kind.as_str()));
        assert!(!kind.zh().is_empty() && !kind.en().is_empty());
        assert!(!kind.materials().is_empty());
    }
    assert_eq!(DocumentType::ResidentId.materials(), [MaterialKind::IdCardFront, MaterialKind::IdCardBack]);
    assert_eq!(DocumentType::Passport.materials(), [MaterialKind::PassportPhotoPage]);
    let e = "id-card".parse::<DocumentType>().unwrap_err();
    assert!(e.contains("resident-id") && e.contains("passport"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Published and hand-checked examples
// ---------------------------------------------------------------------------------------------

/// GB 11643-1999's own example, and residence permit and 2023 permanent residence numbers whose
/// check characters were computed outside this crate (a separate script).
#[test]
fn gb11643_numbers() {
    let id = resident_id("11010519491231002X", TODAY).unwrap();
    assert_eq!(id, Holder { birth: Some(day(1949, 12, 31)), region: Some("110105".into()), male: Some(false) });

    let hk = hmt_residence_permit("810000198001010014", TODAY).unwrap();
    assert_eq!(hk, Holder { birth: Some(day(1980, 1, 1)), region: Some("810000".into()), male: Some(true) });
    assert_eq!(hmt_residence_permit("820000199912310030", TODAY).unwrap().region.as_deref(), Some("820000"));
    assert_eq!(hmt_residence_permit("830000198001010026", TODAY).unwrap().male, Some(false));

    let pr = permanent_residence("911840198503101230", TODAY).unwrap();
    assert_eq!(pr, Holder { birth: Some(day(1985, 3, 10)), region: None, male: Some(true) });
    assert_eq!(permanent_residence("935156200002290045", TODAY).unwrap().birth, Some(day(2000, 2, 29)));
    assert_eq!(permanent_residence("911840198503101249", TODAY).unwrap().male, Some(false));
    fails(permanent_residence("911840198503101239", TODAY), "check character", "外国人永久居留身份证号码");
}

/// Each document refuses the others' numbers, naming the right one where it can.
#[test]
fn numbers_of_another_document_are_refused() {
    fails(resident_id("810000198001010014", TODAY), "residence permit for Hong Kong, Macao and Taiwan residents", "港澳台居民居住证");
    fails(resident_id("911840198503101230", TODAY), "permanent residence", "外国人永久居留身份证");
    fails(resident_id("710000198001010037", TODAY), "not a mainland province code", "身份证号码");
    fails(hmt_residence_permit("11010519491231002X", TODAY), "starts with 810000", "港澳台居民居住证号码");
    fails(hmt_residence_permit("810101198001010015", TODAY), "starts with 810000", "港澳台居民居住证号码");
    fails(permanent_residence("11010519491231002X", TODAY), "starts with 9", "外国人永久居留身份证号码");
    fails(permanent_residence("900840198503101236", TODAY), "not a province code", "外国人永久居留身份证号码");
}

#[test]
fn travel_permits() {
    // The Ministry of Public Security's rule: H or M, an 8-digit lifelong number, 2 digits of
    // renewals; the cards print the first 9 characters.
    for ok in ["H12345678", "M87654321", "H1234567800", "M0000000101"] {
        assert_eq!(hk_macao_permit(ok), Ok(Holder::default()), "{ok}");
    }
    let name = "港澳居民来往内地通行证号码";
    for (number, needle) in [
        ("h12345678", "upper-case"),
        ("K12345678", "starts with H"),
        ("12345678", "starts with H"),
        ("H1234567", "8 digits"),
        ("H123456789", "8 digits"),
        ("H12345678901", "8 digits"),
        ("HA1234567", "8 digits"),
        ("Ｈ12345678", "half-width"),
        ("H 12345678", "spaces"),
        ("", "starts with H"),
    ] {
        fails(hk_macao_permit(number), needle, name);
    }

    // 2015 card: 8 digits; the old booklets' longer numbers are refused with their own message.
    assert_eq!(taiwan_permit("01234567"), Ok(Holder::default()));
    let name = "台湾居民来往大陆通行证号码";
    for (number, needle) in [
        ("0123456701", "old booklets"),
        ("0123456701(B)", "old booklets"),
        ("0123456701B", "old booklets"),
        ("1234567", "8 digits"),
        ("T1234567", "8 digits"),
        ("１２３４５６７８", "half-width"),
        ("", "8 digits"),
    ] {
        fails(taiwan_permit(number), needle, name);
    }
}

#[test]
fn permanent_residence_old_format() {
    for ok in ["USA310085031501", "CAN110075120812"] {
        assert_eq!(permanent_residence(ok, TODAY), Ok(Holder::default()), "{ok}");
    }
    let name = "外国人永久居留身份证号码";
    for (number, needle) in [
        ("usa310085031501", "upper-case"),
        ("US1310085031501", "3 capital letters"),
        ("USA31008503150A", "3 capital letters"),
        ("USA31008503150", "not 14"),
        ("", "not 0"),
    ] {
        fails(permanent_residence(number, TODAY), needle, name);
    }
}

/// ICAO Doc 9303's specimen passport (part 4, the Utopian passport of Anna Maria Eriksson) has the
/// document number L898902C3; Chinese passports are E and 8 digits, E, a letter and 7 digits, or
/// G and 8 digits.
#[test]
fn passports() {
    for ok in ["L898902C3", "E12345678", "EA1234567", "G12345678", "123456789", "AB12345"] {
        assert_eq!(passport(ok), Ok(Holder::default()), "{ok}");
    }
    let name = "护照号码";
    for (number, needle) in [
        ("e12345678", "upper-case"),
        ("L898902C3<", "letters and digits"),
        ("L8989021234", "not 11"),
        ("1234", "not 4"),
        ("E1234５678", "half-width"),
        ("E1234 5678", "spaces"),
        ("", "not 0"),
    ] {
        fails(passport(number), needle, name);
    }
}

#[test]
fn document_number_dispatches() {
    let cases = [
        (DocumentType::ResidentId, "11010519491231002X"),
        (DocumentType::HmtResidencePermit, "810000198001010014"),
        (DocumentType::HkMacaoPermit, "H12345678"),
        (DocumentType::TaiwanPermit, "01234567"),
        (DocumentType::PermanentResidence, "911840198503101230"),
        (DocumentType::Passport, "L898902C3"),
    ];
    for (kind, number) in cases {
        assert!(document_number(kind, number, TODAY).is_ok(), "{kind} {number}");
        for (other, _) in cases.iter().filter(|(k, _)| *k != kind) {
            // A passport number's rule is loose enough to take some of the others.
            if *other != DocumentType::Passport {
                assert!(document_number(*other, number, TODAY).is_err(), "{other} took {number}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Generated numbers
// ---------------------------------------------------------------------------------------------

/// The three numbers built on GB 11643, with the region parts each accepts.
fn gb11643_kinds() -> impl Strategy<Value = (DocumentType, String)> {
    let mainland = || proptest::sample::select(province::ALL.iter().map(|p| p.code).collect::<Vec<_>>());
    prop_oneof![
        (mainland(), "[0-9]{4}").prop_map(|(p, rest)| (DocumentType::ResidentId, format!("{p}{rest}"))),
        proptest::sample::select(vec!["810000", "820000", "830000"]).prop_map(|r| (DocumentType::HmtResidencePermit, r.to_owned())),
        (mainland(), "[0-9]{3}").prop_map(|(p, nationality)| (DocumentType::PermanentResidence, format!("9{p}{nationality}"))),
    ]
}

/// A birth date from 1900-01-01 to `TODAY`.
fn birth() -> impl Strategy<Value = Date> {
    let first = Date { year: 1900, month: 1, day: 1 }.to_unix_days();
    (first..=TODAY.to_unix_days()).prop_map(Date::from_unix_days)
}

fn body(region: &str, birth: Date, seq: &str) -> String {
    format!("{region}{:04}{:02}{:02}{seq}", birth.year, birth.month, birth.day)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Every generated number is accepted, and the holder is read back from it.
    #[test]
    fn generated_gb11643_numbers_are_accepted((kind, region) in gb11643_kinds(), birth in birth(), seq in "[0-9]{3}") {
        let number = with_check(&body(&region, birth, &seq));
        let holder = document_number(kind, &number, TODAY).map_err(|e| TestCaseError::fail(format!("{number}: {e}")))?;
        prop_assert_eq!(holder.birth, Some(birth));
        prop_assert_eq!(holder.male, Some((seq.as_bytes()[2] - b'0') % 2 == 1));
        let expected_region = (kind != DocumentType::PermanentResidence).then(|| region.clone());
        prop_assert_eq!(holder.region, expected_region);
    }

    /// Changing any one character of a valid number to another digit or X makes it invalid.
    #[test]
    fn one_character_changed_is_refused((kind, region) in gb11643_kinds(), birth in birth(), seq in "[0-9]{3}", at in 0usize..18, to in proptest::sample::select("0123456789X".chars().collect::<Vec<_>>())) {
        let number = with_check(&body(&region, birth, &seq));
        prop_assume!(number.chars().nth(at) != Some(to));
        let changed: String = number.chars().enumerate().map(|(i, c)| if i == at { to } else { c }).collect();
        let e = document_number(kind, &changed, TODAY).err();
        prop_assert_eq!(e.map(|e| e.code), Some(Code::InvalidIdNumber), "{} accepted", changed);
    }

    /// Wrong lengths, lower-case x, full-width digits, spaces and future birth dates are refused.
    #[test]
    fn malformed_numbers_are_refused((kind, region) in gb11643_kinds(), birth in birth(), seq in "[0-9]{3}", at in 0usize..17, ahead in 1i64..40_000) {
        let number = with_check(&body(&region, birth, &seq));
        let refused = |s: &str| document_number(kind, s, TODAY).err().map(|e| e.code) == Some(Code::InvalidIdNumber);
        let full_width: String = number.chars().enumerate().map(|(i, c)| if i == at { char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap() } else { c }).collect();
        let future = with_check(&body(&region, Date::from_unix_days(TODAY.to_unix_days() + ahead), &seq));
        let mut bad = vec![number[..17].to_owned(), format!("{number}0"), format!("{} {}", &number[..at], &number[at..]), format!(" {number}"), full_width, future, String::new()];
        if number.ends_with('X') {
            bad.push(number.replace('X', "x"));
        }
        for s in bad {
            prop_assert!(refused(&s), "{:?} accepted", s);
        }
    }

    #[test]
    fn generated_travel_permits_and_passports(hk in "[HM][0-9]{8}([0-9]{2})?", tw in "[0-9]{8}", pp in "[A-Z0-9]{5,9}") {
        prop_assert!(hk_macao_permit(&hk).is_ok(), "{}", hk);
        prop_assert!(taiwan_permit(&tw).is_ok(), "{}", tw);
        prop_assert!(passport(&pp).is_ok(), "{}", pp);
        prop_assert!(hk_macao_permit(&hk.to_lowercase()).is_err());
        prop_assert!(hk_macao_permit(&hk[..hk.len() - 1]).is_err());
        prop_assert!(taiwan_permit(&tw[1..]).is_err());
        prop_assert_eq!(passport(&format!("{pp}0000")).is_ok(), pp.len() + 4 <= 9);
        prop_assert!(passport(&pp.to_lowercase()).is_err() || !pp.bytes().any(|b| b.is_ascii_alphabetic()));
    }

    /// No validator panics, whatever the string; every refusal is `InvalidIdNumber`.
    #[test]
    fn no_panic_on_any_string(s in "\\PC{0,24}|[0-9HMXA-Z９ｘ ]{0,20}") {
        for kind in DocumentType::ALL {
            if let Err(e) = document_number(kind, &s, TODAY) {
                prop_assert_eq!(e.code, Code::InvalidIdNumber);
            }
        }
    }
}
