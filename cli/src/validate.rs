//! `hexin validate`: check one field value.
//!
//! Exit status: 0 when the value is valid, 1 when it is not, 2 on usage errors.
//!
//! ID numbers are personal data: the output never repeats one in full, only its region code and
//! birth date (and `--json` shows the value masked after the region code).

use std::process::ExitCode;

use hexin_core::filing::fields::{self, Invalid};
use serde_json::{json, Value};

use crate::common::Lang;

#[derive(clap::Args)]
pub struct Args {
    /// What the value is.
    kind: Kind,
    /// The value to check.
    #[arg(allow_hyphen_values = true)]
    value: String,
    /// One JSON object instead of text.
    #[arg(long)]
    json: bool,
    /// Language of the message when the value is invalid.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    lang: Lang,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Kind {
    IdNumber,
    CreditCode,
    Phone,
    Email,
    Domain,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::IdNumber => "id-number",
            Kind::CreditCode => "credit-code",
            Kind::Phone => "phone",
            Kind::Email => "email",
            Kind::Domain => "domain",
        }
    }
}

pub fn run(args: Args) -> ExitCode {
    let text = |s: String| (json!(s), s);
    // The normalized value as JSON and as text.
    let result: Result<(Value, String), Invalid> = match args.kind {
        Kind::IdNumber => fields::id_number(&args.value).map(|id| {
            let sex = if id.male { "male" } else { "female" };
            let json = json!({ "region": id.region, "province": id.province(), "birth": id.birth.to_string(), "sex": sex });
            (json, format!("region {}, born {}, {sex}", id.region, id.birth))
        }),
        Kind::CreditCode => fields::credit_code(&args.value).map(|()| text(args.value.clone())),
        Kind::Phone => fields::phone(&args.value).map(text),
        Kind::Email => fields::email(&args.value).map(text),
        Kind::Domain => fields::domain(&args.value).map(text),
    };
    if args.json {
        let value = match args.kind {
            Kind::IdNumber => mask(&args.value),
            _ => args.value.clone(),
        };
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
