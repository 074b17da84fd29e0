//! The ID documents a person may file with, and one validator for each document's number.
//!
//! Each validator is a pure function that answers what the number itself says of its holder
//! ([`Holder`]) or an [`Invalid`] with [`Code::InvalidIdNumber`] and a message that names the
//! document and says what to fix. None panics, whatever the string. Numbers are taken as typed:
//! spaces, full-width characters and lower-case letters are refused, not corrected, because the
//! number is copied onto the filing as entered. docs/documents.md has each format with an example.
//!
//! Three numbers share the structure of GB 11643-1999 (公民身份号码): a six-character region
//! part, the birth date `YYYYMMDD` in characters 7–14, a sequence number whose 17th digit is odd
//! for men and even for women, and the ISO 7064 MOD 11-2 check character (a digit or `X`). They
//! are the resident ID, the residence permit for Hong Kong, Macao and Taiwan residents, and the
//! 2023 foreigner's permanent residence ID card; one function checks all three.

use serde::{Deserialize, Serialize};

use crate::code::Code;
use crate::date::Date;
use crate::filing::invalid::{invalid, Invalid};
use crate::filing::province;
use crate::material::MaterialKind;

/// A kind of ID document. The kebab-case names are the fields document's and the CLI's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "kebab-case")]
pub enum DocumentType {
    /// 居民身份证: the mainland resident ID card.
    ResidentId,
    /// 港澳台居民居住证: the residence permit for Hong Kong, Macao and Taiwan residents.
    HmtResidencePermit,
    /// 港澳居民来往内地通行证 (回乡证): the mainland travel permit for Hong Kong and Macao residents.
    HkMacaoPermit,
    /// 台湾居民来往大陆通行证 (台胞证): the mainland travel permit for Taiwan residents.
    TaiwanPermit,
    /// 外国人永久居留身份证: the foreigner's permanent residence ID card.
    PermanentResidence,
    /// 护照: a passport.
    Passport,
}

impl DocumentType {
    /// Every document type, in a stable order.
    pub const ALL: [DocumentType; 6] = [
        DocumentType::ResidentId,
        DocumentType::HmtResidencePermit,
        DocumentType::HkMacaoPermit,
        DocumentType::TaiwanPermit,
        DocumentType::PermanentResidence,
        DocumentType::Passport,
    ];

    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentType::ResidentId => "resident-id",
            DocumentType::HmtResidencePermit => "hmt-residence-permit",
            DocumentType::HkMacaoPermit => "hk-macao-permit",
            DocumentType::TaiwanPermit => "taiwan-permit",
            DocumentType::PermanentResidence => "permanent-residence",
            DocumentType::Passport => "passport",
        }
    }

    /// The document's name, in Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            DocumentType::ResidentId => "居民身份证",
            DocumentType::HmtResidencePermit => "港澳台居民居住证",
            DocumentType::HkMacaoPermit => "港澳居民来往内地通行证",
            DocumentType::TaiwanPermit => "台湾居民来往大陆通行证",
            DocumentType::PermanentResidence => "外国人永久居留身份证",
            DocumentType::Passport => "护照",
        }
    }

    /// The document's name, in English.
    pub fn en(self) -> &'static str {
        match self {
            DocumentType::ResidentId => "resident ID card",
            DocumentType::HmtResidencePermit => "residence permit for Hong Kong, Macao and Taiwan residents",
            DocumentType::HkMacaoPermit => "mainland travel permit for Hong Kong and Macao residents",
            DocumentType::TaiwanPermit => "mainland travel permit for Taiwan residents",
            DocumentType::PermanentResidence => "foreigner's permanent residence ID card",
            DocumentType::Passport => "passport",
        }
    }

    /// The captures that show the document: both sides of a card, a passport's photo page.
    pub fn materials(self) -> &'static [MaterialKind] {
        match self {
            DocumentType::ResidentId => &[MaterialKind::IdCardFront, MaterialKind::IdCardBack],
            DocumentType::HmtResidencePermit => &[MaterialKind::HmtResidencePermitFront, MaterialKind::HmtResidencePermitBack],
            DocumentType::HkMacaoPermit => &[MaterialKind::HkMacaoPermitFront, MaterialKind::HkMacaoPermitBack],
            DocumentType::TaiwanPermit => &[MaterialKind::TaiwanPermitFront, MaterialKind::TaiwanPermitBack],
            DocumentType::PermanentResidence => &[MaterialKind::PermanentResidenceFront, MaterialKind::PermanentResidenceBack],
            DocumentType::Passport => &[MaterialKind::PassportPhotoPage],
        }
    }

    /// How messages name the document's number.
    fn number(self) -> Name {
        match self {
            DocumentType::ResidentId => Name { zh: "身份证号码", en: "ID number" },
            DocumentType::HmtResidencePermit => Name { zh: "港澳台居民居住证号码", en: "residence permit number" },
            DocumentType::HkMacaoPermit => Name { zh: "港澳居民来往内地通行证号码", en: "Hong Kong and Macao residents' travel permit number" },
            DocumentType::TaiwanPermit => Name { zh: "台湾居民来往大陆通行证号码", en: "Taiwan residents' travel permit number" },
            DocumentType::PermanentResidence => Name { zh: "外国人永久居留身份证号码", en: "permanent residence ID card number" },
            DocumentType::Passport => Name { zh: "护照号码", en: "passport number" },
        }
    }
}

impl std::fmt::Display for DocumentType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for DocumentType {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DocumentType::ALL.into_iter().find(|d| d.as_str() == s).ok_or_else(|| {
            let names: Vec<_> = DocumentType::ALL.iter().map(|d| d.as_str()).collect();
            format!("unknown document type `{s}`; expected one of: {}", names.join(", "))
        })
    }
}

/// What a document number itself says of its holder; `None` where the number does not say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holder {
    pub birth: Option<Date>,
    /// The six-digit GB/T 2260 region code of a resident ID; `810000`, `820000` or `830000`
    /// (Hong Kong, Macao, Taiwan) for a residence permit.
    pub region: Option<String>,
    pub male: Option<bool>,
}

/// What a valid resident ID number says about its holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdNumber {
    /// The six-digit GB/T 2260 region code of first registration.
    pub region: String,
    pub birth: Date,
    /// The sequence number (17th digit) is odd for men and even for women.
    pub male: bool,
}

impl IdNumber {
    /// The province-level code: the first two digits of the region, e.g. `11` for Beijing.
    pub fn province(&self) -> &str {
        &self.region[..2]
    }
}

impl From<IdNumber> for Holder {
    fn from(id: IdNumber) -> Holder {
        Holder { birth: Some(id.birth), region: Some(id.region), male: Some(id.male) }
    }
}

/// Validates the number of a document of type `kind`; `today` bounds the birth dates of the
/// numbers that carry one.
pub fn document_number(kind: DocumentType, s: &str, today: Date) -> Result<Holder, Invalid> {
    match kind {
        DocumentType::ResidentId => resident_id(s, today),
        DocumentType::HmtResidencePermit => hmt_residence_permit(s, today),
        DocumentType::HkMacaoPermit => hk_macao_permit(s),
        DocumentType::TaiwanPermit => taiwan_permit(s),
        DocumentType::PermanentResidence => permanent_residence(s, today),
        DocumentType::Passport => passport(s),
    }
}

/// Validates a mainland resident ID number: GB 11643-1999 (公民身份号码) with a region code of one
/// of the 31 mainland provinces ([`province::ALL`]).
///
/// Numbers starting `810000`, `820000` or `830000` are residence permits for Hong Kong, Macao and
/// Taiwan residents ([`hmt_residence_permit`]) and numbers starting with `9` are 2023 permanent
/// residence ID cards ([`permanent_residence`]): both are refused here with a message naming the
/// right document. A lower-case `x` is refused with a message asking for `X`.
pub fn resident_id(s: &str, today: Date) -> Result<Holder, Invalid> {
    resident_id_number(s, today).map(Holder::from)
}

/// [`resident_id`], answering the region, birth date and sex that a valid number always has.
pub(crate) fn resident_id_number(s: &str, today: Date) -> Result<IdNumber, Invalid> {
    let name = DocumentType::ResidentId.number();
    gb11643(s, today, name, |region| {
        let code = &region[..2];
        if is_mainland(code) {
            Ok(())
        } else if HMT_REGIONS.contains(&region) {
            Err(bad(
                format!("以 {region} 开头的是港澳台居民居住证号码，不是居民身份证号码，请将证件类型改为港澳台居民居住证。"),
                format!("A number starting {region} is a residence permit for Hong Kong, Macao and Taiwan residents, not a resident ID: choose that document type."),
            ))
        } else if code.starts_with('9') {
            Err(bad(
                "以 9 开头的 18 位号码是外国人永久居留身份证号码，请将证件类型改为外国人永久居留身份证。".into(),
                "An 18-digit number starting with 9 is a foreigner's permanent residence ID card: choose that document type.".into(),
            ))
        } else {
            Err(bad(
                format!("身份证号码前两位“{code}”不是大陆省份代码，请核对后重新输入。"),
                format!("The ID number's first two digits \"{code}\" are not a mainland province code: check it and enter it again."),
            ))
        }
    })
}

/// The region codes of residence permits: Hong Kong, Macao and Taiwan residents.
const HMT_REGIONS: [&str; 3] = ["810000", "820000", "830000"];

/// Validates the number of a residence permit for Hong Kong, Macao and Taiwan residents
/// (港澳台居民居住证): a GB 11643 number whose region is `810000` (Hong Kong), `820000` (Macao)
/// or `830000` (Taiwan), with a birth date and the MOD 11-2 check character.
///
/// Source: the State Council General Office's 《港澳台居民居住证申领发放办法》 (国办发〔2018〕81号, in
/// force from 2018-09-01) gives the permit a 公民身份号码; the Ministry of Public Security's
/// explanation of it assigns the address codes 810000 (Hong Kong), 820000 (Macao) and 830000
/// (Taiwan), the rest of the number following GB 11643.
pub fn hmt_residence_permit(s: &str, today: Date) -> Result<Holder, Invalid> {
    let name = DocumentType::HmtResidencePermit.number();
    gb11643(s, today, name, |region| {
        if HMT_REGIONS.contains(&region) {
            Ok(())
        } else {
            Err(bad(
                "港澳台居民居住证号码以 810000（香港居民）、820000（澳门居民）或 830000（台湾居民）开头，请核对；如持有的是居民身份证，请将证件类型改为居民身份证。".into(),
                "A residence permit number starts with 810000 (Hong Kong), 820000 (Macao) or 830000 (Taiwan): check it, or choose resident ID if this is a resident ID card.".into(),
            ))
        }
    })
    .map(Holder::from)
}

/// Validates the number of a mainland travel permit for Hong Kong and Macao residents (港澳居民来往
/// 内地通行证, 回乡证): `H` (Hong Kong) or `M` (Macao), then 8 digits, or those 8 and a two-digit
/// renewal count.
///
/// Source: the Ministry of Public Security's 《港澳居民来往内地通行证号码规则》: the number has
/// 11 characters, `H` or `M`, an 8-digit lifelong number and 2 digits counting renewals (`00` on
/// the first permit). The 9-character form (the letter and the lifelong number, without the
/// renewal count) is what later cards print as the number, and validators in public use accept
/// both; so does this one. The number carries no birth date or check character.
pub fn hk_macao_permit(s: &str) -> Result<Holder, Invalid> {
    let name = DocumentType::HkMacaoPermit.number();
    plain(s, name)?;
    let Some(digits) = s.strip_prefix(['H', 'M']) else {
        return Err(bad(
            "港澳居民来往内地通行证号码以字母 H（香港居民）或 M（澳门居民）开头，请核对后重新输入。".into(),
            "A Hong Kong and Macao residents' travel permit number starts with H (Hong Kong) or M (Macao): check it and enter it again.".into(),
        ));
    };
    if !(digits.len() == 8 || digits.len() == 10) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(
            "港澳居民来往内地通行证号码为 H 或 M 加 8 位数字（或再加 2 位换证次数，共 10 位数字），请对照证件核对。".into(),
            "A Hong Kong and Macao residents' travel permit number is H or M and 8 digits (or 10, with the two-digit renewal count): compare it with the permit.".into(),
        ));
    }
    Ok(Holder::default())
}

/// Validates the number of a mainland travel permit for Taiwan residents (台湾居民来往大陆通行证,
/// 台胞证): 8 digits.
///
/// Source: the Ministry of Public Security's announcement of the 2015 card (公安部公告, 2015-06):
/// the number has 8 digits, one per person for life; a holder of an older booklet whose number had
/// more than 8 characters keeps its first 8, and applications for the booklet stopped where the
/// card was introduced (Fujian and the Hong Kong and Macao agencies first, from 2015-07-06). The booklets (numbers of 8 digits, 2 for the issue count and
/// a letter for the issuing office, 中新社 2008-09-11) were valid for five years, so none is still
/// valid: a longer number is refused with a message asking for the card's 8 digits.
pub fn taiwan_permit(s: &str) -> Result<Holder, Invalid> {
    let name = DocumentType::TaiwanPermit.number();
    no_spaces(s, name)?;
    let b = s.as_bytes();
    if b.len() > 8 && b[..8].iter().all(u8::is_ascii_digit) {
        return Err(bad(
            "2015 年起的卡式台湾居民来往大陆通行证号码为 8 位数字；旧版本式证件的号码更长，且均已过期。请填写卡式证件上的 8 位号码（即旧号码的前 8 位）。".into(),
            "Taiwan residents' travel permits (the cards issued since 2015) have 8-digit numbers; the longer numbers of the old booklets, all expired now, are not accepted: enter the card's 8 digits (the old number's first 8).".into(),
        ));
    }
    plain(s, name)?;
    if b.len() != 8 || !b.iter().all(u8::is_ascii_digit) {
        return Err(bad(
            "台湾居民来往大陆通行证号码为 8 位数字，请对照证件核对。".into(),
            "A Taiwan residents' travel permit number is 8 digits: compare it with the permit.".into(),
        ));
    }
    Ok(Holder::default())
}

/// Validates the number of a foreigner's permanent residence ID card (外国人永久居留身份证), in
/// either format:
///
/// - 18 characters (cards issued from 2023-12-01): `9`, the two-digit GB/T 2260 code of the
///   mainland province where the card was applied for, a three-digit nationality code, the birth
///   date, a three-digit sequence number (odd 17th digit for men) and the GB 11643 MOD 11-2 check
///   character. The holder's birth date and sex are answered.
/// - 15 characters (the 2004 and 2017 cards): three upper-case letters (the nationality code) and
///   12 digits. Only this shape is checked: the public descriptions of the 12 digits disagree
///   (one puts a four-digit office code before a `YYMMDD` birth date and reads the last digit as
///   an ICAO 9303 check digit, another puts the birth year right after the letters), so a stricter
///   reading could refuse real cards.
///
/// Sources: the National Immigration Administration's 《新版外国人永久居留身份证机读信息规则
/// (2023版)》: 15 characters (3 Latin letters + 12 digits) become 18 (17 digits + a check
/// character), the first is `9`, the nationality letters become a numeric code, and the check
/// character is MOD 11-2 as for 公民身份号码. The positions of the province, nationality, birth
/// date and sequence fields are as the published readers of the 2023 card parse them.
pub fn permanent_residence(s: &str, today: Date) -> Result<Holder, Invalid> {
    let name = DocumentType::PermanentResidence.number();
    no_spaces(s, name)?;
    match s.chars().count() {
        18 => gb11643(s, today, name, |region| {
            if !region.starts_with('9') {
                return Err(bad(
                    "18 位的外国人永久居留身份证号码以 9 开头，请核对；以 1 至 8 开头的是居民身份证或港澳台居民居住证号码。".into(),
                    "An 18-character permanent residence ID card number starts with 9: check it (numbers starting 1 to 8 are resident IDs or residence permits).".into(),
                ));
            }
            if !is_mainland(&region[1..3]) {
                return Err(bad(
                    format!("外国人永久居留身份证号码第 2、3 位“{}”不是受理地的省份代码，请核对后重新输入。", &region[1..3]),
                    format!("Characters 2 and 3 of the permanent residence ID card number, \"{}\", are not a province code: check it and enter it again.", &region[1..3]),
                ));
            }
            Ok(())
        })
        .map(|id| Holder { birth: Some(id.birth), region: None, male: Some(id.male) }),
        15 => {
            plain(s, name)?;
            let b = s.as_bytes();
            if !b[..3].iter().all(u8::is_ascii_uppercase) || !b[3..].iter().all(u8::is_ascii_digit) {
                return Err(bad(
                    "15 位的外国人永久居留身份证号码为 3 个大写字母（国籍代码）加 12 位数字，请对照证件核对。".into(),
                    "A 15-character permanent residence ID card number is 3 capital letters (the nationality) and 12 digits: compare it with the card.".into(),
                ));
            }
            Ok(Holder::default())
        }
        n => Err(bad(
            format!("外国人永久居留身份证号码应为 18 位（2023 年起的证件，以 9 开头）或 15 位（此前的证件，3 个字母加 12 位数字），当前为 {n} 位，请对照证件核对。"),
            format!("A permanent residence ID card number has 18 characters (cards since 2023, starting with 9) or 15 (older cards, 3 letters and 12 digits), not {n}: compare it with the card."),
        )),
    }
}

/// Validates a passport's document number: 5 to 9 characters, each `A`–`Z` or `0`–`9`.
///
/// Source: ICAO Doc 9303 (Machine Readable Travel Documents), part 4: the document number field of
/// a passport's machine-readable zone has 9 characters, upper-case letters and digits (shorter
/// numbers are padded with `<`, which is not part of the number). The minimum of 5 is hexin's:
/// ICAO sets none, and a shorter entry is more likely a slip than a real number. Chinese passports
/// fit the rule: `E` and 8 digits, or `E`, a letter and 7 digits (the e-passports issued since
/// 2012), `G` and 8 digits (the series before). The issuing state is not known here, so no
/// state's own pattern is enforced.
pub fn passport(s: &str) -> Result<Holder, Invalid> {
    let name = DocumentType::Passport.number();
    plain(s, name)?;
    let n = s.len();
    if !(5..=9).contains(&n) {
        return Err(bad(
            format!("护照号码应为 5 至 9 位字母或数字，当前为 {n} 位，请对照护照个人资料页核对。"),
            format!("A passport number has 5 to 9 letters or digits, not {n}: compare it with the passport's photo page."),
        ));
    }
    Ok(Holder::default())
}

/// How messages name a document's number.
#[derive(Clone, Copy)]
struct Name {
    zh: &'static str,
    en: &'static str,
}

fn bad(zh: String, en: String) -> Invalid {
    invalid(Code::InvalidIdNumber, zh, en)
}

fn is_mainland(code: &str) -> bool {
    province::ALL.iter().any(|p| p.code == code)
}

fn no_spaces(s: &str, name: Name) -> Result<(), Invalid> {
    if s.chars().any(char::is_whitespace) {
        return Err(bad(format!("{}中不能有空格，请删除空格后重新输入。", name.zh), format!("The {} must not contain spaces: remove them and enter it again.", name.en)));
    }
    Ok(())
}

/// No spaces, only half-width digits and upper-case letters.
fn plain(s: &str, name: Name) -> Result<(), Invalid> {
    no_spaces(s, name)?;
    if s.chars().any(|c| ('\u{FF01}'..='\u{FF5E}').contains(&c)) {
        return Err(bad(format!("{}须使用半角字母和数字（如 A-Z、0-9），请切换输入法后重新输入。", name.zh), format!("The {} must use half-width letters and digits (A-Z, 0-9): switch the keyboard and enter it again.", name.en)));
    }
    if s.bytes().any(|b| b.is_ascii_lowercase()) {
        return Err(bad(format!("{}中的字母须为大写，请改为大写后重新输入。", name.zh), format!("The letters in the {} must be upper-case: enter them in capitals.", name.en)));
    }
    if !s.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(bad(format!("{}只能包含字母和数字，请对照证件核对。", name.zh), format!("The {} has only letters and digits: compare it with the document.", name.en)));
    }
    Ok(())
}

/// Birth dates in ID numbers start here.
const EARLIEST_BIRTH: Date = Date { year: 1900, month: 1, day: 1 };

/// Checks a number built on GB 11643-1999: 18 characters, 17 digits and a check character that
/// is a digit or an upper-case `X`; the six-character region part accepted by `region`; a birth
/// date from 1900-01-01 to `today` in characters 7–14; and the ISO 7064 MOD 11-2 check character.
fn gb11643(s: &str, today: Date, name: Name, region: impl Fn(&str) -> Result<(), Invalid>) -> Result<IdNumber, Invalid> {
    let Name { zh, en } = name;
    no_spaces(s, name)?;
    let n = s.chars().count();
    if n != 18 {
        return Err(bad(format!("{zh}应为 18 位，当前为 {n} 位，请核对后重新输入。"), format!("The {en} must have 18 characters, not {n}: check it and enter it again.")));
    }
    let b = s.as_bytes();
    if !b[..17].iter().all(u8::is_ascii_digit) {
        return Err(bad(format!("{zh}前 17 位只能是数字（半角 0-9），请核对后重新输入。"), format!("The first 17 characters of the {en} must be the digits 0-9 (half-width): check it and enter it again.")));
    }
    // The first 17 bytes are digits, so the last character starts at byte 17.
    if &s[17..] == "x" {
        return Err(bad(format!("{zh}最后一位的 X 须为大写，请改为大写 X 后重新输入。"), format!("The {en}'s final X must be upper-case: enter it as X.")));
    }
    if b.len() != 18 || !(b[17].is_ascii_digit() || b[17] == b'X') {
        return Err(bad(format!("{zh}最后一位只能是数字或大写 X，请核对后重新输入。"), format!("The {en}'s last character must be a digit or an upper-case X: check it and enter it again.")));
    }
    region(&s[..6])?;
    let Some(birth) = Date::parse_yyyymmdd(&s[6..14]) else {
        return Err(bad(format!("{zh}第 7 至 14 位的出生日期不是有效日期，请核对后重新输入。"), format!("The birth date in the {en} (characters 7 to 14) is not a real date: check it and enter it again.")));
    };
    if birth < EARLIEST_BIRTH || birth > today {
        return Err(bad(format!("{zh}中的出生日期不在 1900 年至今天之间，请核对后重新输入。"), format!("The birth date in the {en} is not between 1900 and today: check it and enter it again.")));
    }
    if b[17] != mod11_2(&b[..17]) {
        return Err(bad(format!("{zh}校验位不正确，请核对后重新输入。"), format!("The {en}'s check character is wrong: check it and enter it again.")));
    }
    Ok(IdNumber { region: s[..6].to_owned(), birth, male: (b[16] - b'0') % 2 == 1 })
}

/// ISO 7064 MOD 11-2 over 17 ASCII digits (GB 11643-1999, 7.3).
fn mod11_2(body: &[u8]) -> u8 {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body.iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    b"10X98765432"[(sum % 11) as usize]
}
