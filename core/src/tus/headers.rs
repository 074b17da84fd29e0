//! Reading tus headers from untrusted responses, and writing `Upload-Metadata`.
//!
//! Every parser returns `None` (or skips the item) on anything unexpected: a repeated header,
//! a sign, a space inside a number, a value past `u64`.

use std::collections::BTreeMap;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use reqwest::header::HeaderMap;

use crate::date::Date;

/// Items kept from a comma-separated header; a server listing more is not believed further.
const MAX_LIST_ITEMS: usize = 64;
/// Longest list item kept (extension and algorithm names are short).
const MAX_ITEM_LEN: usize = 64;

/// The value of a header present exactly once, as trimmed text.
pub(super) fn single<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    let mut values = headers.get_all(name).iter();
    let value = values.next()?;
    if values.next().is_some() {
        return None;
    }
    Some(value.to_str().ok()?.trim())
}

/// A non-negative decimal integer: ASCII digits only, no sign, fitting in `u64`.
pub(super) fn parse_u64(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 20 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A numeric header such as `Upload-Offset`, `Upload-Length` or `Tus-Max-Size`.
pub(super) fn number(headers: &HeaderMap, name: &str) -> Option<u64> {
    parse_u64(single(headers, name)?)
}

/// A comma-separated header (all its occurrences), trimmed and bounded.
pub(super) fn list(headers: &HeaderMap, name: &str) -> Vec<String> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|item| !item.is_empty() && item.len() <= MAX_ITEM_LEN)
        .take(MAX_LIST_ITEMS)
        .map(str::to_string)
        .collect()
}

/// `Upload-Expires` as Unix seconds.
pub(super) fn expires(headers: &HeaderMap) -> Option<i64> {
    http_date(single(headers, "upload-expires")?)
}

/// How long `Retry-After` asks to wait, at `now` (Unix seconds): delay-seconds or an
/// IMF-fixdate; a date in the past means no wait.
pub(super) fn retry_after(headers: &HeaderMap, now: i64) -> Option<Duration> {
    let value = single(headers, "retry-after")?;
    if let Some(secs) = parse_u64(value) {
        return Some(Duration::from_secs(secs));
    }
    let at = http_date(value)?;
    Some(Duration::from_secs(u64::try_from(at.saturating_sub(now)).unwrap_or(0)))
}

/// An RFC 7231 IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) as Unix seconds. The obsolete
/// RFC 850 and asctime forms are not accepted.
pub(super) fn http_date(s: &str) -> Option<i64> {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let b = s.as_bytes();
    if b.len() != 29 || !s.is_ascii() || &s[3..5] != ", " || &s[25..] != " GMT" || !DAYS.contains(&&s[..3]) {
        return None;
    }
    let fixed = [(7, b' '), (11, b' '), (16, b' '), (19, b':'), (22, b':')];
    if fixed.iter().any(|&(i, c)| b[i] != c) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| parse_u64(&s[r]);
    let month = MONTHS.iter().position(|m| *m == &s[8..11])? as u8 + 1;
    let date = Date::new(i32::try_from(num(12..16)?).ok()?, month, u8::try_from(num(5..7)?).ok()?)?;
    let (h, m, sec) = (num(17..19)?, num(20..22)?, num(23..25)?);
    if h > 23 || m > 59 || sec > 60 {
        return None;
    }
    Some(date.to_unix_days() * 86_400 + (h * 3600 + m * 60 + sec) as i64)
}

/// The `Upload-Metadata` value: `key base64(value)` pairs joined by commas, in key order.
/// A key must be non-empty printable ASCII without spaces or commas.
pub(super) fn encode_metadata(metadata: &BTreeMap<String, String>) -> Result<String, String> {
    let mut pairs = Vec::with_capacity(metadata.len());
    for (key, value) in metadata {
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_graphic() && b != b',') {
            return Err(format!("upload metadata key {key:?} must be printable ASCII without spaces or commas"));
        }
        pairs.push(if value.is_empty() { key.clone() } else { format!("{key} {}", BASE64.encode(value)) });
    }
    Ok(pairs.join(","))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    /// A header map from name/value pairs, for the tests of this module and `response`.
    pub(in crate::tus) fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn offsets_parse_strictly() {
        let offset = |v| number(&headers(&[("upload-offset", v)]), "upload-offset");
        assert_eq!(offset("0"), Some(0));
        assert_eq!(offset(" 1048576 "), Some(1_048_576));
        assert_eq!(offset("18446744073709551615"), Some(u64::MAX));
        for bad in ["", "-1", "+1", "1e3", "0x10", "1 2", "12abc", "18446744073709551616", "999999999999999999999"] {
            assert_eq!(offset(bad), None, "{bad:?}");
        }
        assert_eq!(number(&HeaderMap::new(), "upload-offset"), None);
        let twice = headers(&[("upload-offset", "1"), ("upload-offset", "1")]);
        assert_eq!(number(&twice, "upload-offset"), None);
        let mut latin1 = HeaderMap::new();
        latin1.insert("upload-offset", HeaderValue::from_bytes(b"1\xff").unwrap());
        assert_eq!(number(&latin1, "upload-offset"), None);
    }

    #[test]
    fn lists_split_trim_and_bound() {
        let h = headers(&[("tus-extension", "creation, termination,,checksum"), ("tus-extension", "expiration")]);
        assert_eq!(list(&h, "tus-extension"), ["creation", "termination", "checksum", "expiration"]);
        let long: &'static str = Box::leak(vec!["x"; 1000].join(",").into_boxed_str());
        assert_eq!(list(&headers(&[("tus-extension", long)]), "tus-extension").len(), MAX_LIST_ITEMS);
        assert!(list(&HeaderMap::new(), "tus-version").is_empty());
    }

    #[test]
    fn http_dates() {
        assert_eq!(http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777));
        assert_eq!(http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(http_date("Sat, 29 Feb 2020 23:59:59 GMT"), Some(1_583_020_799));
        for bad in [
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 31 Feb 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:49:37 GMT",
            "Sun, 06 Nov 1994 08-49-37 GMT",
            "Xyz, 06 Nov 1994 08:49:37 GMT",
            "Sun, -6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT ",
            "",
        ] {
            assert_eq!(http_date(bad), None, "{bad:?}");
        }
        // Multi-byte text of the right length must not panic on slicing.
        assert_eq!(http_date("Sun, 06 Nov 1994 08:49:3é GMT"), None);
        assert_eq!(http_date("日本語日本語日本語日本語日本語日本語日本"), None);
    }

    #[test]
    fn upload_expires() {
        assert_eq!(expires(&headers(&[("upload-expires", "Wed, 25 Jun 2014 16:00:00 GMT")])), Some(1_403_712_000));
        assert_eq!(expires(&headers(&[("upload-expires", "tomorrow")])), None);
    }

    #[test]
    fn retry_after_seconds_or_date() {
        let ra = |v| retry_after(&headers(&[("retry-after", v)]), 784_111_777);
        assert_eq!(ra("120"), Some(Duration::from_secs(120)));
        assert_eq!(ra("0"), Some(Duration::ZERO));
        assert_eq!(ra("Sun, 06 Nov 1994 08:50:37 GMT"), Some(Duration::from_secs(60)));
        assert_eq!(ra("Sun, 06 Nov 1994 08:48:37 GMT"), Some(Duration::ZERO));
        assert_eq!(ra("-5"), None);
        assert_eq!(ra("soon"), None);
    }

    #[test]
    fn metadata_encoding() {
        let map: BTreeMap<String, String> = [
            ("filename", "身份证.jpg"),
            ("filetype", "image/jpeg"),
            ("kind", "id_front"),
            ("package_id", "p1"),
            ("sha256", "ab"),
            ("empty", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(
            encode_metadata(&map).unwrap(),
            "empty,filename 6Lqr5Lu96K+BLmpwZw==,filetype aW1hZ2UvanBlZw==,kind aWRfZnJvbnQ=,package_id cDE=,sha256 YWI="
        );
        assert_eq!(encode_metadata(&BTreeMap::new()).unwrap(), "");
        for bad in ["", "a b", "a,b", "ключ", "a\n"] {
            let map = BTreeMap::from([(bad.to_string(), "v".to_string())]);
            assert!(encode_metadata(&map).is_err(), "{bad:?}");
        }
    }
}
