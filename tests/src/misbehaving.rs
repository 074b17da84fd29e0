//! A small tus 1.0.0 server on loopback that breaks the protocol on purpose, one way per
//! instance: the real `@tus/server` cannot misbehave. It keeps uploads in memory (offset and
//! length only; the bytes are counted and dropped) and offers the `creation` extension.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Longest request head read; a client sending more is cut off.
const MAX_HEAD: usize = 64 * 1024;
/// How long an endless body keeps streaming at most, should the client never hang up.
const ENDLESS_FOR: Duration = Duration::from_secs(60);

/// How the server misbehaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Misbehaviour {
    /// None: a correct tus server, to be the one a refused `Location` would have led to.
    None,
    /// Every PATCH is answered 204 with the offset it was sent at: nothing confirmed.
    NoProgress,
    /// Every PATCH is answered 204 confirming one byte of the chunk.
    OneBytePerPatch,
    /// POST answers with this absolute `Location` (`{port}` is replaced by the server's port).
    Location(String),
    /// PATCH and HEAD answer an `Upload-Offset` past the upload's length.
    OffsetBeyondLength,
    /// PATCH answers 204 without `Upload-Offset`.
    NoOffset,
    /// PATCH answers with this status and a chunked body that never ends.
    EndlessBody(u16),
}

/// One request as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub method: String,
    pub path: String,
    /// Whether it carried an `Authorization` header.
    pub authorization: bool,
}

#[derive(Default)]
struct State {
    /// Upload id → (offset, length).
    uploads: HashMap<u64, (u64, u64)>,
    next_id: u64,
    requests: Vec<Received>,
}

/// A running misbehaving server; it stops accepting when dropped.
pub struct MisbehavingServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    body_bytes: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl MisbehavingServer {
    /// Starts a server on a free loopback port.
    ///
    /// # Panics
    /// If no loopback port can be bound.
    pub fn start(misbehaviour: Misbehaviour) -> MisbehavingServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("cannot bind loopback: {e}"));
        let addr = listener.local_addr().unwrap_or_else(|e| panic!("no local address: {e}"));
        let server = MisbehavingServer {
            addr,
            state: Arc::default(),
            body_bytes: Arc::default(),
            stop: Arc::default(),
        };
        let conn = Connection {
            misbehaviour: Arc::new(misbehaviour),
            port: addr.port(),
            state: server.state.clone(),
            body_bytes: server.body_bytes.clone(),
        };
        let stop = server.stop.clone();
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let conn = conn.clone();
                thread::spawn(move || conn.serve(stream));
            }
        });
        server
    }

    /// The creation URL, `http://127.0.0.1:PORT/files/`.
    pub fn endpoint(&self) -> String {
        format!("http://{}/files/", self.addr)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Creates an upload of `length` bytes, as a POST would; returns its URL.
    pub fn add_upload(&self, length: u64) -> String {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.next_id += 1;
        let id = state.next_id;
        state.uploads.insert(id, (0, length));
        format!("http://{}/files/{id}", self.addr)
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Received> {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).requests.clone()
    }

    /// Request body bytes received so far.
    pub fn body_bytes(&self) -> u64 {
        self.body_bytes.load(Ordering::Relaxed)
    }
}

impl Drop for MisbehavingServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

#[derive(Clone)]
struct Connection {
    misbehaviour: Arc<Misbehaviour>,
    port: u16,
    state: Arc<Mutex<State>>,
    body_bytes: Arc<AtomicU64>,
}

/// A parsed request head.
struct Head {
    method: String,
    path: String,
    headers: HashMap<String, String>,
}

impl Head {
    fn number(&self, name: &str) -> u64 {
        self.headers.get(name).and_then(|v| v.parse().ok()).unwrap_or(0)
    }
}

impl Connection {
    /// Serves requests on one connection until the client closes it or a response ends it.
    fn serve(self, stream: TcpStream) {
        let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
        let Ok(mut writer) = stream.try_clone() else { return };
        let mut reader = BufReader::new(stream);
        while let Some(head) = read_head(&mut reader) {
            let length = head.number("content-length");
            let drained = std::io::copy(&mut (&mut reader).take(length), &mut std::io::sink()).unwrap_or(0);
            self.body_bytes.fetch_add(drained, Ordering::Relaxed);
            if drained < length {
                return;
            }
            self.state.lock().unwrap_or_else(|p| p.into_inner()).requests.push(Received {
                method: head.method.clone(),
                path: head.path.clone(),
                authorization: head.headers.contains_key("authorization"),
            });
            if !self.respond(&head, length, &mut writer) {
                return;
            }
        }
    }

    /// Writes the answer; `false` when the connection must close.
    fn respond(&self, head: &Head, body_len: u64, out: &mut TcpStream) -> bool {
        let id = head.path.rsplit('/').next().and_then(|s| s.parse::<u64>().ok());
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let (status, headers): (u16, Vec<(&str, String)>) = match (head.method.as_str(), id) {
            ("OPTIONS", _) => (204, vec![("Tus-Version", "1.0.0".into()), ("Tus-Extension", "creation".into())]),
            ("POST", _) => {
                state.next_id += 1;
                let id = state.next_id;
                state.uploads.insert(id, (0, head.number("upload-length")));
                let location = match &*self.misbehaviour {
                    Misbehaviour::Location(url) => url.replace("{port}", &self.port.to_string()),
                    _ => format!("http://127.0.0.1:{}/files/{id}", self.port),
                };
                (201, vec![("Location", location)])
            }
            ("HEAD", Some(id)) if state.uploads.contains_key(&id) => {
                let (offset, length) = state.uploads[&id];
                let offset = if *self.misbehaviour == Misbehaviour::OffsetBeyondLength { length + 1 } else { offset };
                (200, vec![("Upload-Offset", offset.to_string()), ("Upload-Length", length.to_string()), ("Cache-Control", "no-store".into())])
            }
            ("PATCH", Some(id)) if state.uploads.contains_key(&id) => {
                let at = head.number("upload-offset");
                let (offset, length) = state.uploads[&id];
                if at != offset {
                    (409, vec![])
                } else {
                    let new = match &*self.misbehaviour {
                        Misbehaviour::NoProgress => at,
                        Misbehaviour::OneBytePerPatch => (at + 1).min(at + body_len),
                        Misbehaviour::OffsetBeyondLength => length + 1000,
                        _ => at + body_len,
                    };
                    state.uploads.insert(id, (new.min(length), length));
                    match &*self.misbehaviour {
                        Misbehaviour::NoOffset => (204, vec![]),
                        Misbehaviour::EndlessBody(status) => {
                            drop(state);
                            endless(out, *status, new);
                            return false;
                        }
                        _ => (204, vec![("Upload-Offset", new.to_string())]),
                    }
                }
            }
            _ => (404, vec![]),
        };
        drop(state);
        let mut text = format!("HTTP/1.1 {status} X\r\nTus-Resumable: 1.0.0\r\nContent-Length: 0\r\n");
        for (name, value) in headers {
            text.push_str(&format!("{name}: {value}\r\n"));
        }
        text.push_str("\r\n");
        out.write_all(text.as_bytes()).is_ok()
    }
}

/// A response whose chunked body never ends, until the client hangs up (or [`ENDLESS_FOR`]).
fn endless(out: &mut TcpStream, status: u16, offset: u64) {
    let head = format!(
        "HTTP/1.1 {status} X\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: {offset}\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    let chunk = format!("1000\r\n{}\r\n", "x".repeat(0x1000));
    let started = Instant::now();
    if out.write_all(head.as_bytes()).is_err() {
        return;
    }
    while started.elapsed() < ENDLESS_FOR && out.write_all(chunk.as_bytes()).is_ok() {}
}

/// Reads a request line and headers (names lowercased); `None` at EOF or on garbage.
fn read_head(reader: &mut BufReader<TcpStream>) -> Option<Head> {
    let mut lines = vec![];
    let mut total = 0;
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line).ok()?;
        total += n;
        if n == 0 || total > MAX_HEAD {
            return None;
        }
        let line = line.trim_end().to_owned();
        if line.is_empty() {
            break;
        }
        lines.push(line);
    }
    let mut request = lines.first()?.split(' ');
    let (method, path) = (request.next()?.to_owned(), request.next()?.to_owned());
    let headers = lines[1..]
        .iter()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Some(Head { method, path, headers })
}
