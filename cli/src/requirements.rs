//! `hexin requirements`: what a fields file still needs before it can be sealed, as a checklist.
//!
//! The materials the policy requires, each ticked when `--material` gives it (its file is not
//! read), and the problems sealing would give today: the fields' own, the policy's refusals,
//! and materials whose owner the fields do not have.
//!
//! Exit status: 0 when nothing stands in the way of sealing, 1 when something is still needed,
//! 2 on usage or I/O errors.

use std::process::ExitCode;

use hexin_core::date::Date;
use hexin_core::filing::form::Fields;
use hexin_core::package::seal;
use hexin_core::{Code, Place, Problem, Severity, Slot};
use serde_json::json;

use crate::common::Lang;
use crate::filing::{parse_material, Filing, MaterialArg};
use crate::usage_error;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    filing: Filing,
    /// A material already in hand, as KIND[@OWNER]=PATH (the form `seal` takes); repeat for
    /// each. It counts as given: the file is not read or checked.
    #[arg(long = "material", value_name = "KIND[@OWNER]=PATH", value_parser = parse_material)]
    materials: Vec<MaterialArg>,
    /// Print one JSON object instead of the checklist.
    #[arg(long)]
    json: bool,
    /// Language of the material names and messages.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    lang: Lang,
}

/// One line of the checklist: a slot the policy requires, or one given besides.
struct Line {
    slot: Slot,
    required: bool,
    given: bool,
}

pub fn run(args: Args) -> ExitCode {
    let (policy, submission) = match args.filing.load() {
        Ok(loaded) => loaded,
        Err(e) => return usage_error(&e),
    };
    let fields = &submission.fields;
    let given: Vec<Slot> = args.materials.iter().map(|m| m.slot(fields)).collect();
    let (needed, refusals) = submission.required_materials(&policy.requirements);
    let problems = seal::problems(&submission, &given, &policy, Date::today_utc());
    let mut lines: Vec<Line> = needed.iter().map(|s| Line { slot: s.clone(), required: true, given: given.contains(s) }).collect();
    for slot in &given {
        if !lines.iter().any(|l| &l.slot == slot) {
            lines.push(Line { slot: slot.clone(), required: false, given: true });
        }
    }
    let ready = problems.iter().all(|p| p.severity != Severity::Block);
    if args.json {
        let materials: Vec<_> = lines
            .iter()
            .map(|l| {
                let (kind, owner) = (l.slot.kind, &l.slot.owner);
                json!({ "slot": l.slot.to_string(), "kind": kind, "owner": owner, "owner_name": fields.owner_name(owner),
                        "name": { "zh": kind.zh(), "en": kind.en() }, "required": l.required, "given": l.given })
            })
            .collect();
        outln!("{}", json!({ "ready": ready, "materials": materials, "problems": problems }));
    } else {
        print_checklist(ready, &lines, &problems, &refusals, fields, args.lang);
    }
    ExitCode::from(if ready { 0 } else { 1 })
}

/// The checklist as text: a first line saying READY or what remains, the materials, then the
/// field problems by path, then the refusals and anything else.
fn print_checklist(ready: bool, lines: &[Line], problems: &[Problem], refusals: &[Problem], fields: &Fields, lang: Lang) {
    // A missing material is its unticked line; a material's other problems follow its line.
    let missing = |p: &Problem| p.code == Code::MissingMaterial;
    let of_line = |p: &Problem, l: &Line| !missing(p) && p.place == Place::Material { kind: l.slot.kind, owner: Some(l.slot.owner.clone()) };
    let on_a_line = |p: &Problem| lines.iter().any(|l| of_line(p, l));
    let field_problems: Vec<&Problem> =
        problems.iter().filter(|p| matches!(p.place, Place::Field { .. }) && !refusals.contains(p)).collect();
    let others: Vec<&Problem> = problems.iter().filter(|p| !missing(p) && !on_a_line(p) && !field_problems.contains(p)).collect();

    let remaining = lines.iter().filter(|l| l.required && !l.given).count();
    let blocking = problems.iter().filter(|p| p.severity == Severity::Block && !missing(p)).count();
    if ready {
        outln!("READY: nothing stands in the way of sealing");
    } else {
        outln!("NOT READY: {remaining} {} and {blocking} {} remain", plural(remaining, "material"), plural(blocking, "problem"));
    }
    let say = |p: &Problem| format!("{}{}: {}", if p.severity == Severity::Warn { "warn " } else { "" }, p.code, lang.pick(&p.message));
    outln!("materials:");
    let width = lines.iter().map(|l| l.slot.to_string().len()).max().unwrap_or(0);
    for l in lines {
        let owner = fields.owner_name(&l.slot.owner);
        let what = match lang {
            Lang::En => format!("{} of {owner}", l.slot.kind.en()),
            Lang::Zh => format!("{owner}的{}", l.slot.kind.zh()),
        };
        let note = if l.required { "" } else { "  (not required)" };
        outln!("  [{}] {:<width$}  {what}{note}", if l.given { 'x' } else { ' ' }, l.slot.to_string());
        for p in problems.iter().filter(|p| of_line(p, l)) {
            outln!("        {}", say(p));
        }
    }
    if !field_problems.is_empty() {
        outln!("fields:");
        for p in field_problems {
            outln!("  {}  {}", p.at, say(p));
        }
    }
    if !others.is_empty() {
        outln!("refused:");
        for p in others {
            outln!("  {}  {}", p.at, say(p));
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { word.to_owned() } else { format!("{word}s") }
}
