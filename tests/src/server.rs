//! The real tus server: `node tests/tus-server/server.mjs` in a child process.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use serde::Deserialize;
use tempfile::TempDir;

const SERVER_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tus-server");
/// Written into `node_modules/` after a successful `npm ci`: the lockfile's SHA-256.
const STAMP: &str = ".hexin-lockfile-sha256";
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// Node's minimum for `@tus/server` 2.x.
const MIN_NODE: (u32, u32) = (20, 19);

/// A running tus server with its own empty upload store and packages directory.
///
/// The child process is killed on drop; it also exits by itself when this process dies.
pub struct TusServer {
    root: TempDir,
    port: u16,
    child: Child,
    /// Held open: the server exits when it closes.
    _stdin: ChildStdin,
}

/// One upload in the FileStore, as its `<id>.json` info and data file describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredUpload {
    pub id: String,
    /// Bytes stored so far (the upload's offset).
    pub size: u64,
    /// The declared Upload-Length; `None` while deferred.
    pub length: Option<u64>,
    /// Upload-Metadata, decoded; a key sent without a value maps to "".
    pub metadata: BTreeMap<String, String>,
    /// The data file.
    pub path: PathBuf,
}

#[derive(Deserialize)]
struct Info {
    size: Option<u64>,
    #[serde(default)]
    metadata: Option<BTreeMap<String, Option<String>>>,
}

impl TusServer {
    /// Installs the npm dependencies if needed and starts a server on a free loopback port.
    ///
    /// # Panics
    /// If Node ≥ 20.19 or npm is missing, `npm ci` fails, or the server does not start in 30 s.
    pub fn start() -> TusServer {
        ensure_npm_deps();
        let root = tempfile::Builder::new()
            .prefix("hexin-tus-")
            .tempdir()
            .unwrap_or_else(|e| panic!("cannot create a temp dir: {e}"));
        for dir in ["store", "packages"] {
            fs::create_dir(root.path().join(dir))
                .unwrap_or_else(|e| panic!("cannot create {dir}: {e}"));
        }
        let (port, child, stdin) =
            spawn(root.path(), 0).unwrap_or_else(|e| panic!("the tus server did not start: {e}"));
        TusServer {
            root,
            port,
            child,
            _stdin: stdin,
        }
    }

    /// The creation URL, `http://127.0.0.1:PORT/files/`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}/files/", self.port)
    }

    /// The server's listening address.
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.port))
    }

    /// The FileStore directory: `<id>` data files and `<id>.json` infos.
    pub fn store_dir(&self) -> PathBuf {
        self.root.path().join("store")
    }

    /// Where committed packages appear, one `<package_id>/` directory each.
    pub fn packages_dir(&self) -> PathBuf {
        self.root.path().join("packages")
    }

    /// Kills the server and starts it again on the same port with the same directories.
    ///
    /// # Panics
    /// If the server does not come back within a few attempts.
    pub fn restart(&mut self) {
        stop(&mut self.child);
        let mut last = String::new();
        for _ in 0..10 {
            match spawn(self.root.path(), self.port) {
                Ok((_, child, stdin)) => {
                    self.child = child;
                    self._stdin = stdin;
                    return;
                }
                // The port can linger for a moment after the old process dies.
                Err(e) => last = e,
            }
            thread::sleep(Duration::from_millis(200));
        }
        panic!(
            "the tus server did not restart on port {}: {last}",
            self.port
        );
    }

    /// Every upload in the store, sorted by id.
    ///
    /// # Panics
    /// If the store cannot be read or holds an info file that is not the FileStore's JSON.
    pub fn stored_uploads(&self) -> Vec<StoredUpload> {
        let store = self.store_dir();
        let entries =
            fs::read_dir(&store).unwrap_or_else(|e| panic!("cannot list {}: {e}", store.display()));
        let mut uploads = Vec::new();
        for entry in entries {
            let info_path = entry
                .unwrap_or_else(|e| panic!("cannot list the store: {e}"))
                .path();
            let Some(id) = info_path
                .file_name()
                .and_then(|name| name.to_str())
                .and_then(|name| name.strip_suffix(".json"))
            else {
                continue;
            };
            let text = fs::read_to_string(&info_path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", info_path.display()));
            let info: Info = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("bad upload info {}: {e}", info_path.display()));
            let path = store.join(id);
            let size = fs::metadata(&path)
                .unwrap_or_else(|e| panic!("no data file for upload {id}: {e}"))
                .len();
            let metadata = info
                .metadata
                .unwrap_or_default()
                .into_iter()
                .map(|(key, value)| (key, value.unwrap_or_default()))
                .collect();
            uploads.push(StoredUpload {
                id: id.to_owned(),
                size,
                length: info.size,
                metadata,
                path,
            });
        }
        uploads.sort_by(|a, b| a.id.cmp(&b.id));
        uploads
    }
}

impl Drop for TusServer {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

fn stop(child: &mut Child) {
    // Already exited is fine; either way reap it.
    let _ = child.kill();
    let _ = child.wait();
}

/// Starts `server.mjs` on `port` (0: any) and waits for its `listening` line.
fn spawn(root: &Path, port: u16) -> Result<(u16, Child, ChildStdin), String> {
    let mut child = Command::new("node")
        .arg(Path::new(SERVER_DIR).join("server.mjs"))
        .arg("--store")
        .arg(root.join("store"))
        .arg("--packages")
        .arg(root.join("packages"))
        .arg("--port")
        .arg(port.to_string())
        .arg("--exit-with-stdin")
        .current_dir(SERVER_DIR)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot run node: {e}"))?;
    let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        stop(&mut child);
        return Err("no pipes to the child".into());
    };
    let (tx, rx) = mpsc::channel();
    // Reads the first line for us, then keeps draining stdout so the child never blocks on it.
    thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        let _ = tx.send(lines.next());
        lines.for_each(drop);
    });
    let line = match rx.recv_timeout(START_TIMEOUT) {
        Ok(Some(Ok(line))) => line,
        Ok(_) | Err(mpsc::RecvTimeoutError::Disconnected) => {
            stop(&mut child);
            return Err("the server exited before listening (see its stderr above)".into());
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            stop(&mut child);
            return Err(format!("no `listening` line within {START_TIMEOUT:?}"));
        }
    };
    let listening = line
        .strip_prefix("listening http://127.0.0.1:")
        .and_then(|rest| rest.strip_suffix("/files/"))
        .and_then(|port| port.parse::<u16>().ok());
    match listening {
        Some(actual) if port == 0 || actual == port => Ok((actual, child, stdin)),
        _ => {
            stop(&mut child);
            Err(format!("unexpected first line {line:?}"))
        }
    }
}

/// Runs `npm ci` in `tests/tus-server` unless `node_modules/` was installed from the current
/// lockfile (a stamp holds its SHA-256). A file lock keeps parallel test processes in step.
fn ensure_npm_deps() {
    check_node();
    let dir = Path::new(SERVER_DIR);
    let lockfile = dir.join("package-lock.json");
    let want = crate::sha256_file(&lockfile);
    let stamp = dir.join("node_modules").join(STAMP);
    let lock_path = dir.join(".npm-install.lock");
    let lock = File::create(&lock_path)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", lock_path.display()));
    lock.lock()
        .unwrap_or_else(|e| panic!("cannot lock {}: {e}", lock_path.display()));
    if fs::read_to_string(&stamp).is_ok_and(|have| have.trim() == want) {
        return;
    }
    let output = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("npm is missing ({e}): install Node.js >= 20.19 with npm"));
    if !output.status.success() {
        panic!(
            "`npm ci` in {} failed ({}):\n{}{}",
            dir.display(),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    fs::write(&stamp, format!("{want}\n"))
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", stamp.display()));
}

fn check_node() {
    let output = Command::new("node")
        .arg("--version")
        .output()
        .unwrap_or_else(|e| {
            panic!("node is missing ({e}): the tus test server needs Node.js >= 20.19 on PATH")
        });
    let text = String::from_utf8_lossy(&output.stdout);
    let mut parts = text
        .trim()
        .trim_start_matches('v')
        .split('.')
        .map(|p| p.parse::<u32>());
    let version = match (parts.next(), parts.next()) {
        (Some(Ok(major)), Some(Ok(minor))) => (major, minor),
        _ => panic!("cannot read the Node.js version from {text:?}"),
    };
    assert!(
        version >= MIN_NODE,
        "Node.js {} is too old: the tus test server needs >= {}.{}",
        text.trim(),
        MIN_NODE.0,
        MIN_NODE.1
    );
}
