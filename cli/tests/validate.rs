//! The `hexin validate` contract: text and JSON output, exit codes, no full ID number echoed.

use std::process::{Command, Output};

use serde_json::Value;

fn hexin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hexin")).args(args).output().expect("run hexin")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_str(stdout(out).trim()).expect("one JSON object")
}

#[test]
fn valid_values_exit_0_with_the_normalized_form() {
    for (kind, value, normalized) in [
        ("phone", "+86 138-0013-8000", "13800138000"),
        ("email", "Li.Lei@例子.中国", "Li.Lei@xn--fsqu00a.xn--fiqs8s"),
        ("domain", "例子。中国", "xn--fsqu00a.xn--fiqs8s"),
        ("credit-code", "91512081MA62K0260E", "91512081MA62K0260E"),
    ] {
        let out = hexin(&["validate", kind, value]);
        assert_eq!(out.status.code(), Some(0), "{kind} {value}: {}", stdout(&out));
        assert_eq!(stdout(&out), format!("valid: {normalized}\n"));

        let out = hexin(&["validate", kind, value, "--json"]);
        assert_eq!(out.status.code(), Some(0));
        let line = json(&out);
        assert_eq!(line["kind"], kind);
        assert_eq!(line["value"], value);
        assert_eq!(line["valid"], true);
        assert_eq!(line["normalized"], normalized);
        let keys: Vec<&str> = line.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        assert_eq!(keys, ["kind", "normalized", "valid", "value"]);
    }
}

#[test]
fn id_numbers_are_never_echoed_in_full() {
    let out = hexin(&["validate", "id-number", "11010519491231002X"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "valid: region 110105, born 1949-12-31, female\n");

    let out = hexin(&["validate", "id-number", "11010519491231002X", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let line = json(&out);
    assert_eq!(line["value"], "110105************");
    assert_eq!(line["normalized"]["region"], "110105");
    assert_eq!(line["normalized"]["province"], "11");
    assert_eq!(line["normalized"]["birth"], "1949-12-31");
    assert_eq!(line["normalized"]["sex"], "female");

    let out = hexin(&["validate", "id-number", "11010519491231002x", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!stdout(&out).contains("19491231002"));
    assert!(out.stderr.is_empty());
    let line = json(&out);
    assert_eq!(line["valid"], false);
    assert_eq!(line["code"], "invalid_id_number");
    assert!(line["message"]["en"].as_str().unwrap().contains("upper-case"));
    assert!(line["message"]["zh"].as_str().unwrap().contains("大写"));
    assert_eq!(line.get("normalized"), None);
}

#[test]
fn invalid_values_exit_1_with_code_and_reason() {
    let out = hexin(&["validate", "phone", "12800138000"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("invalid: invalid_phone: "), "{}", stdout(&out));

    let out = hexin(&["validate", "domain", "-example.cn", "--lang", "zh"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("invalid: invalid_domain: 域名"), "{}", stdout(&out));

    let out = hexin(&["validate", "credit-code", "91512081MA62K0260F", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let line = json(&out);
    assert_eq!(line["code"], "invalid_credit_code");
    let keys: Vec<&str> = line.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    assert_eq!(keys, ["code", "kind", "message", "valid", "value"]);

    let out = hexin(&["validate", "email", "a@b@qq.com", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["code"], "invalid_email");
}

#[test]
fn usage_errors_exit_2() {
    for args in [&["validate", "driving-licence", "E12345678"][..], &["validate", "phone"], &["validate", "phone", "13800138000", "--lang", "fr"]] {
        let out = hexin(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
    }
}

/// The other ID documents and filing numbers: valid ones exit 0 without echoing the number (the
/// JSON masks it), invalid ones exit 1 with their code; a filing number needs its province.
#[test]
fn documents_and_filing_numbers() {
    for (kind, value) in [
        ("hmt-residence-permit", "810000199001010027"),
        ("hk-macao-permit", "H12345678"),
        ("taiwan-permit", "12345678"),
        ("passport", "E12345678"),
    ] {
        let out = hexin(&["validate", kind, value]);
        assert_eq!(out.status.code(), Some(0), "{kind} {value}: {}", stdout(&out));
        assert!(!stdout(&out).contains(&value[6..]), "{kind} echoed the number: {}", stdout(&out));
        let line = json(&hexin(&["validate", kind, value, "--json"]));
        assert_eq!((line["kind"].as_str(), line["valid"].as_bool()), (Some(kind), Some(true)));
        assert!(line["value"].as_str().unwrap().ends_with('*'), "{line}");
    }
    for (kind, value) in [("hmt-residence-permit", "810000199001010028"), ("hk-macao-permit", "X12345678"), ("taiwan-permit", "1234567")] {
        let out = hexin(&["validate", kind, value, "--json"]);
        assert_eq!(out.status.code(), Some(1), "{kind} {value}");
        assert_eq!(json(&out)["code"], "invalid_id_number");
    }
    let ok = hexin(&["validate", "filing-number", "沪ICP备12345678号-1", "--province", "31"]);
    assert_eq!((ok.status.code(), stdout(&ok)), (Some(0), "valid: 沪ICP备12345678号-1\n".to_string()));
    let other = hexin(&["validate", "filing-number", "京ICP备12345678号", "--province", "shanghai", "--json"]);
    assert_eq!(other.status.code(), Some(1));
    assert_eq!(json(&other)["code"], "invalid_filing_number");
    assert_eq!(hexin(&["validate", "filing-number", "京ICP备12345678号"]).status.code(), Some(2));
    assert_eq!(hexin(&["validate", "filing-number", "京ICP备12345678号", "--province", "99"]).status.code(), Some(2));
}
