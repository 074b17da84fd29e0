//! `verify` on a whole hostile package: a manifest and files, decoded from the input as
//! `u16 manifest length, manifest, then (u8 name length, name, u16 length, content)*` (big-endian).
//! Whatever the input, a package called intact must really be intact: every listed file present
//! with the listed size and SHA-256, no other file, and the seal's digest recomputable.
#![no_main]

use std::collections::BTreeMap;

use hexin_core::package::manifest::Manifest;
use hexin_core::hash::sha256_hex;
use hexin_core::package::verify::{verify, Options};
use libfuzzer_sys::fuzz_target;

fn take<'a>(data: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if data.len() < n {
        return None;
    }
    let (head, tail) = data.split_at(n);
    *data = tail;
    Some(head)
}

fn take_u16(data: &mut &[u8]) -> Option<usize> {
    take(data, 2).map(|b| u16::from_be_bytes([b[0], b[1]]) as usize)
}

fuzz_target!(|input: &[u8]| {
    let mut data = input;
    let Some(len) = take_u16(&mut data) else { return };
    let Some(manifest) = take(&mut data, len) else { return };
    let mut files = BTreeMap::new();
    while let Some(name_len) = take(&mut data, 1).map(|b| b[0] as usize) {
        let (Some(name), Some(len)) = (take(&mut data, name_len), take_u16(&mut data)) else { break };
        let Some(content) = take(&mut data, len) else { break };
        files.insert(String::from_utf8_lossy(name).into_owned(), content.to_vec());
    }
    let v = verify(manifest, &files, &Options::default());
    if v.is_intact() {
        let m: Manifest = serde_json::from_slice(manifest).expect("an intact package's manifest parses");
        assert_eq!(m.materials.len(), files.len(), "an extra file went unreported");
        for e in &m.materials {
            let bytes = files.get(&e.file).expect("a listed file is present");
            assert_eq!(bytes.len() as u64, e.bytes);
            assert_eq!(sha256_hex(bytes), e.sha256);
        }
        let mut unsealed = m.clone();
        unsealed.seal = None;
        assert_eq!(Some(sha256_hex(&unsealed.to_canonical().expect("an intact manifest is canonical"))), v.digest);
        assert_eq!(m.seal.map(|s| s.digest), v.digest);
    }
});
