//! `hexin seal` and `hexin verify` on the shipped specimens: seal, verify, tamper, refuse, sign.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use hexin_core::package::signature::SoftwareKey;
use serde_json::Value;

fn hexin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hexin")).args(args).output().expect("run hexin")
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specimens").join(name)
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hexin-cli-package-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// `hexin seal` arguments for an example: its fields and every photo in it, by kind, taken with
/// the app's camera.
fn seal_args(example_name: &str, subject: &str, province: &str, out: &Path) -> Vec<String> {
    let dir = example(example_name);
    let mut args: Vec<String> = ["seal", "--subject", subject, "--province", province, "--source", "camera", "--json"].map(String::from).to_vec();
    args.extend(["--fields".into(), dir.join("fields.json").display().to_string(), "--out".into(), out.display().to_string()]);
    let mut photos: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "jpg")).collect();
    photos.sort();
    for photo in photos {
        let kind = photo.file_stem().unwrap().to_string_lossy().into_owned();
        args.extend(["--material".into(), format!("{kind}={}", photo.display())]);
    }
    args
}

fn run(args: &[String]) -> (i32, Value) {
    let out = hexin(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json = serde_json::from_str(stdout.trim()).unwrap_or_else(|_| panic!("not JSON: {stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), json)
}

fn verify(dir: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args: Vec<String> = vec!["verify".into(), "--json".into()];
    args.extend(extra.iter().map(|s| s.to_string()));
    args.push(dir.display().to_string());
    run(&args)
}

fn problem_codes(v: &Value) -> Vec<String> {
    v["problems"].as_array().unwrap().iter().map(|p| p["code"].as_str().unwrap().to_string()).collect()
}

#[test]
fn examples_seal_and_verify_then_tampering_is_caught() {
    for (name, subject, province) in [("individual", "individual", "11"), ("enterprise", "enterprise", "guangdong")] {
        let out = temp_dir(name);
        let (code, sealed) = run(&seal_args(name, subject, province, &out));
        assert_eq!(code, 0, "{sealed}");
        assert_eq!(sealed["sealed"], true);
        let (code, verified) = verify(&out, &[]);
        assert_eq!(code, 0, "{verified}");
        assert_eq!(verified["digest"], sealed["digest"]);

        // The digest given out of band must match.
        let digest = sealed["digest"].as_str().unwrap();
        assert_eq!(verify(&out, &["--expect-digest", digest]).0, 0);
        let (code, v) = verify(&out, &["--expect-digest", &"ab".repeat(32)]);
        assert_eq!((code, problem_codes(&v)), (1, vec!["digest_mismatch".to_string()]));

        // One byte of one photo changed.
        let first = sealed["files"][0]["file"].as_str().unwrap();
        let path = out.join(first);
        let mut bytes = std::fs::read(&path).unwrap();
        let third = bytes.len() / 3;
        bytes[third] ^= 1;
        std::fs::write(&path, bytes).unwrap();
        let (code, v) = verify(&out, &[]);
        assert_eq!((code, problem_codes(&v)), (1, vec!["file_hash_mismatch".to_string()]));
        std::fs::remove_dir_all(&out).unwrap();
    }
}

#[test]
fn refusal_lists_every_reason_and_exits_1() {
    let out = temp_dir("refused");
    // The enterprise example filed in Jiangsu, without its business licence: Jiangsu also
    // wants a domain certificate, which the example lacks.
    let mut args = seal_args("enterprise", "enterprise", "32", &out);
    let licence = args.iter().position(|a| a.starts_with("business-license=")).unwrap();
    args.drain(licence - 1..=licence);
    let (code, refused) = run(&args);
    assert_eq!(code, 1);
    assert_eq!(refused["sealed"], false);
    let mut codes: Vec<String> = refused["problems"].as_array().unwrap().iter().map(|p| format!("{} {}", p["code"].as_str().unwrap(), p["at"].as_str().unwrap())).collect();
    codes.sort();
    assert_eq!(codes, ["missing_material business-license@subject", "missing_material domain-certificate@www"]);
    assert!(!out.exists(), "nothing is written for a refused submission");

    // Bad flags are usage errors.
    let bad_province = hexin(&["seal", "--subject", "individual", "--province", "99", "--fields", "x", "--material", "other=x", "--out", "y"]);
    assert_eq!(bad_province.status.code(), Some(2));
    let bad_material = hexin(&["seal", "--subject", "individual", "--province", "11", "--fields", "x", "--material", "passport=x", "--out", "y"]);
    assert_eq!(bad_material.status.code(), Some(2));
}

#[test]
fn signed_packages_verify_only_with_the_trusted_key() {
    let dir = temp_dir("signed");
    std::fs::create_dir_all(&dir).unwrap();
    let (key, stranger) = (SoftwareKey::generate().unwrap(), SoftwareKey::generate().unwrap());
    let (key_pem, public_pem, stranger_pem) = (dir.join("key.pem"), dir.join("key.pub.pem"), dir.join("stranger.pub.pem"));
    std::fs::write(&key_pem, key.to_pem().unwrap()).unwrap();
    std::fs::write(&public_pem, key.public_key_pem().unwrap()).unwrap();
    std::fs::write(&stranger_pem, stranger.public_key_pem().unwrap()).unwrap();
    let out = dir.join("package");
    let mut args = seal_args("individual", "individual", "11", &out);
    args.extend(["--signing-key".into(), key_pem.display().to_string()]);
    let (code, sealed) = run(&args);
    assert_eq!((code, &sealed["signed"]), (0, &Value::Bool(true)));

    let trusted = ["--trusted-key", public_pem.to_str().unwrap()];
    let (code, v) = verify(&out, &trusted);
    assert_eq!(code, 0, "{v}");
    assert!(v["signed_by"].is_string());
    let (code, v) = verify(&out, &["--trusted-key", stranger_pem.to_str().unwrap()]);
    assert_eq!((code, problem_codes(&v)), (1, vec!["untrusted_key".to_string()]));

    // An edited field, even with the digest recomputed, breaks the signature.
    let manifest_path = out.join("manifest.json");
    let text = std::fs::read_to_string(&manifest_path).unwrap().replace("13800138000", "13900139000");
    std::fs::write(&manifest_path, &text).unwrap();
    let (code, v) = verify(&out, &trusted);
    assert_eq!((code, problem_codes(&v)), (1, vec!["manifest_tampered".to_string(), "signature_invalid".to_string()]));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn attestations_are_sealed_verified_and_their_tampering_is_caught() {
    let out = temp_dir("attested");
    let mut args = seal_args("individual", "individual", "11", &out);
    // The reference keeps its own ':' and '@': the value is split at the last '@' and the first two ':'.
    let flags = ["aliyun:liveness:vf-7:a@b@2026-11-30T12:00:00Z", "tencent-cloud:face-match:0f3c@2026-11-30T12:01:05Z"];
    for flag in flags {
        args.extend(["--attestation".into(), flag.into()]);
    }
    let (code, sealed) = run(&args);
    assert_eq!(code, 0, "{sealed}");
    let expected = serde_json::json!([
        { "provider": "aliyun", "kind": "liveness", "reference": "vf-7:a@b", "issued_at": "2026-11-30T12:00:00Z" },
        { "provider": "tencent-cloud", "kind": "face-match", "reference": "0f3c", "issued_at": "2026-11-30T12:01:05Z" },
    ]);
    assert_eq!(sealed["attestations"], expected);
    let manifest_path = out.join("manifest.json");
    let manifest: Value = serde_json::from_slice(&std::fs::read(&manifest_path).unwrap()).unwrap();
    assert_eq!(manifest["attestations"], expected);
    let (code, v) = verify(&out, &[]);
    assert_eq!((code, &v["digest"]), (0, &sealed["digest"]), "{v}");

    // Another verification id in place of the sealed one no longer matches the digest.
    let text = std::fs::read_to_string(&manifest_path).unwrap().replace("\"0f3c\"", "\"0f3d\"");
    std::fs::write(&manifest_path, text).unwrap();
    let (code, v) = verify(&out, &[]);
    assert_eq!((code, problem_codes(&v)), (1, vec!["manifest_tampered".to_string()]));
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn malformed_attestations_are_refused_and_nothing_is_written() {
    let out = temp_dir("bad-attestation");
    let stderr_of = |flags: &[&str]| {
        let mut args = seal_args("individual", "individual", "11", &out);
        for flag in flags {
            args.extend(["--attestation".into(), flag.to_string()]);
        }
        let o = hexin(&args.iter().map(String::as_str).collect::<Vec<_>>());
        (o.status.code(), String::from_utf8_lossy(&o.stderr).into_owned())
    };
    // Not the form: no reference, no '@'.
    for flag in ["aliyun:liveness@2026-11-30T12:00:00Z", "aliyun:liveness:vf-7"] {
        let (code, stderr) = stderr_of(&[flag]);
        assert_eq!(code, Some(2), "{flag}: {stderr}");
        assert!(stderr.contains("expected PROVIDER:KIND:REFERENCE@ISSUED_AT"), "{flag}: {stderr}");
    }
    // The form, but a part that seal refuses: the typed error, named by the flag's position.
    let good = "aliyun:liveness:vf-7@2026-11-30T12:00:00Z";
    let cases: [(&[&str], &str); 3] = [
        (&[good, "aliyun:liveness:vf-7@2026-11-30T20:00:00+08:00"], "invalid_argument: attestations[1]: issued_at must be an RFC 3339 UTC time"),
        (&[":liveness:vf-7@2026-11-30T12:00:00Z"], "invalid_argument: attestations[0]: provider must be 1 to 256 characters"),
        (&[good; 9], "invalid_argument: attestations: at most 8 attestations"),
    ];
    for (flags, error) in cases {
        let (code, stderr) = stderr_of(flags);
        assert_eq!(code, Some(2), "{flags:?}: {stderr}");
        assert!(stderr.starts_with(&format!("hexin: {error}")), "{flags:?}: {stderr}");
        assert!(!out.exists(), "nothing is written for a refused attestation");
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn slot_of(file: &Value) -> String {
    format!("{}@{}", file["kind"].as_str().unwrap(), file["owner"].as_str().unwrap())
}

#[test]
fn each_material_is_sealed_under_its_owner() {
    let out = temp_dir("owners");
    let mut args = seal_args("individual", "individual", "11", &out);
    args.retain(|a| a != "--json");
    let sealed = hexin(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(sealed.status.code(), Some(0), "{}", String::from_utf8_lossy(&sealed.stderr));
    let text = stdout(&sealed);
    for slot in hexin_testing::specimens::INDIVIDUAL {
        let (kind, owner) = slot.split_once('@').unwrap();
        let line = text.lines().find(|l| l.trim_start().starts_with(&format!("{slot} "))).unwrap_or_else(|| panic!("{slot}: {text}"));
        assert!(line.contains(&format!("{kind}.{owner}.jpg")), "{line}");
    }
    std::fs::remove_dir_all(&out).unwrap();

    // A website run by a second person: each person's ID card under their own id, from the
    // same flags with owners.
    let enterprise = example("enterprise");
    let photo = |kind: &str| enterprise.join(format!("{kind}.jpg")).display().to_string();
    let fields = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/enterprise-website-delegate/fields.json");
    let mut args: Vec<String> = ["seal", "--subject", "enterprise", "--province", "44", "--source", "camera", "--json"].map(String::from).to_vec();
    args.extend(["--fields".into(), fields.display().to_string(), "--out".into(), out.display().to_string()]);
    let materials = [
        "business-license",
        "id-card-front@lisi",
        "id-card-back@lisi",
        "id-card-front@wangwu",
        "id-card-back@wangwu",
        "face-photo@wangwu",
        "verification-form",
    ];
    for m in materials {
        args.extend(["--material".into(), format!("{m}={}", photo(m.split('@').next().unwrap()))]);
    }
    let (code, sealed) = run(&args);
    assert_eq!(code, 0, "{sealed}");
    let mut slots: Vec<String> = sealed["files"].as_array().unwrap().iter().map(slot_of).collect();
    slots.sort();
    assert_eq!(
        slots,
        ["business-license@subject", "face-photo@wangwu", "id-card-back@lisi", "id-card-back@wangwu", "id-card-front@lisi", "id-card-front@wangwu", "verification-form@www"]
    );
    assert!(out.join("id-card-front.lisi.jpg").is_file() && out.join("id-card-front.wangwu.jpg").is_file());
    assert_eq!(verify(&out, &[]).0, 0);
    std::fs::remove_dir_all(&out).unwrap();

    // The same in Shanghai, where a website run by someone other than the legal representative
    // needs an authorization letter.
    let province = args.iter().position(|a| a == "44").unwrap();
    args[province] = "31".into();
    let (code, refused) = run(&args);
    assert_eq!(code, 1, "{refused}");
    let problems: Vec<String> = refused["problems"].as_array().unwrap().iter().map(|p| format!("{} {}", p["code"].as_str().unwrap(), p["at"].as_str().unwrap())).collect();
    assert_eq!(problems, ["missing_material authorization-letter@www"]);
}

#[test]
fn an_owner_the_fields_do_not_have_is_refused_and_a_malformed_one_is_a_usage_error() {
    let out = temp_dir("unknown-owner");
    let front = example("individual").join("id-card-front.jpg").display().to_string();
    let mut args = seal_args("individual", "individual", "11", &out);
    args.extend(["--material".into(), format!("id-card-front@wangwu={front}")]);
    let (code, refused) = run(&args);
    assert_eq!(code, 1, "{refused}");
    let problems = refused["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{refused}");
    assert_eq!((&problems[0]["code"], &problems[0]["at"]), (&Value::from("unknown_reference"), &Value::from("id-card-front@wangwu")));
    assert!(problems[0]["message"]["en"].as_str().unwrap().contains("`wangwu`"), "{refused}");
    assert!(!out.exists());

    for owner in ["", "Wang Wu", "-ww", "a@b", &"w".repeat(33)] {
        let mut args = seal_args("individual", "individual", "11", &out);
        args.extend(["--material".into(), format!("id-card-front@{owner}={front}")]);
        let o = hexin(&args.iter().map(String::as_str).collect::<Vec<_>>());
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{owner:?}: {stderr}");
        assert!(stderr.contains(&format!("owner {owner:?}: expected `subject` or an id")), "{owner:?}: {stderr}");
        assert!(!out.exists());
    }
}

#[test]
fn photos_from_the_gallery_are_refused_where_the_policy_wants_the_camera() {
    let out = temp_dir("gallery");
    // The default source: a file on disk came from the gallery.
    let mut args = seal_args("individual", "individual", "11", &out);
    let source = args.iter().position(|a| a == "--source").unwrap();
    args.drain(source..=source + 1);
    let (code, refused) = run(&args);
    assert_eq!(code, 1, "{refused}");
    let mut problems: Vec<String> = refused["problems"].as_array().unwrap().iter().map(|p| format!("{} {}", p["code"].as_str().unwrap(), p["at"].as_str().unwrap())).collect();
    problems.sort();
    let mut expected: Vec<String> = hexin_testing::specimens::INDIVIDUAL.iter().map(|slot| format!("capture_source_not_allowed {slot}")).collect();
    expected.sort();
    assert_eq!(problems, expected);
    assert!(!out.exists());

    // Said outright, the same.
    let mut gallery = args.clone();
    gallery.extend(["--source".into(), "gallery".into()]);
    assert_eq!(run(&gallery).1, refused);

    // A policy that takes the gallery seals them, and the manifest says where they came from.
    let dir = temp_dir("gallery-policy");
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("gallery.toml");
    let text = hexin_core::Policy::icp_default_source();
    let camera_only = "[defaults]\nsources = [\"camera\"]";
    assert!(text.contains(camera_only));
    std::fs::write(&policy, text.replacen(camera_only, "[defaults]\nsources = [\"camera\", \"gallery\"]", 1)).unwrap();
    args.extend(["--policy".into(), policy.display().to_string()]);
    let (code, sealed) = run(&args);
    assert_eq!(code, 0, "{sealed}");
    let manifest: Value = serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let sources: Vec<&Value> = manifest["materials"].as_array().unwrap().iter().map(|m| &m["capture"]["source"]).collect();
    assert_eq!(sources, [&Value::from("gallery"); 4]);
    std::fs::remove_dir_all(&out).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}
