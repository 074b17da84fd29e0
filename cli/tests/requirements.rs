//! `hexin requirements`: the checklist of what a fields file still needs, as text and JSON.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn hexin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hexin")).args(args).output().expect("run hexin")
}

fn repo(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path).display().to_string()
}

/// The enterprise specimen whose website 王五 (`wangwu`), not the legal representative 李四
/// (`lisi`), runs.
fn two_people() -> String {
    repo("examples/enterprise-website-delegate/fields.json")
}

/// `hexin requirements` with `fields`, `--material KIND[@OWNER]=given.jpg` for each of
/// `materials`, and `extra` flags.
fn requirements(subject: &str, province: &str, fields: &str, materials: &[&str], extra: &[&str]) -> Output {
    let mut args: Vec<String> = ["requirements", "--subject", subject, "--province", province, "--fields", fields].map(String::from).to_vec();
    for m in materials {
        // The file is not read: it need not exist.
        args.extend(["--material".into(), format!("{m}=given.jpg")]);
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    hexin(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

fn json(out: &Output) -> Value {
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(stdout.trim()).unwrap_or_else(|_| panic!("not JSON: {stdout}\n{}", String::from_utf8_lossy(&out.stderr)))
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `slot` of each material, and `code at` of each problem.
fn slots_and_problems(v: &Value) -> (Vec<String>, Vec<String>) {
    let slots = v["materials"].as_array().unwrap().iter().map(|m| m["slot"].as_str().unwrap().to_owned()).collect();
    let problems = v["problems"].as_array().unwrap().iter().map(|p| format!("{} {}", p["code"].as_str().unwrap(), p["at"].as_str().unwrap())).collect();
    (slots, problems)
}

const SHANGHAI_SLOTS: [&str; 8] = [
    "business-license@subject",
    "id-card-front@lisi",
    "id-card-back@lisi",
    "id-card-front@wangwu",
    "id-card-back@wangwu",
    "face-photo@wangwu",
    "verification-form@www",
    "authorization-letter@www",
];

#[test]
fn a_website_run_by_a_second_person_in_shanghai_needs_both_id_cards_the_face_and_a_letter() {
    let out = requirements("enterprise", "31", &two_people(), &[], &["--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    assert_eq!(v["ready"], false);
    let (slots, problems) = slots_and_problems(&v);
    assert_eq!(slots, SHANGHAI_SLOTS);
    let missing: Vec<String> = SHANGHAI_SLOTS.iter().map(|s| format!("missing_material {s}")).collect();
    assert_eq!(problems, missing);
    let owners: Vec<&str> = v["materials"].as_array().unwrap().iter().map(|m| m["owner_name"].as_str().unwrap()).collect();
    assert_eq!(owners, ["示例科技有限公司", "李四", "李四", "王五", "王五", "王五", "示例科技官网", "示例科技官网"]);
    assert!(v["materials"].as_array().unwrap().iter().all(|m| m["required"] == true && m["given"] == false));

    // With some given (their files are not read), only the rest.
    let given = ["business-license", "id-card-front@lisi", "id-card-back@lisi", "verification-form"];
    let out = requirements("enterprise", "31", &two_people(), &given, &["--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let (slots, problems) = slots_and_problems(&v);
    assert_eq!(slots, SHANGHAI_SLOTS);
    let ticked: Vec<&str> = v["materials"].as_array().unwrap().iter().filter(|m| m["given"] == true).map(|m| m["slot"].as_str().unwrap()).collect();
    assert_eq!(ticked, ["business-license@subject", "id-card-front@lisi", "id-card-back@lisi", "verification-form@www"]);
    assert_eq!(
        problems,
        ["missing_material id-card-front@wangwu", "missing_material id-card-back@wangwu", "missing_material face-photo@wangwu", "missing_material authorization-letter@www"]
    );

    // The same as text: what remains first, then one line per slot.
    let out = requirements("enterprise", "31", &two_people(), &given, &[]);
    assert_eq!(out.status.code(), Some(1));
    let text = text(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "NOT READY: 4 materials and 0 problems remain", "{text}");
    assert_eq!(lines[1], "materials:");
    // Slots are padded to the widest (`business-license@subject`, 24 characters), then two spaces.
    assert_eq!(lines[2], format!("  [x] {:<24}  business licence of 示例科技有限公司", "business-license@subject"));
    assert_eq!(lines[5], format!("  [ ] {:<24}  ID card, photo side of 王五", "id-card-front@wangwu"));
    assert_eq!(lines[9], format!("  [ ] {:<24}  authorization letter of 示例科技官网", "authorization-letter@www"));
    assert_eq!(lines.len(), 10, "{text}");

    // In Guangdong, no letter.
    let v = json(&requirements("enterprise", "guangdong", &two_people(), &[], &["--json"]));
    assert_eq!(slots_and_problems(&v).0, SHANGHAI_SLOTS[..7]);
}

#[test]
fn the_individual_specimen_is_ready_once_its_four_materials_are_given() {
    let fields = repo("specimens/individual/fields.json");
    let all = ["id-card-front", "id-card-back", "face-photo", "verification-form"];
    let out = requirements("individual", "11", &fields, &all[..3], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).starts_with("NOT READY: 1 material and 0 problems remain\n"), "{}", text(&out));

    let out = requirements("individual", "11", &fields, &all, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let text = text(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "READY: nothing stands in the way of sealing");
    let ticked: Vec<&str> = lines[2..].iter().map(|l| l.split_whitespace().nth(1).unwrap()).collect();
    assert_eq!(ticked, hexin_testing::specimens::INDIVIDUAL);
    assert!(lines[2..].iter().all(|l| l.starts_with("  [x] ")), "{text}");

    let v = json(&requirements("individual", "11", &fields, &all, &["--json"]));
    assert_eq!((&v["ready"], &v["problems"]), (&Value::Bool(true), &serde_json::json!([])));
}

#[test]
fn json_shape() {
    // One material given besides the required ones, under an owner the fields do not have.
    let out = requirements("enterprise", "31", &two_people(), &["other@nobody"], &["--json"]);
    let v = json(&out);
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&v), ["materials", "problems", "ready"]);
    let materials = v["materials"].as_array().unwrap();
    for m in materials {
        assert_eq!(keys(m), ["given", "kind", "name", "owner", "owner_name", "required", "slot"]);
    }
    let letter = &materials[7];
    assert_eq!(letter["slot"], "authorization-letter@www");
    assert_eq!((&letter["kind"], &letter["owner"]), (&Value::from("authorization-letter"), &Value::from("www")));
    assert_eq!(letter["name"], serde_json::json!({ "zh": "授权书", "en": "authorization letter" }));
    let extra = &materials[8];
    assert_eq!(extra["slot"], "other@nobody");
    assert_eq!((&extra["required"], &extra["given"], &extra["owner_name"]), (&Value::Bool(false), &Value::Bool(true), &Value::from("nobody")));
    let problems = v["problems"].as_array().unwrap();
    for p in problems {
        assert_eq!(keys(p), ["at", "code", "message", "severity"]);
    }
    let unknown = problems.iter().find(|p| p["at"] == "other@nobody").unwrap();
    assert_eq!((&unknown["code"], &unknown["severity"]), (&Value::from("unknown_reference"), &Value::from("block")));

    // As text, the problem follows its line.
    let text = text(&requirements("enterprise", "31", &two_people(), &["other@nobody"], &[]));
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().position(|l| l.contains("other@nobody")).unwrap();
    assert!(lines[at].starts_with("  [x] ") && lines[at].ends_with("other document of nobody  (not required)"), "{text}");
    assert!(lines[at + 1].trim_start().starts_with("unknown_reference: The other document belongs to `nobody`"), "{text}");
    assert!(lines[0].starts_with("NOT READY: 8 materials and 1 problem remain"), "{text}");
}

#[test]
fn chinese_names_with_lang_zh() {
    let text = text(&requirements("enterprise", "31", &two_people(), &["id-card-front@wangwu"], &["--lang", "zh"]));
    assert!(text.contains(&format!("  [x] {:<24}  王五的身份证人像面\n", "id-card-front@wangwu")), "{text}");
    assert!(text.contains(&format!("  [ ] {:<24}  示例科技官网的授权书\n", "authorization-letter@www")), "{text}");
}

#[test]
fn field_problems_and_refusals_are_listed_by_place() {
    let dir = tempfile::tempdir().unwrap();
    let fields: PathBuf = dir.path().join("fields.json");
    // 张三's phone lacks a digit, and his ID card is from Beijing: Inner Mongolia accepts only
    // local IDs from individuals.
    let mut f: Value = serde_json::from_str(&std::fs::read_to_string(repo("specimens/individual/fields.json")).unwrap()).unwrap();
    f["people"][0]["phone"] = "1380013800".into();
    std::fs::write(&fields, f.to_string()).unwrap();
    let out = requirements("individual", "15", fields.to_str().unwrap(), &[], &["--lang", "zh"]);
    assert_eq!(out.status.code(), Some(1));
    let text = text(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "NOT READY: 4 materials and 2 problems remain", "{text}");
    let fields_at = lines.iter().position(|l| *l == "fields:").unwrap();
    assert!(lines[fields_at + 1].starts_with("  people[0].phone  invalid_phone: "), "{text}");
    assert_eq!(lines[fields_at + 2], "refused:", "{text}");
    assert!(lines[fields_at + 3].starts_with("  people[0].document.number  non_local_id: 内蒙古"), "{text}");
    assert_eq!(lines.len(), fields_at + 4, "{text}");
}

#[test]
fn a_fields_file_in_the_first_form_is_read() {
    let first = repo("core/tests/fixtures/fields-first-form.json");
    let out = requirements("individual", "11", &first, &["id-card-front", "id-card-back", "face-photo", "verification-form"], &["--json"]);
    let v = json(&out);
    let (slots, problems) = slots_and_problems(&v);
    assert_eq!(slots, ["id-card-front@p1", "id-card-back@p1", "face-photo@p1", "verification-form@w1"]);
    assert!(v["materials"].as_array().unwrap().iter().all(|m| m["given"] == true));
    // The first form had no domain registrants: the one thing left to declare.
    assert_eq!(problems, ["missing_field websites[0].domains[0].registrant", "missing_field websites[0].domains[1].registrant"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn usage_errors_exit_2() {
    let fields = two_people();
    for (args, error) in [
        (vec!["--subject", "company", "--province", "31", "--fields", &fields], "invalid value 'company'"),
        (vec!["--subject", "enterprise", "--province", "99", "--fields", &fields], "99"),
        (vec!["--subject", "enterprise", "--province", "31", "--fields", "/nonexistent/fields.json"], "/nonexistent/fields.json"),
        (vec!["--subject", "enterprise", "--province", "31", "--fields", &fields, "--material", "id-card-front@Wang=x.jpg"], "owner \"Wang\""),
    ] {
        let mut all = vec!["requirements"];
        all.extend(args.iter().copied());
        let out = hexin(&all);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(error), "{args:?}: {stderr}");
    }
}

#[test]
fn help_lists_every_subject_type() {
    for command in ["requirements", "seal"] {
        let help = text(&hexin(&[command, "--help"]));
        for kind in hexin_core::filing::requirements::SubjectKind::ALL {
            assert!(help.contains(kind.as_str()), "{command}: {kind}: {help}");
        }
    }
    let top = text(&hexin(&["--help"]));
    assert!(top.contains("requirements"), "{top}");
}
