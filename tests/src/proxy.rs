//! A loopback HTTP/1.1 proxy between a client and the tus server that injects faults on demand.
//!
//! Each client connection gets its own upstream connection; one thread relays requests, another
//! relays responses. Requests and responses pass through unchanged except that a `Location`
//! naming the upstream authority is rewritten to name the proxy.

use std::collections::{HashMap, HashSet};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// Longest request or status line, or header line, accepted.
const MAX_LINE: u64 = 16 * 1024;
/// Most header lines accepted in one head.
const MAX_HEADERS: usize = 200;

/// A running fault proxy on `127.0.0.1`. Faults are armed through `&self` from any thread; each
/// applies to the next matching request(s) and then clears, except [`FaultProxy::gone_for`].
pub struct FaultProxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

/// One request seen by the proxy, in arrival order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedRequest {
    pub method: String,
    /// The request target as sent, e.g. `/files/abc`.
    pub path: String,
    /// The status the client was sent; `None` when the connection was cut before a response.
    pub status: Option<u16>,
}

struct Shared {
    upstream: SocketAddr,
    /// `http://` + the upstream authority, as it appears in the server's `Location`.
    upstream_origin: String,
    proxy_origin: String,
    faults: Mutex<Faults>,
    log: Mutex<Vec<LoggedRequest>>,
    body_bytes: Mutex<HashMap<String, u64>>,
    /// Both sockets of every live connection, so that drop can close them.
    open: Mutex<HashMap<u64, [TcpStream; 2]>>,
    next_connection: AtomicU64,
    closing: AtomicBool,
}

#[derive(Default)]
struct Faults {
    cut_after: Option<u64>,
    stall: Option<Duration>,
    respond: Option<Canned>,
    reset_next_patch: bool,
    gone: HashSet<String>,
}

#[derive(Clone, Copy)]
struct Canned {
    status: u16,
    count: u32,
    retry_after: Option<u32>,
}

/// What to do with one request.
enum Action {
    Forward,
    Cut(u64),
    Stall(Duration),
    Reset,
    Respond {
        status: u16,
        retry_after: Option<u32>,
    },
}

/// A request or response head: the start line and the header lines, without line ends.
struct Head {
    start: String,
    headers: Vec<String>,
}

enum Body {
    Empty,
    Length(u64),
    Chunked,
    UntilClose,
}

/// A request waiting for its response: its log entry and whether it was a HEAD.
struct Pending {
    index: usize,
    head_only: bool,
}

impl FaultProxy {
    /// Starts a proxy on a free loopback port that forwards to `upstream`.
    ///
    /// # Panics
    /// If no loopback port can be bound.
    pub fn start(upstream: SocketAddr) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0")
            .unwrap_or_else(|e| panic!("cannot bind the fault proxy: {e}"));
        let addr = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("no proxy address: {e}"));
        let shared = Arc::new(Shared {
            upstream,
            upstream_origin: format!("http://{upstream}"),
            proxy_origin: format!("http://{addr}"),
            faults: Mutex::default(),
            log: Mutex::default(),
            body_bytes: Mutex::default(),
            open: Mutex::default(),
            next_connection: AtomicU64::new(0),
            closing: AtomicBool::new(false),
        });
        let accept_shared = Arc::clone(&shared);
        let accept = thread::spawn(move || {
            for client in listener.incoming() {
                if accept_shared.closing.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(client) = client {
                    let shared = Arc::clone(&accept_shared);
                    thread::spawn(move || serve(&shared, client));
                }
            }
        });
        FaultProxy {
            addr,
            shared,
            accept: Some(accept),
        }
    }

    /// The proxy's listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` followed by `path`, e.g. `proxy.url("/files/")`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.shared.proxy_origin)
    }

    /// The next PATCH: forward `n` more body bytes, then close both connections. If its body
    /// has `n` bytes or fewer, all of it reaches the server and the client connection closes
    /// before the response (a lost response).
    pub fn cut_after(&self, n: u64) {
        lock(&self.shared.faults).cut_after = Some(n);
    }

    /// The next PATCH: forward its head, wait `duration`, then forward its body.
    pub fn stall(&self, duration: Duration) {
        lock(&self.shared.faults).stall = Some(duration);
    }

    /// Answer the next `count` requests (any method) with `status` and an empty body, with
    /// `Retry-After: <seconds>` when given, without forwarding them. Their bodies are read and
    /// dropped, so the connection stays usable.
    pub fn respond_with(&self, status: u16, count: u32, retry_after: Option<u32>) {
        lock(&self.shared.faults).respond = (count > 0).then_some(Canned {
            status,
            count,
            retry_after,
        });
    }

    /// The next PATCH: close both connections before forwarding anything.
    pub fn reset_next_patch(&self) {
        lock(&self.shared.faults).reset_next_patch = true;
    }

    /// Answer `410 Gone` to every request whose path ends in `/<upload_id>`, until
    /// [`FaultProxy::clear_faults`].
    pub fn gone_for(&self, upload_id: &str) {
        lock(&self.shared.faults).gone.insert(upload_id.to_owned());
    }

    /// Disarms every fault.
    pub fn clear_faults(&self) {
        *lock(&self.shared.faults) = Faults::default();
    }

    /// PATCH body bytes forwarded to the server so far.
    pub fn patch_bytes_forwarded(&self) -> u64 {
        self.body_bytes_forwarded("PATCH")
    }

    /// Request body bytes of `method` requests forwarded to the server so far (chunk framing
    /// included for chunked bodies).
    pub fn body_bytes_forwarded(&self, method: &str) -> u64 {
        lock(&self.shared.body_bytes)
            .get(method)
            .copied()
            .unwrap_or(0)
    }

    /// Every request seen so far, in arrival order.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        lock(&self.shared.log).clone()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.shared.closing.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees `closing`.
        let _ = TcpStream::connect(self.addr);
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
        for sockets in lock(&self.shared.open).values() {
            for socket in sockets {
                let _ = socket.shutdown(Shutdown::Both);
            }
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Relays one client connection until either side closes or a fault ends it.
fn serve(shared: &Arc<Shared>, client: TcpStream) {
    let Ok(upstream) = TcpStream::connect(shared.upstream) else {
        return;
    };
    let clones = (
        client.try_clone(),
        client.try_clone(),
        upstream.try_clone(),
        upstream.try_clone(),
    );
    let (Ok(client_reader), Ok(client_registered), Ok(upstream_writer), Ok(upstream_registered)) =
        clones
    else {
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = upstream.set_nodelay(true);
    let id = shared.next_connection.fetch_add(1, Ordering::SeqCst);
    lock(&shared.open).insert(id, [client_registered, upstream_registered]);
    let client_writer = Arc::new(Mutex::new(client));
    let (pending_tx, pending_rx) = mpsc::channel();

    let responses = {
        let shared = Arc::clone(shared);
        let client_writer = Arc::clone(&client_writer);
        thread::spawn(move || {
            let _ = relay_responses(&shared, upstream, &client_writer, &pending_rx);
            close(&shared, id);
        })
    };
    let relayed = relay_requests(
        shared,
        client_reader,
        upstream_writer,
        &client_writer,
        &pending_tx,
    );
    drop(pending_tx);
    if relayed.is_err() {
        close(shared, id);
    }
    // After a clean end (client EOF, lost response) the response side finishes by itself.
    let _ = responses.join();
    close(shared, id);
}

/// Shuts both sockets of connection `id`.
fn close(shared: &Shared, id: u64) {
    if let Some(sockets) = lock(&shared.open).remove(&id) {
        for socket in sockets {
            let _ = socket.shutdown(Shutdown::Both);
        }
    }
}

fn relay_requests(
    shared: &Shared,
    client: TcpStream,
    mut upstream: TcpStream,
    client_writer: &Mutex<TcpStream>,
    pending: &Sender<Pending>,
) -> io::Result<()> {
    let mut reader = BufReader::new(client);
    loop {
        let Some(head) = read_head(&mut reader)? else {
            // The client is done sending; half-close so the server can finish.
            return upstream.shutdown(Shutdown::Write);
        };
        let mut parts = head.start.split(' ');
        let (Some(method), Some(path), Some(_version), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid("bad request line"));
        };
        let (method, path) = (method.to_owned(), path.to_owned());
        let body = request_body(&head)?;
        let index = {
            let mut log = lock(&shared.log);
            log.push(LoggedRequest {
                method: method.clone(),
                path: path.clone(),
                status: None,
            });
            log.len() - 1
        };
        match choose(shared, &method, &path) {
            Action::Reset => return Err(invalid("reset by fault")),
            Action::Respond {
                status,
                retry_after,
            } => {
                copy_body(&mut reader, &mut io::sink(), &body, &mut |_| None)?;
                let mut response = format!("HTTP/1.1 {status} Injected\r\nContent-Length: 0\r\n");
                if let Some(seconds) = retry_after {
                    response.push_str(&format!("Retry-After: {seconds}\r\n"));
                }
                response.push_str("\r\n");
                let mut client = lock(client_writer);
                client.write_all(response.as_bytes())?;
                client.flush()?;
                lock(&shared.log)[index].status = Some(status);
            }
            action => {
                let _ = pending.send(Pending {
                    index,
                    head_only: method == "HEAD",
                });
                write_head(&mut upstream, &head)?;
                let mut cut = match action {
                    Action::Cut(n) => Some(n),
                    Action::Stall(duration) => {
                        thread::sleep(duration);
                        None
                    }
                    _ => None,
                };
                let mut meter = |n: usize| {
                    *lock(&shared.body_bytes).entry(method.clone()).or_insert(0) += n as u64;
                    cut.as_mut().map(|left| {
                        *left -= (n as u64).min(*left);
                        *left
                    })
                };
                let complete = copy_body(&mut reader, &mut upstream, &body, &mut meter)?;
                upstream.flush()?;
                if !complete {
                    return Err(invalid("cut by fault"));
                }
                if cut.is_some() {
                    // The whole body went through: only the client loses the response.
                    let _ = lock(client_writer).shutdown(Shutdown::Both);
                    return Ok(());
                }
            }
        }
    }
}

/// Picks the fault for this request, consuming it.
fn choose(shared: &Shared, method: &str, path: &str) -> Action {
    let mut faults = lock(&shared.faults);
    let target = path.split(['?', '#']).next().unwrap_or(path);
    if faults
        .gone
        .iter()
        .any(|id| target.rsplit('/').next() == Some(id.as_str()))
    {
        return Action::Respond {
            status: 410,
            retry_after: None,
        };
    }
    if let Some(canned) = faults.respond.as_mut() {
        let Canned {
            status,
            retry_after,
            ..
        } = *canned;
        canned.count -= 1;
        if canned.count == 0 {
            faults.respond = None;
        }
        return Action::Respond {
            status,
            retry_after,
        };
    }
    if method != "PATCH" {
        return Action::Forward;
    }
    if std::mem::take(&mut faults.reset_next_patch) {
        Action::Reset
    } else if let Some(n) = faults.cut_after.take() {
        Action::Cut(n)
    } else if let Some(duration) = faults.stall.take() {
        Action::Stall(duration)
    } else {
        Action::Forward
    }
}

fn relay_responses(
    shared: &Shared,
    upstream: TcpStream,
    client_writer: &Mutex<TcpStream>,
    pending: &Receiver<Pending>,
) -> io::Result<()> {
    let mut reader = BufReader::new(upstream);
    loop {
        let Some(mut head) = read_head(&mut reader)? else {
            return Ok(());
        };
        let status = head
            .start
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse::<u16>().ok())
            .filter(|code| (100..600).contains(code))
            .ok_or_else(|| invalid("bad status line"))?;
        let interim = (100..200).contains(&status) && status != 101;
        // The request is announced before its head is sent upstream, so it is already queued.
        let request = if interim {
            None
        } else {
            pending.try_recv().ok()
        };
        if let Some(request) = &request {
            lock(&shared.log)[request.index].status = Some(status);
        }
        for line in &mut head.headers {
            if let Some((name, value)) = line.split_once(':') {
                let value = value.trim();
                if name.trim().eq_ignore_ascii_case("location") {
                    if let Some(rest) = value.strip_prefix(&shared.upstream_origin) {
                        *line = format!("{name}: {}{rest}", shared.proxy_origin);
                    }
                }
            }
        }
        let head_only = request.is_some_and(|r| r.head_only);
        let body = if interim || head_only || status == 204 || status == 304 {
            Body::Empty
        } else {
            response_body(&head)?
        };
        let mut client = lock(client_writer);
        write_head(&mut *client, &head)?;
        copy_body(&mut reader, &mut *client, &body, &mut |_| None)?;
        client.flush()?;
        if matches!(body, Body::UntilClose) {
            return Ok(());
        }
    }
}

/// Reads a head; `None` on a clean end of stream before its first byte.
fn read_head(reader: &mut impl BufRead) -> io::Result<Option<Head>> {
    let Some(start) = read_line(reader)? else {
        return Ok(None);
    };
    let mut headers = Vec::new();
    loop {
        let line = read_line(reader)?.ok_or_else(|| invalid("end of stream in a head"))?;
        if line.is_empty() {
            return Ok(Some(Head { start, headers }));
        }
        if headers.len() == MAX_HEADERS {
            return Err(invalid("too many headers"));
        }
        headers.push(line);
    }
}

/// One line without its CRLF (or LF); `None` at end of stream.
fn read_line(reader: &mut impl BufRead) -> io::Result<Option<String>> {
    let mut bytes = Vec::new();
    reader.take(MAX_LINE).read_until(b'\n', &mut bytes)?;
    if bytes.is_empty() {
        return Ok(None);
    }
    if bytes.pop() != Some(b'\n') {
        return Err(invalid("line too long or cut"));
    }
    if bytes.last() == Some(&b'\r') {
        bytes.pop();
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| invalid("head is not UTF-8"))
}

fn write_head(writer: &mut impl Write, head: &Head) -> io::Result<()> {
    let mut text = head.start.clone();
    text.push_str("\r\n");
    for line in &head.headers {
        text.push_str(line);
        text.push_str("\r\n");
    }
    text.push_str("\r\n");
    writer.write_all(text.as_bytes())
}

fn header<'a>(head: &'a Head, name: &str) -> Option<&'a str> {
    head.headers.iter().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

fn is_chunked(head: &Head) -> bool {
    header(head, "transfer-encoding").is_some_and(|te| te.to_ascii_lowercase().contains("chunked"))
}

fn content_length(head: &Head) -> io::Result<Option<u64>> {
    header(head, "content-length")
        .map(|value| value.parse().map_err(|_| invalid("bad Content-Length")))
        .transpose()
}

fn request_body(head: &Head) -> io::Result<Body> {
    if is_chunked(head) {
        return Ok(Body::Chunked);
    }
    Ok(content_length(head)?.map_or(Body::Empty, Body::Length))
}

fn response_body(head: &Head) -> io::Result<Body> {
    if is_chunked(head) {
        return Ok(Body::Chunked);
    }
    Ok(content_length(head)?.map_or(Body::UntilClose, Body::Length))
}

/// Copies a body. `meter` sees each forwarded piece's length and returns the cut budget left,
/// if any; the copy stops (returning `false`) when that reaches zero before the body ends.
fn copy_body(
    reader: &mut impl BufRead,
    writer: &mut impl Write,
    body: &Body,
    meter: &mut dyn FnMut(usize) -> Option<u64>,
) -> io::Result<bool> {
    match body {
        Body::Empty => Ok(true),
        Body::Length(n) => copy_exact(reader, writer, *n, meter),
        Body::UntilClose => copy_exact(reader, writer, u64::MAX, meter),
        Body::Chunked => loop {
            let line = read_line(reader)?.ok_or_else(|| invalid("end of stream in a chunk"))?;
            let size_text = line.split(';').next().unwrap_or("").trim();
            let size = u64::from_str_radix(size_text, 16).map_err(|_| invalid("bad chunk size"))?;
            let framing = format!("{line}\r\n");
            writer.write_all(framing.as_bytes())?;
            if meter(framing.len()) == Some(0) {
                return Ok(false);
            }
            if size == 0 {
                // Trailers, then the empty line that ends the body.
                loop {
                    let trailer =
                        read_line(reader)?.ok_or_else(|| invalid("end of stream in trailers"))?;
                    writer.write_all(format!("{trailer}\r\n").as_bytes())?;
                    meter(trailer.len() + 2);
                    if trailer.is_empty() {
                        return Ok(true);
                    }
                }
            }
            // The chunk's data and its CRLF.
            if !copy_exact(reader, writer, size.saturating_add(2), meter)? {
                return Ok(false);
            }
        },
    }
}

/// Copies `n` bytes (`u64::MAX`: until end of stream); see [`copy_body`] for `meter`.
fn copy_exact(
    reader: &mut impl BufRead,
    writer: &mut impl Write,
    mut n: u64,
    meter: &mut dyn FnMut(usize) -> Option<u64>,
) -> io::Result<bool> {
    let until_close = n == u64::MAX;
    while n > 0 {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return if until_close {
                Ok(true)
            } else {
                Err(invalid("end of stream in a body"))
            };
        }
        let mut take = buf.len().min(usize::try_from(n).unwrap_or(usize::MAX));
        // Peek at the budget without spending it: a zero-length probe.
        if let Some(left) = meter(0) {
            take = take.min(usize::try_from(left).unwrap_or(usize::MAX));
        }
        writer.write_all(&buf[..take])?;
        reader.consume(take);
        n -= take as u64;
        if meter(take) == Some(0) && n > 0 {
            return Ok(false);
        }
    }
    Ok(true)
}

fn invalid(reason: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, reason)
}
