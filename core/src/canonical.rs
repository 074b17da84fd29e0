//! RFC 8785 JSON Canonicalization Scheme (JCS): the bytes a package digest is taken over.
//!
//! Objects have their members sorted by the UTF-16 code units of their names, no whitespace is
//! written, strings use the shortest escapes, and numbers are formatted as ECMAScript does
//! (`Number.prototype.toString`), so the same value always gives the same bytes on any platform.

use serde_json::Value;

/// Integers beyond ±(2^53 − 1) cannot round-trip through an IEEE double, so JCS cannot carry
/// them; a policy's numbers are bounded by this so that a manifest can always carry them.
pub const MAX_SAFE_INTEGER: u64 = 9_007_199_254_740_991;

/// The canonical bytes of `value`, or `None` if it holds an integer too large for a double.
pub fn to_vec(value: &Value) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(1024);
    write(value, &mut out)?;
    Some(out)
}

fn write(value: &Value, out: &mut Vec<u8>) -> Option<()> {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Number(n) => {
            let f = n.as_f64()?;
            if (n.is_i64() || n.is_u64()) && f.abs() > MAX_SAFE_INTEGER as f64 {
                return None;
            }
            out.extend_from_slice(ryu_js::Buffer::new().format_finite(f).as_bytes());
        }
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(item, out)?;
            }
            out.push(b']');
        }
        Value::Object(members) => {
            let mut sorted: Vec<(&String, &Value)> = members.iter().collect();
            sorted.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            out.push(b'{');
            for (i, (name, item)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_string(name, out);
                out.push(b':');
                write(item, out)?;
            }
            out.push(b'}');
        }
    }
    Some(())
}

fn write_string(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\u{8}' => out.extend_from_slice(b"\\b"),
            '\u{c}' => out.extend_from_slice(b"\\f"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            c if (c as u32) < 0x20 => out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes()),
            c => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(json: &str) -> String {
        String::from_utf8(to_vec(&serde_json::from_str(json).unwrap()).unwrap()).unwrap()
    }

    /// RFC 8785 section 3.2.2, the combined example.
    #[test]
    fn rfc8785_example() {
        let input = r#"{
          "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
          "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
          "literals": [null, true, false]
        }"#;
        assert_eq!(
            canon(input),
            r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        );
    }

    /// RFC 8785 section 3.2.3: names sort by UTF-16 code units, so the emoji's surrogates sort
    /// before U+FB33 though its code point is larger.
    #[test]
    fn rfc8785_sorting() {
        let input = r#"{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh",
            "1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}"#;
        let names: Vec<String> = canon(input)
            .trim_matches(|c| c == '{' || c == '}')
            .split(',')
            .map(|m| m.split(':').next().unwrap().to_string())
            .collect();
        assert_eq!(names, ["\"\\r\"", "\"1\"", "\"\u{80}\"", "\"ö\"", "\"€\"", "\"😀\"", "\"\u{fb33}\""]);
    }

    /// RFC 8785 appendix B: ECMAScript number formatting.
    #[test]
    fn rfc8785_numbers() {
        for (input, expected) in [
            ("-0", "0"),
            ("1e21", "1e+21"),
            ("1e20", "100000000000000000000"),
            ("1e-7", "1e-7"),
            ("0.000001", "0.000001"),
            ("9007199254740991", "9007199254740991"),
            ("-9007199254740991", "-9007199254740991"),
            ("5e-324", "5e-324"),
            ("1.7976931348623157e308", "1.7976931348623157e+308"),
            ("295147905179352830000.0", "295147905179352830000"),
            ("0.1", "0.1"),
            ("4.5", "4.5"),
        ] {
            assert_eq!(canon(input), expected, "{input}");
        }
    }

    #[test]
    fn unsafe_integers_are_refused() {
        assert!(to_vec(&serde_json::json!(9_007_199_254_740_993u64)).is_none());
        assert!(to_vec(&serde_json::json!([1, {"a": -9_007_199_254_740_993i64}])).is_none());
    }

    #[test]
    fn canonical_form_is_a_fixed_point() {
        let once = canon(r#"{"b":[1.0,"x\u0001"],"a":{"d":true,"c":null}}"#);
        assert_eq!(once, r#"{"a":{"c":null,"d":true},"b":[1,"x\u0001"]}"#);
        assert_eq!(canon(&once), once);
    }
}
