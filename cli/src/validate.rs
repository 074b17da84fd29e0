//! `hexin validate`: check one field value.
//!
//! Exit status: 0 when the value is valid, 1 when it is not, 2 on usage errors.
//!
//! ID document numbers are personal data: the output never repeats one in full, only what the
//! number says (a resident ID's region code and birth date), and `--json` shows the value masked
//! after its sixth character.

use std::process::ExitCode;

use hexin_core::date::Date;
use hexin_core::filing::documents::{self, DocumentType};
use hexin_core::filing::fields::{self, Invalid};
use hexin_core::filing::filing_number::{self, Site};
use hexin_core::filing::province;
use serde_json::{json, Value};

use crate::common::Lang;

#[derive(clap::Args)]
pub struct Args {
    /// What the value is.
    kind: Kind,
    /// The value to check.
    #[arg(allow_hyphen_values = true)]
    value: String,
    /// The filing province, for a filing number: GB/T 2260 code (32), or name (jiangsu, 江苏).
    #[arg(long, required_if_eq("kind", "filing-number"))]
    province: Option<String>,
    /// One JSON object instead of text.
    #[arg(long)]
    json: bool,
    /// Language of the message when the value is invalid.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    lang: Lang,
}

/// What a value is: `id-number` is a mainland resident ID; the other ID documents go by their
/// type's name; a `filing-number` is a subject's (`京ICP备12345678号`) or, with `-N`, a website's.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Kind {
    IdNumber,
    HmtResidencePermit,
    HkMacaoPermit,
    TaiwanPermit,
    PermanentResidence,
    Passport,
    CreditCode,
    Phone,
    Email,
    Domain,
    FilingNumber,
}

impl Kind {
    fn name(self) -> &'static str {
        match self.document() {
            Some(DocumentType::ResidentId) => "id-number",
            Some(document) => document.as_str(),
            None => match self {
                Kind::CreditCode => "credit-code",
                Kind::Phone => "phone",
                Kind::Email => "email",
                Kind::Domain => "domain",
                _ => "filing-number",
            },
        }
    }

    /// The ID document a value of this kind is the number of.
    fn document(self) -> Option<DocumentType> {
        Some(match self {
            Kind::IdNumber => DocumentType::ResidentId,
            Kind::HmtResidencePermit => DocumentType::HmtResidencePermit,
            Kind::HkMacaoPermit => DocumentType::HkMacaoPermit,
            Kind::TaiwanPermit => DocumentType::TaiwanPermit,
            Kind::PermanentResidence => DocumentType::PermanentResidence,
            Kind::Passport => DocumentType::Passport,
            _ => return None,
        })
    }
}

pub fn run(args: Args) -> ExitCode {
    let text = |s: String| (json!(s), s);
    // The normalized value as JSON and as text.
    let result: Result<(Value, String), Invalid> = match (args.kind.document(), args.kind) {
        (Some(DocumentType::ResidentId), _) => fields::id_number(&args.value).map(|id| {
            let sex = if id.male { "male" } else { "female" };
            let json = json!({ "region": id.region, "province": id.province(), "birth": id.birth.to_string(), "sex": sex });
            (json, format!("region {}, born {}, {sex}", id.region, id.birth))
        }),
        (Some(document), _) => documents::document_number(document, &args.value, Date::today_utc()).map(|holder| {
            let born = holder.birth.map(|b| format!(", born {b}")).unwrap_or_default();
            (json!({ "region": holder.region, "birth": holder.birth.map(|b| b.to_string()) }), format!("{}{born}", document.en()))
        }),
        (None, Kind::CreditCode) => fields::credit_code(&args.value).map(|()| text(args.value.clone())),
        (None, Kind::Phone) => fields::phone(&args.value).map(text),
        (None, Kind::Email) => fields::email(&args.value).map(text),
        (None, Kind::Domain) => fields::domain(&args.value).map(text),
        (None, _) => {
            let province = match province::find(args.province.as_deref().unwrap_or("")) {
                Ok(p) => p,
                Err(e) => return crate::usage_error(&format!("--province: {e}")),
            };
            let site = if args.value.contains("号-") { Site::Required } else { Site::None };
            filing_number::filing_number(&args.value, province, site).map(|n| text(n.to_string()))
        }
    };
    if args.json {
        let value = if args.kind.document().is_some() { mask(&args.value) } else { args.value.clone() };
        let mut out = json!({ "kind": args.kind.name(), "value": value, "valid": result.is_ok() });
        match &result {
            Ok((normalized, _)) => out["normalized"] = normalized.clone(),
            Err(e) => {
                out["code"] = json!(e.code);
                out["message"] = json!(e.message);
            }
        }
        outln!("{out}");
    } else {
        match &result {
            Ok((_, normalized)) => outln!("valid: {normalized}"),
            Err(e) => outln!("invalid: {}: {}", e.code, args.lang.pick(&e.message)),
        }
    }
    ExitCode::from(if result.is_ok() { 0 } else { 1 })
}

/// The first six characters (the region code), then one `*` per remaining character.
fn mask(value: &str) -> String {
    value.chars().enumerate().map(|(i, c)| if i < 6 { c } else { '*' }).collect()
}
