//! Writes a new P-256 signing key as PKCS#8 PEM to PATH and its public key to PATH.pub, for
//! signing packages off the phone (servers, tests, the demo): `cargo run -p hexin-testing --bin
//! keygen -- key.pem`. On a phone the key lives in Android Keystore or the Secure Enclave instead.

use hexin_core::package::signature::SoftwareKey;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: keygen PATH");
        std::process::exit(2);
    };
    let key = SoftwareKey::generate().unwrap_or_else(|e| {
        eprintln!("keygen: {e}");
        std::process::exit(1)
    });
    for (file, text) in [(path.clone(), key.to_pem()), (format!("{path}.pub"), key.public_key_pem())] {
        if let Err(e) = text.map_err(|e| e.to_string()).and_then(|t| std::fs::write(&file, t).map_err(|e| e.to_string())) {
            eprintln!("keygen: {file}: {e}");
            std::process::exit(1);
        }
    }
}
