//! `hexin upload` and `hexin outbox` against the real tus server: the whole flow, and SIGKILL
//! mid-upload followed by a resume that re-sends little.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use hexin_e2e::{FaultProxy, TusServer};
use serde_json::Value;

const CHUNK: u64 = 1024;

fn hexin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hexin")).args(args).output().expect("run hexin")
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}"))).collect()
}

/// Seals the individual example into `dir/package` with `hexin seal`; returns its directory.
fn sealed_example(dir: &Path) -> PathBuf {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specimens/individual");
    let out = dir.join("package");
    let mut args: Vec<String> = ["seal", "--subject", "individual", "--province", "11", "--source", "camera"].map(String::from).to_vec();
    args.extend(["--fields".into(), example.join("fields.json").display().to_string(), "--out".into(), out.display().to_string()]);
    for kind in ["id-card-front", "id-card-back", "face-photo", "verification-form"] {
        args.extend(["--material".into(), format!("{kind}={}", example.join(format!("{kind}.jpg")).display())]);
    }
    let sealed = hexin(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(sealed.status.success(), "{}", String::from_utf8_lossy(&sealed.stdout));
    out
}

fn package_id(package: &Path) -> String {
    let manifest: Value = serde_json::from_slice(&std::fs::read(package.join("manifest.json")).unwrap()).unwrap();
    manifest["package_id"].as_str().unwrap().to_owned()
}

fn material_bytes(package: &Path) -> u64 {
    std::fs::read_dir(package).unwrap().map(|e| e.unwrap()).filter(|e| e.file_name() != "manifest.json").map(|e| e.metadata().unwrap().len()).sum()
}

#[test]
fn whole_flow_upload_list_and_purge() {
    let server = TusServer::start();
    let dir = tempfile::tempdir().unwrap();
    let package = sealed_example(dir.path());
    let id = package_id(&package);
    let key = dir.path().join("outbox.key");
    std::fs::write(&key, "ab".repeat(32)).unwrap();
    let outbox = dir.path().join("outbox");
    let (outbox_arg, key_arg, endpoint) = (outbox.to_str().unwrap(), key.to_str().unwrap(), server.endpoint());
    let at = ["--outbox", outbox_arg, "--key-file", key_arg];

    let upload = hexin(&[&["upload", "--endpoint", &endpoint, "--json"][..], &at, &[package.to_str().unwrap()]].concat());
    assert!(upload.status.success(), "{}", String::from_utf8_lossy(&upload.stdout));
    let events = json_lines(&upload);
    assert!(events.iter().any(|e| e["event"] == "progress"));
    assert!(events.iter().any(|e| e["event"] == "committed" && e["package_id"] == id.as_str()));
    assert_eq!(events.last().unwrap()["event"], "delivered");

    // What the server assembled verifies, with the digest sealed on the device.
    let digest = events.iter().find(|e| e["event"] == "committed").unwrap()["digest"].as_str().unwrap().to_owned();
    let stored = server.packages_dir().join(&id);
    let verified = hexin(&["verify", "--expect-digest", &digest, stored.to_str().unwrap()]);
    assert!(verified.status.success(), "{}", String::from_utf8_lossy(&verified.stdout));

    let list = json_lines(&hexin(&[&["outbox", "list", "--json"][..], &at].concat()));
    assert_eq!((list.len(), &list[0]["state"]), (1, &Value::from("committed")));
    // Delivered once; a second upload of the same package is already done.
    let again = hexin(&[&["upload", "--endpoint", &endpoint, "--json"][..], &at, &[package.to_str().unwrap()]].concat());
    assert!(again.status.success());
    // The wrong key cannot open the outbox.
    std::fs::write(&key, "cd".repeat(32)).unwrap();
    assert_eq!(hexin(&[&["outbox", "list"][..], &at].concat()).status.code(), Some(2));
    std::fs::write(&key, "ab".repeat(32)).unwrap();
    assert!(hexin(&[&["outbox", "purge", "--committed"][..], &at].concat()).status.success());
    assert!(json_lines(&hexin(&[&["outbox", "list", "--json"][..], &at].concat())).is_empty());

    // A broken package is refused before anything is stored or sent.
    std::fs::write(package.join("extra.txt"), b"x").unwrap();
    let broken = hexin(&[&["upload", "--endpoint", &endpoint][..], &at, &[package.to_str().unwrap()]].concat());
    assert_eq!(broken.status.code(), Some(1));
}

/// SIGKILLs `hexin upload` mid-upload three times, at growing progress, then lets it finish:
/// delivered, and each kill cost at most one chunk per parallel upload. The kills land while
/// the client waits to retry (the proxy answers 503 with `Retry-After: 30`), while a PATCH is
/// in flight (the proxy stalls its body), and at whatever it was doing.
#[test]
fn sigkill_mid_upload_then_resume() {
    let server = TusServer::start();
    let proxy = FaultProxy::start(server.addr());
    let dir = tempfile::tempdir().unwrap();
    let package = sealed_example(dir.path());
    let id = package_id(&package);
    let outbox = dir.path().join("outbox");
    let endpoint = proxy.url("/files/");
    let chunk = CHUNK.to_string();
    let args = ["upload", "--endpoint", &endpoint, "--outbox", outbox.to_str().unwrap(), "--chunk-size", &chunk, "--parallel", "2", "--json", package.to_str().unwrap()];
    let total = material_bytes(&package);
    let mut kills = 0;
    for (threshold, fault) in [(total / 10, "retry-wait"), (total * 3 / 10, "in-flight"), (total / 2, "anywhere")] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hexin")).args(args).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        for line in stdout.lines() {
            let event: Value = serde_json::from_str(&line.unwrap()).unwrap();
            if event["event"] == "progress" && event["package_sent"].as_u64().unwrap() >= threshold {
                match fault {
                    "retry-wait" => proxy.respond_with(503, 100, Some(30)),
                    "in-flight" => proxy.stall(std::time::Duration::from_secs(30)),
                    _ => {}
                }
                if fault != "anywhere" {
                    std::thread::sleep(std::time::Duration::from_millis(300));
                }
                child.kill().unwrap();
                proxy.clear_faults();
                kills += 1;
                break;
            }
        }
        child.wait().unwrap();
        let list = json_lines(&hexin(&["outbox", "list", "--json", "--outbox", outbox.to_str().unwrap()]));
        assert_eq!(list[0]["state"], "uploading", "killed {fault} at {threshold} of {total}");
    }
    assert_eq!(kills, 3);
    // What an app does at start-up: resume everything the outbox holds.
    let finish = hexin(&["outbox", "resume", "--outbox", outbox.to_str().unwrap(), "--endpoint", &endpoint, "--chunk-size", &chunk, "--json"]);
    assert!(finish.status.success(), "{}", String::from_utf8_lossy(&finish.stdout));
    assert!(json_lines(&finish).iter().any(|e| e["event"] == "delivered" && e["package_id"] == id.as_str()));
    let v = hexin(&["verify", server.packages_dir().join(&id).to_str().unwrap()]);
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stdout));

    let commits: u64 = server.stored_uploads().iter().filter(|u| u.metadata.get("kind").map(String::as_str) == Some("commit")).map(|u| u.size).sum();
    let forwarded = proxy.body_bytes_forwarded("PATCH") + proxy.body_bytes_forwarded("POST");
    let resent = forwarded - total - commits;
    eprintln!("{kills} kills, {resent} bytes re-sent of {total}");
    assert!(resent <= kills * 2 * CHUNK, "{resent} bytes re-sent after {kills} kills");
}

/// `outbox purge --endpoint` on a half-uploaded package terminates its uploads on the server
/// too; a plain purge stays local.
#[test]
fn purge_with_an_endpoint_terminates_server_uploads() {
    let server = TusServer::start();
    let dir = tempfile::tempdir().unwrap();
    let package = sealed_example(dir.path());
    let id = package_id(&package);
    let outbox = dir.path().join("outbox");
    let (outbox_arg, endpoint) = (outbox.to_str().unwrap(), server.endpoint());
    let chunk = CHUNK.to_string();
    // One material at a time: when the second one's bytes arrive, the outbox holds the URL of
    // every upload the server has. (With several in flight, one created but not yet recorded
    // when the process dies is unknown to the outbox, and only the server's expiry removes it.)
    let args = ["upload", "--endpoint", &endpoint, "--outbox", outbox_arg, "--chunk-size", &chunk, "--parallel", "1", "--json", package.to_str().unwrap()];
    let mut child = Command::new(env!("CARGO_BIN_EXE_hexin")).args(args).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut uploaded = None;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let event: Value = serde_json::from_str(&line.unwrap()).unwrap();
        if event["event"] == "uploaded" && uploaded.is_none() {
            uploaded = Some(event["file"].clone());
        } else if event["event"] == "progress" && uploaded.is_some() && Some(&event["file"]) != uploaded.as_ref() {
            break; // one material whole on the server, the next under way
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let materials = || server.stored_uploads().into_iter().filter(|u| u.metadata.get("package_id") == Some(&id)).count();
    assert!(materials() >= 2, "one material whole and one under way");

    let purge = hexin(&["outbox", "purge", "--outbox", outbox_arg, "--endpoint", &endpoint, &id]);
    assert!(purge.status.success(), "{}", String::from_utf8_lossy(&purge.stderr));
    assert_eq!(materials(), 0, "uploads left on the server");
    assert!(json_lines(&hexin(&["outbox", "list", "--json", "--outbox", outbox_arg])).is_empty());
    assert_eq!(hexin(&["outbox", "purge", "--outbox", outbox_arg, "--endpoint", &endpoint, &id]).status.code(), Some(2));
}
