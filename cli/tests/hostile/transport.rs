//! Misbehaving tus servers against `hexin upload`: each run ends promptly with the code that
//! names what the server did, and nothing goes where a `Location` points off the endpoint's
//! origin. (Servers that confirm no progress are in tests/tests/misbehaving.rs: with the CLI's
//! default backoff their retry budget takes longer than this suite's time limit.)

use std::path::Path;

use hexin_e2e::{MisbehavingServer, Misbehaviour};

use crate::harness::{Case, Run};

/// Seals the individual example into the case's `package/` with `hexin seal`.
fn seal_example(case: &Case) {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specimens/individual");
    let mut args: Vec<String> = ["seal", "--subject", "individual", "--province", "11", "--source", "camera", "--out", "package"].map(String::from).to_vec();
    args.extend(["--fields".into(), example.join("fields.json").display().to_string()]);
    for kind in ["id-card-front", "id-card-back", "face-photo", "verification-form"] {
        args.extend(["--material".into(), format!("{kind}={}", example.join(format!("{kind}.jpg")).display())]);
    }
    let sealed = case.hexin(&args);
    assert_eq!(sealed.code, Some(0), "{sealed:#?}");
}

fn upload(server: &MisbehavingServer) -> (Case, Run) {
    let case = Case::new();
    seal_example(&case);
    let run = case.hexin(["upload", "--outbox", "outbox", "--endpoint", &server.endpoint(), "--json", "package"]);
    case.assert_outside_unchanged();
    (case, run)
}

#[test]
fn a_location_on_another_origin_is_refused() {
    let elsewhere = MisbehavingServer::start(Misbehaviour::None);
    let server = MisbehavingServer::start(Misbehaviour::Location(elsewhere.add_upload(1000)));
    let (_case, run) = upload(&server);
    run.assert_refused(1, "upload_url_refused");
    assert!(elsewhere.requests().is_empty(), "{:?}", elsewhere.requests());
}

#[test]
fn credentials_in_a_location_are_refused_and_never_sent() {
    let server = MisbehavingServer::start(Misbehaviour::Location("http://user:secret@127.0.0.1:{port}/files/1".into()));
    let (_case, run) = upload(&server);
    run.assert_refused(1, "upload_url_refused");
    assert!(!run.stdout.contains("secret") && !run.stderr.contains("secret"), "{run:#?}");
    assert!(server.requests().iter().all(|r| !r.authorization && r.method != "PATCH"), "{:?}", server.requests());
}

#[test]
fn an_offset_beyond_the_length_is_a_protocol_violation() {
    let server = MisbehavingServer::start(Misbehaviour::OffsetBeyondLength);
    let (_case, run) = upload(&server);
    run.assert_refused(1, "protocol_violation");
}
