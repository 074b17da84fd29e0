//! Runs the release-like `hexin` binary on hostile input, the way an attacker would: each run
//! has a wall-clock limit, an address-space cap and its peak resident memory measured, and a
//! sentinel directory outside the case's working directory proves nothing outside was touched.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// How long one run may take before it counts as a hang.
pub const TIME_LIMIT: Duration = Duration::from_secs(30);
/// The peak resident memory any run may reach (the bound for inputs within the policy).
pub const MEMORY_LIMIT_BYTES: u64 = 150 * 1024 * 1024;
/// The address-space cap the child runs under, so a runaway allocation fails fast instead of
/// taking the machine down; generous because thread stacks and allocator arenas reserve more
/// address space than they use.
const ADDRESS_SPACE_CAP: u64 = 2 * 1024 * 1024 * 1024;

/// What one run of `hexin` did.
#[derive(Debug)]
pub struct Run {
    /// The exit status; `None` when killed by a signal (a timeout or a crash).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
    pub timed_out: bool,
    /// Peak resident set size, from the kernel's accounting of the child.
    pub max_rss_bytes: u64,
}

impl Run {
    /// Asserts the run ended by itself within the time limit and stayed under the memory bound.
    pub fn assert_bounded(&self) -> &Self {
        assert!(!self.timed_out, "hung: killed after {:?}\n{self:#?}", self.elapsed);
        assert!(self.code.is_some(), "killed by a signal (a crash?)\n{self:#?}");
        assert_ne!(self.code, Some(101), "panicked\n{self:#?}");
        assert!(
            self.max_rss_bytes < MEMORY_LIMIT_BYTES,
            "peak memory {} MB over the {} MB bound\n{}",
            self.max_rss_bytes / 1_000_000,
            MEMORY_LIMIT_BYTES / 1_000_000,
            self.stderr
        );
        self
    }

    /// Asserts the run refused with `code` (its stable code, in the JSON or the message) and
    /// exit status `status`.
    pub fn assert_refused(&self, status: i32, code: &str) -> &Self {
        self.assert_bounded();
        assert_eq!(self.code, Some(status), "exit status\n{self:#?}");
        assert!(self.stdout.contains(code) || self.stderr.contains(code), "expected code {code}\n{self:#?}");
        self
    }
}

/// A working directory for one hostile case, with a sentinel directory beside it.
pub struct Case {
    root: tempfile::TempDir,
    before: BTreeMap<PathBuf, String>,
}

impl Case {
    pub fn new() -> Case {
        let root = tempfile::tempdir().expect("temp dir");
        let outside = root.path().join("outside");
        std::fs::create_dir_all(outside.join("photos")).unwrap();
        std::fs::create_dir_all(root.path().join("work")).unwrap();
        std::fs::write(outside.join("notes.txt"), b"the user's own file").unwrap();
        std::fs::write(outside.join("photos").join("holiday.jpg"), b"\xff\xd8 not hexin's").unwrap();
        let before = snapshot(&outside);
        Case { root, before }
    }

    /// The case's working directory: hexin runs here and may write here.
    pub fn work(&self) -> PathBuf {
        self.root.path().join("work")
    }

    /// A path inside the working directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.work().join(name)
    }

    /// The sentinel directory: a user's files that hexin must never change.
    pub fn outside(&self) -> PathBuf {
        self.root.path().join("outside")
    }

    /// Writes `bytes` to `name` in the working directory and returns its path.
    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// Runs `hexin ARGS` in the working directory under the time limit and the address-space cap.
    pub fn hexin<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        run(capped(env!("CARGO_BIN_EXE_hexin")).args(args).current_dir(self.work()).env("HOME", self.work()))
    }

    /// Asserts that nothing in the sentinel directory was added, removed or changed.
    pub fn assert_outside_unchanged(&self) {
        assert_eq!(snapshot(&self.outside()), self.before, "hexin changed files outside its working directory");
    }
}

impl Drop for Case {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            self.assert_outside_unchanged();
        }
    }
}

/// Every file under `dir` by relative path, with its SHA-256 (and "dir" for directories).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut map = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let rel = path.strip_prefix(dir).unwrap().to_path_buf();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                map.insert(rel, "dir".into());
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap_or_default();
                map.insert(rel, format!("{:x}", Sha256::digest(&bytes)));
            }
        }
    }
    map
}

/// A command for `program` under the address-space cap: `sh` sets the limit and execs it.
pub fn capped(program: &str) -> Command {
    let mut cmd = Command::new("/bin/sh");
    cmd.arg("-c").arg(format!("ulimit -v {} && exec \"$0\" \"$@\"", ADDRESS_SPACE_CAP / 1024)).arg(program);
    cmd
}

/// Runs `cmd` with piped output, killing it at [`TIME_LIMIT`], and reaps it with `wait4` for
/// its peak resident memory.
pub fn run(cmd: &mut Command) -> Run {
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).env("MALLOC_ARENA_MAX", "2");
    // The kernel takes the child's peak from the memory it starts with, which is this process's
    // until the exec: reset this process's peak to its current size first (Linux >= 4.0). Its
    // current size still counts, so a test frees what it generated before running hexin.
    std::fs::write("/proc/self/clear_refs", "5").expect("reset this process's peak memory");
    let start = Instant::now();
    let mut child = cmd.spawn().expect("spawn hexin");
    let pid = child.id() as libc::pid_t;
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || read_capped(&mut stdout));
    let err = std::thread::spawn(move || read_capped(&mut stderr));
    let (mut status, mut timed_out) = (0, false);
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            break;
        }
        assert!(r == 0, "wait4: {}", std::io::Error::last_os_error());
        if start.elapsed() > TIME_LIMIT && !timed_out {
            timed_out = true;
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let elapsed = start.elapsed();
    std::mem::forget(child); // reaped by wait4 above
    let code = if libc::WIFEXITED(status) { Some(libc::WEXITSTATUS(status)) } else { None };
    Run {
        code,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
        elapsed,
        timed_out,
        max_rss_bytes: usage.ru_maxrss as u64 * 1024,
    }
}

/// Reads a pipe to its end, keeping the first 64 KiB: a run that floods its output is reported,
/// not stored.
fn read_capped(r: &mut impl std::io::Read) -> String {
    let mut kept = Vec::new();
    let mut buf = [0u8; 8192];
    let mut total = 0usize;
    while let Ok(n) = r.read(&mut buf) {
        if n == 0 {
            break;
        }
        let room = (64 * 1024usize).saturating_sub(kept.len());
        kept.extend_from_slice(&buf[..n.min(room)]);
        total += n;
    }
    let mut s = String::from_utf8_lossy(&kept).into_owned();
    if total > kept.len() {
        s += &format!("\n[… {} bytes in all]", total);
    }
    s
}
