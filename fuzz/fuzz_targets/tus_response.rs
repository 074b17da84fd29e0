//! The tus client's reading of server answers (`hexin_core::tus::response`) on arbitrary
//! statuses and headers: it must never panic, and whatever it accepts must stay within what was
//! asked: a HEAD offset within the length, a PATCH offset within the bytes sent, a `Location`
//! only on a trusted origin and without credentials; a final failure is one of its two codes.
//!
//! Input layout: byte 0 picks the request (`% 5`: OPTIONS, POST, HEAD, PATCH, DELETE), bytes
//! 1-2 the status (big-endian, folded into 100..=999), bytes 3-10 a number the offsets and
//! lengths come from; the rest is header lines `name: value`, separated by `\n`.
#![no_main]

use std::sync::OnceLock;

use hexin_core::tus::response::{self, Failure, Trust};
use hexin_core::Code;
use http::header::{HeaderMap, HeaderName, HeaderValue};
use libfuzzer_sys::fuzz_target;

/// A fixed clock, so a run is reproducible.
const NOW: i64 = 1_795_824_000;

fn trust() -> &'static Trust {
    static TRUST: OnceLock<Trust> = OnceLock::new();
    TRUST.get_or_init(|| {
        Trust::new("https://up.example.com/files/", &["https://cdn.example.com:8443".into()]).expect("a valid endpoint")
    })
}

/// Header lines as a server could send them; lines that are not a valid header are skipped.
fn headers(text: &[u8]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for line in text.split(|&b| b == b'\n') {
        let Some(colon) = line.iter().position(|&b| b == b':') else { continue };
        let name = HeaderName::from_bytes(&line[..colon]);
        let value = HeaderValue::from_bytes(line[colon + 1..].trim_ascii());
        if let (Ok(name), Ok(value)) = (name, value) {
            map.append(name, value);
        }
    }
    map
}

fuzz_target!(|data: &[u8]| {
    let Some((head, rest)) = data.split_first_chunk::<11>() else { return };
    let status = 100 + u16::from_be_bytes([head[1], head[2]]) % 900;
    let n = u64::from_be_bytes(head[3..11].try_into().expect("8 bytes"));
    let h = headers(rest);
    let failure = match head[0] % 5 {
        0 => response::options(status, &h, NOW).map(|caps| assert!(caps.supports("creation"))).err(),
        1 => {
            let sent = n % (1 << 20);
            let created = response::created(trust(), sent, status, &h, NOW);
            created
                .map(|c| {
                    assert_eq!(status, 201);
                    assert!(trust().stored(c.url.as_str()).is_some(), "accepted the Location {}", c.url);
                    assert!(c.offset.map_or(true, |o| o <= sent), "offset {:?} beyond {sent}", c.offset);
                })
                .err()
        }
        2 => response::head(n, status, &h, NOW).map(|p| assert!(p.offset <= n, "offset {} beyond {n}", p.offset)).err(),
        3 => {
            let (offset, len) = (n >> 24, n & 0xff_ffff);
            let patched = response::patched(offset, len, status, &h, NOW);
            patched.map(|p| assert!((offset..=offset + len).contains(&p.offset), "offset {}", p.offset)).err()
        }
        _ => response::deleted(status, &h, NOW).err(),
    };
    match failure {
        Some(Failure::Fatal(e)) => assert!(matches!(e.code(), Code::InvalidEndpoint | Code::UploadUrlRefused), "{e}"),
        Some(Failure::Reject { status: s, .. }) => assert!(!(200..300).contains(&s), "rejected a {s}"),
        _ => {}
    }
});
