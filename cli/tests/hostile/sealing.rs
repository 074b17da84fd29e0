//! Sealing, policies, fields and the CLI's own output under hostile input: numbers a manifest
//! cannot carry, nan thresholds, garbage after JSON, invisible and spoofing text, Windows device
//! names, a closed stdout, a flood of quoted input, a write that fails midway, and outputs that
//! would overwrite each other.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use hexin_core::package::manifest::Manifest;
use hexin_core::hash::sha256_hex;
use hexin_core::Policy;

use crate::harness::{Case, TIME_LIMIT};

const KINDS: [&str; 4] = ["id-card-front", "id-card-back", "face-photo", "verification-form"];

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specimens/individual").join(name)
}

fn example_fields() -> String {
    std::fs::read_to_string(example("fields.json")).unwrap()
}

/// The example's fields with its one person's name set to `name`.
fn fields_with_name(name: &str) -> String {
    let mut fields: serde_json::Value = serde_json::from_str(&example_fields()).unwrap();
    fields["people"][0]["name"] = name.into();
    fields.to_string()
}

/// `hexin seal` of the individual example with `fields` into `out`, plus `extra` arguments.
fn seal_args(case: &Case, fields: &str, out: &str, extra: &[&str]) -> Vec<String> {
    case.write("fields.json", fields.as_bytes());
    let mut args: Vec<String> = ["seal", "--subject", "individual", "--province", "11", "--source", "camera", "--fields", "fields.json", "--out", out].map(String::from).to_vec();
    for kind in KINDS {
        args.extend(["--material".into(), format!("{kind}={}", example(&format!("{kind}.jpg")).display())]);
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

/// The embedded policy with `from` replaced by `to`, written to `name`.
fn policy_with(case: &Case, name: &str, from: &str, to: &str) -> PathBuf {
    let text = Policy::icp_default_source();
    assert!(text.contains(from), "{from}");
    case.write(name, text.replacen(from, to, 1).as_bytes())
}

/// Nothing named `prefix*` or `.prefix*` is left in the working directory.
fn assert_nothing_named(case: &Case, prefix: &str) {
    let left: Vec<String> = std::fs::read_dir(case.work())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.trim_start_matches('.').starts_with(prefix))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// A policy whose output_max_bytes is beyond 2^53 used to seal an empty manifest and exit 0;
/// it is refused by name before anything is written.
#[test]
fn seal_refuses_a_policy_number_a_manifest_cannot_carry() {
    let case = Case::new();
    policy_with(&case, "huge.toml", "output_max_bytes = 2_000_000", "output_max_bytes = 9007199254740993");
    let run = case.hexin(seal_args(&case, &example_fields(), "pkg", &["--policy", "huge.toml"]));
    run.assert_refused(2, "invalid_policy");
    assert!(run.stderr.contains("defaults.output_max_bytes"), "{run:#?}");
    assert_nothing_named(&case, "pkg");
}

/// A nan threshold says it must be a finite number, naming the field.
#[test]
fn nan_and_inf_thresholds_are_named() {
    let case = Case::new();
    for literal in ["nan", "inf"] {
        policy_with(&case, "nan.toml", "threshold = 0.5", &format!("threshold = {literal}"));
        let run = case.hexin(["check", "--material", "id-card-front", "--policy", "nan.toml", example("id-card-front.jpg").to_str().unwrap()]);
        run.assert_refused(2, "invalid_policy");
        assert!(run.stderr.contains("defaults.checks.blurry.threshold") && run.stderr.contains("finite"), "{run:#?}");
    }
}

/// A fields file or JSON policy followed by garbage is refused, not read up to the garbage.
#[test]
fn garbage_after_json_is_refused() {
    let case = Case::new();
    let run = case.hexin(seal_args(&case, &format!("{}{{\"x\":1}}", example_fields()), "pkg", &[]));
    run.assert_refused(2, "invalid_fields");
    assert_nothing_named(&case, "pkg");

    let json = serde_json::to_string(&toml::from_str::<toml::Value>(Policy::icp_default_source()).unwrap()).unwrap();
    case.write("policy.json", format!("{json} trailing").as_bytes());
    let run = case.hexin(["check", "--material", "id-card-front", "--policy", "policy.json", example("id-card-front.jpg").to_str().unwrap()]);
    run.assert_refused(2, "invalid_policy");
    case.write("policy.json", format!("{json}\n").as_bytes());
    let run = case.hexin(["check", "--material", "id-card-front", "--policy", "policy.json", example("id-card-front.jpg").to_str().unwrap()]);
    assert_eq!(run.assert_bounded().code, Some(0), "{run:#?}");
}

/// A name of zero-width characters is missing; a right-to-left override, NUL, an escape
/// sequence, BEL or a line break in a field is `invalid_text` naming the field; nothing is sealed.
#[test]
fn spoofing_text_is_not_sealed() {
    let case = Case::new();
    let cases = [
        ("\u{200B}\u{200D}\u{FEFF}", "missing_field"),
        ("李\u{202E}雷", "invalid_text"),
        ("李\0雷", "invalid_text"),
        ("\u{1b}[2J李雷", "invalid_text"),
        ("李雷\u{7}", "invalid_text"),
        ("李\r\n审核通过", "invalid_text"),
    ];
    for (value, code) in cases {
        let run = case.hexin(seal_args(&case, &fields_with_name(value), "pkg", &["--json"]));
        run.assert_refused(1, code);
        assert!(run.stdout.contains("people[0].name"), "{value:?}: {run:#?}");
        assert_nothing_named(&case, "pkg");
    }
}

/// A sealed package re-sealed (digest recomputed) with a material renamed to a Windows device
/// name is not intact: `NUL.jpg`, `aux.jpg`, `COM1.jpg` and `x.jpg.` are not safe file names.
#[test]
fn windows_device_names_in_a_manifest_are_refused() {
    let case = Case::new();
    case.hexin(seal_args(&case, &example_fields(), "pkg", &[])).assert_bounded();
    for name in ["NUL.jpg", "aux.jpg", "COM1.jpg", "lpt9", "CON", "x.jpg."] {
        let dir = case.path(&format!("pkg-{}", name.replace('.', "_")));
        copy_dir(&case.path("pkg"), &dir);
        let mut m: Manifest = serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
        std::fs::rename(dir.join(&m.materials[0].file), dir.join(name)).unwrap();
        m.materials[0].file = name.into();
        m.seal = None;
        let digest = sha256_hex(&m.to_canonical().unwrap());
        m.seal = Some(hexin_core::package::manifest::Seal { digest, signature: None });
        std::fs::write(dir.join("manifest.json"), m.to_canonical().unwrap()).unwrap();
        let run = case.hexin(["verify", "--json", dir.to_str().unwrap()]);
        run.assert_refused(1, "manifest_invalid");
        assert!(run.stdout.contains("not a plain file name"), "{name}: {run:#?}");
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// An invalid policy quotes at most a few hundred characters of its offending line: a 900 KB
/// line used to come back whole on stderr.
#[test]
fn an_invalid_policy_line_is_not_echoed_whole() {
    let case = Case::new();
    case.write("long.toml", format!("schema = 1\nid = \"{}\n", "x".repeat(900_000)).as_bytes());
    let run = case.hexin(["check", "--material", "id-card-front", "--policy", "long.toml", example("id-card-front.jpg").to_str().unwrap()]);
    run.assert_refused(2, "invalid_policy");
    assert!(run.stderr.len() < 4_000, "{} bytes of stderr", run.stderr.len());
}

/// Runs `hexin ARGS` in the case's directory with `prepare` applied before exec, stdout a pipe
/// whose reader is already gone; returns the exit status (None: killed by a signal) and stderr.
fn run_with(case: &Case, args: &[String], closed_stdout: bool, prepare: fn() -> std::io::Result<()>) -> (Option<i32>, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hexin"));
    cmd.args(args).current_dir(case.work()).env("HOME", case.work()).stdin(Stdio::null()).stderr(Stdio::piped());
    if closed_stdout {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        cmd.stdout(writer);
    } else {
        cmd.stdout(Stdio::null());
    }
    unsafe { cmd.pre_exec(prepare) };
    let start = Instant::now();
    let mut child = cmd.spawn().unwrap();
    drop(cmd); // the parent's copy of the pipe's write end
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > TIME_LIMIT {
            child.kill().unwrap();
            panic!("hung: {args:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    (status.code(), stderr)
}

fn nothing() -> std::io::Result<()> {
    Ok(())
}

/// With stdout a pipe nobody reads (`hexin verify D | head -0`), every subcommand finishes
/// quietly with its own exit status instead of panicking (exit 101).
#[test]
fn a_closed_stdout_does_not_panic() {
    let case = Case::new();
    let front = example("id-card-front.jpg").display().to_string();
    let seal = seal_args(&case, &example_fields(), "pkg", &[]);
    assert_eq!(run_with(&case, &seal, true, nothing).0, Some(0), "seal");
    let runs: [(Vec<&str>, i32); 6] = [
        (vec!["check", "--material", "id-card-front", &front], 0),
        (vec!["check", "--material", "id-card-front", "--json", &front], 0),
        (vec!["validate", "phone", "13800138000"], 0),
        (vec!["verify", "pkg"], 0),
        (vec!["verify", "--json", "fields.json"], 1),
        (vec!["outbox", "list", "--outbox", "ob"], 0),
    ];
    for (args, status) in runs {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let (code, stderr) = run_with(&case, &args, true, nothing);
        assert_eq!(code, Some(status), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    let refused = seal_args(&case, &fields_with_name("\u{202E}"), "pkg2", &[]);
    let (code, stderr) = run_with(&case, &refused, true, nothing);
    assert_eq!(code, Some(1), "{stderr}");
}

/// A file size limit (as on a full disk) makes the first photo's write fail midway: seal reports
/// a storage error and leaves neither the package nor its temporary directory.
#[test]
fn a_seal_that_fails_midway_leaves_no_half_package() {
    fn limit_file_size() -> std::io::Result<()> {
        let cap = libc::rlimit { rlim_cur: 50_000, rlim_max: 50_000 };
        // Writes past the limit then fail with EFBIG instead of killing the process.
        if unsafe { libc::signal(libc::SIGXFSZ, libc::SIG_IGN) } == libc::SIG_ERR || unsafe { libc::setrlimit(libc::RLIMIT_FSIZE, &cap) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    }
    let case = Case::new();
    let args = seal_args(&case, &example_fields(), "pkg", &[]);
    let (code, stderr) = run_with(&case, &args, false, limit_file_size);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("storage_error"), "{stderr}");
    assert_nothing_named(&case, "pkg");
}

/// `check --out` never overwrites: two inputs with the same stem and a file already there give
/// three distinct files, the user's own untouched, and each written name is reported.
#[test]
fn check_out_never_overwrites() {
    let case = Case::new();
    let front = std::fs::read(example("id-card-front.jpg")).unwrap();
    case.write("a/x.jpg", &front);
    case.write("b/x.jpg", &front);
    case.write("out/x.jpg", b"the user's own x.jpg");
    let run = case.hexin(["check", "--material", "id-card-front", "--json", "--out", "out", "a/x.jpg", "b/x.jpg"]);
    assert_eq!(run.assert_bounded().code, Some(0), "{run:#?}");
    assert_eq!(std::fs::read(case.path("out/x.jpg")).unwrap(), b"the user's own x.jpg");
    let written: Vec<String> = run.stdout.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["output"]["file"].as_str().unwrap().to_string()).collect();
    assert_eq!(written, ["out/x-2.jpg", "out/x-3.jpg"]);
    for name in &written {
        assert!(std::fs::read(case.path(name)).unwrap().starts_with(&[0xFF, 0xD8]), "{name}");
    }
}
