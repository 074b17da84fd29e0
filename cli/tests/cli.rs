//! The `hexin check` contract: JSON lines, readable report, --out, exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use hexin_testing::synthetic;
use serde_json::Value;

fn hexin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hexin")).args(args).output().expect("run hexin")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hexin-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A 1600x1200 camera-like photo of an ID card on a table; the card spans 1200 px.
fn write_good_photo(path: &Path) {
    let img = synthetic::noisy(synthetic::document(synthetic::Scene::new(1600, 1200)), 3.0, 1);
    img.save(path).unwrap();
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect()
}

#[test]
fn json_contract_and_exit_codes() {
    let dir = temp_dir("json");
    let good = dir.join("good.png");
    write_good_photo(&good);
    let garbage = dir.join("photo.jpg");
    std::fs::write(&garbage, b"not really a jpeg").unwrap();
    let out_dir = dir.join("out");

    let ok = hexin(&["check", "--material", "id-card-front", "--json", "--out", out_dir.to_str().unwrap(), good.to_str().unwrap()]);
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
    let lines = json_lines(&ok);
    assert_eq!(lines.len(), 1);
    let line = &lines[0];
    assert_eq!(line["verdict"], "accept");
    assert_eq!(line["material"], "id-card-front");
    assert_eq!(line["file"], good.to_str().unwrap());
    assert_eq!(line["findings"], Value::Array(vec![]));
    // The output is the card, straightened; the report says where it lay in the photo.
    let output = &line["output"];
    let (w, h) = (output["width"].as_u64().unwrap(), output["height"].as_u64().unwrap());
    assert!(w.abs_diff(1200) <= 2 && h.abs_diff(757) <= 2, "{w}x{h}");
    let document = &line["document"];
    assert_eq!(document["complete"], true);
    let corners = document["corners"].as_array().unwrap();
    assert_eq!(corners.len(), 4);
    assert!((corners[0][0].as_f64().unwrap() - 200.0).abs() < 2.0 && (corners[2][1].as_f64().unwrap() - 978.0).abs() < 2.0, "{corners:?}");
    let written = std::fs::read(out_dir.join("good.jpg")).unwrap();
    assert_eq!(output["bytes"].as_u64(), Some(written.len() as u64));
    assert_eq!(output["sha256"].as_str().unwrap(), hexin_core_sha(&written));
    let keys: Vec<&str> = line.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    assert_eq!(keys, ["document", "face", "file", "findings", "material", "output", "verdict"]);
    // A card front shows its holder's portrait: the face found on it, inside the card.
    let face = &line["face"]["faces"][0];
    let (fx, fw) = (face["x"].as_f64().unwrap(), face["width"].as_f64().unwrap());
    assert!(fx > corners[0][0].as_f64().unwrap() && fw > 0.0, "{}", line["face"]);

    let mixed = hexin(&["check", "--material", "id-card-back", "--json", good.to_str().unwrap(), garbage.to_str().unwrap()]);
    assert_eq!(mixed.status.code(), Some(1));
    let lines = json_lines(&mixed);
    assert_eq!(lines.len(), 2);
    let bad = &lines[1];
    assert_eq!(bad["verdict"], "reject");
    assert_eq!(bad["output"], Value::Null);
    let finding = &bad["findings"][0];
    assert_eq!(finding["code"], "corrupt_image");
    assert_eq!(finding["severity"], "block");
    assert!(finding["message"]["zh"].as_str().unwrap().contains("损坏"));
    assert!(finding["message"]["en"].as_str().unwrap().contains("damaged"));

    let missing = hexin(&["check", "--material", "other", good.to_str().unwrap(), "/nonexistent/photo.jpg"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/photo.jpg"));
}

fn hexin_core_sha(bytes: &[u8]) -> String {
    hexin_core::hash::sha256_hex(bytes)
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(hexin(&["check", "--material", "passport", "x.jpg"]).status.code(), Some(2));
    assert_eq!(hexin(&["check", "--material", "other"]).status.code(), Some(2));
    let dir = temp_dir("policy");
    let policy = dir.join("policy.toml");
    std::fs::write(&policy, "schema = 1\nid = \"x\"\n").unwrap();
    let out = hexin(&["check", "--material", "other", "--policy", policy.to_str().unwrap(), "x.jpg"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid_policy"));
}

#[test]
fn readable_report_and_custom_policy() {
    let dir = temp_dir("text");
    let good = dir.join("good.png");
    write_good_photo(&good);
    // A policy that demands more pixels than the photo has.
    let strict = hexin_core::Policy::icp_default_source().replace("min_short_side = 600", "min_short_side = 1300").replace("min_long_side = 800 ", "min_long_side = 1400 ");
    let policy = dir.join("strict.toml");
    std::fs::write(&policy, strict).unwrap();
    let out = hexin(&["check", "--material", "other", "--policy", policy.to_str().unwrap(), "--lang", "zh", good.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("REJECT") && text.contains("resolution_too_low"), "{text}");
    assert!(text.contains("分辨率过低"), "{text}");
    assert!(text.contains("measured 1200, limit 1300"), "{text}");
}
