//! `verify` on an arbitrary manifest with no files: the parser must report problems with stable
//! codes and readable messages, never panic, and never call such a package intact.
#![no_main]

use std::collections::BTreeMap;

use hexin_core::package::verify::{verify, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let v = verify(data, &BTreeMap::<String, Vec<u8>>::new(), &Options::default());
    // A valid manifest lists at least one file, and there are none.
    assert!(!v.is_intact());
    for p in &v.problems {
        assert!(!p.message.zh.is_empty() && !p.message.en.is_empty(), "{p}");
        assert!(p.at.chars().count() <= 200);
    }
    if let Some(digest) = &v.digest {
        assert!(digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit()));
    }
});
