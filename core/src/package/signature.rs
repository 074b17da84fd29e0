//! Package signatures: ECDSA P-256 with SHA-256 over the manifest's canonical bytes.
//!
//! On a phone the key lives in Android Keystore or the Secure Enclave and never leaves it: the host
//! implements [`Signer`] over `SHA256withECDSA` (Android) or
//! `ecdsaSignatureMessageX962SHA256` (iOS). [`SoftwareKey`] is for servers, tests and the CLI.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use p256::ecdsa::signature::{Signer as _, Verifier as _};
use p256::ecdsa::{Signature as EcdsaSignature, SigningKey, VerifyingKey};
use p256::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use serde::{Deserialize, Serialize};

use crate::error::Error;

/// The one algorithm manifest v1 knows.
pub const ALGORITHM: &str = "ecdsa-p256-sha256";

/// A key the host holds, able to sign a package: Android Keystore or the Secure Enclave,
/// implemented in Kotlin or Swift. A failure is best reported as [`Error::SigningFailed`].
#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait Signer: Send + Sync {
    /// The public key: SEC1 (65-byte uncompressed or 33-byte compressed point) or X.509
    /// SubjectPublicKeyInfo DER, as `PublicKey.getEncoded()` gives on Android.
    fn public_key(&self) -> Result<Vec<u8>, Error>;
    /// An ECDSA P-256 signature over SHA-256 of `message`, DER-encoded or 64 bytes `r‖s`.
    fn sign(&self, message: Vec<u8>) -> Result<Vec<u8>, Error>;
}

/// The signature block of a manifest: base64 of the SEC1 uncompressed public key and of the DER
/// signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    pub algorithm: String,
    pub public_key: String,
    pub value: String,
}

/// Signs `message` with the host's signer and checks the result before it goes into a manifest,
/// so a misbehaving keystore is caught on the device, not by the server.
pub(crate) fn sign(signer: &dyn Signer, message: &[u8]) -> Result<Signature, Error> {
    let failed = |reason: String| Error::SigningFailed { reason };
    let key = parse_public_key(&signer.public_key()?).map_err(failed)?;
    let raw = signer.sign(message.to_vec())?;
    let sig = EcdsaSignature::from_der(&raw)
        .or_else(|_| EcdsaSignature::from_slice(&raw))
        .map_err(|_| failed("the signer returned neither a DER nor a 64-byte signature".into()))?;
    let sig = sig.normalize_s().unwrap_or(sig);
    key.verify(message, &sig).map_err(|_| failed("the signer's signature does not verify with its public key".into()))?;
    Ok(Signature {
        algorithm: ALGORITHM.into(),
        public_key: BASE64.encode(key.to_encoded_point(false).as_bytes()),
        value: BASE64.encode(sig.to_der().as_bytes()),
    })
}

/// Verifies a manifest's signature over `message`; returns the signing key's SEC1 bytes.
///
/// Encodings must be exact (strict base64, uncompressed SEC1, minimal DER), so no byte of the
/// signature block can change without failing here.
pub(crate) fn verify(sig: &Signature, message: &[u8]) -> Result<Vec<u8>, String> {
    if sig.algorithm != ALGORITHM {
        return Err(format!("unknown algorithm {:?}", sig.algorithm.chars().take(40).collect::<String>()));
    }
    let key_bytes = BASE64.decode(&sig.public_key).map_err(|_| "public_key is not base64")?;
    let key = VerifyingKey::from_sec1_bytes(&key_bytes).map_err(|_| "public_key is not a P-256 point")?;
    if key.to_encoded_point(false).as_bytes() != key_bytes.as_slice() {
        return Err("public_key is not an uncompressed SEC1 point".into());
    }
    let der = BASE64.decode(&sig.value).map_err(|_| "value is not base64")?;
    let parsed = EcdsaSignature::from_der(&der).map_err(|_| "value is not a DER ECDSA signature")?;
    if parsed.to_der().as_bytes() != der.as_slice() {
        return Err("value is not minimally DER-encoded".into());
    }
    key.verify(message, &parsed.normalize_s().unwrap_or(parsed)).map_err(|_| "the signature does not verify")?;
    Ok(key_bytes)
}

/// Reads a P-256 public key from SEC1 bytes, SubjectPublicKeyInfo DER, or PEM.
pub fn parse_public_key(bytes: &[u8]) -> Result<VerifyingKey, String> {
    if let Ok(pem) = std::str::from_utf8(bytes) {
        if pem.contains("-----BEGIN PUBLIC KEY-----") {
            return VerifyingKey::from_public_key_pem(pem.trim()).map_err(|e| format!("PEM public key: {e}"));
        }
    }
    VerifyingKey::from_sec1_bytes(bytes)
        .or_else(|_| VerifyingKey::from_public_key_der(bytes))
        .map_err(|_| "not a P-256 public key (SEC1, SubjectPublicKeyInfo DER or PEM)".into())
}

/// The keys a host trusts, each in a form [`parse_public_key`] reads; one it cannot read is
/// [`Error::InvalidArgument`] named `trusted_keys_pem`, its reason saying which.
pub fn parse_trusted_keys<K: AsRef<[u8]>>(keys: &[K]) -> Result<Vec<VerifyingKey>, Error> {
    let invalid = |i: usize, reason: String| Error::InvalidArgument { name: "trusted_keys_pem".into(), reason: format!("[{i}]: {reason}") };
    keys.iter().enumerate().map(|(i, k)| parse_public_key(k.as_ref()).map_err(|reason| invalid(i, reason))).collect()
}

/// The base64 SEC1 form a manifest carries, for comparing with a trusted key.
pub fn manifest_key_form(key: &VerifyingKey) -> String {
    BASE64.encode(key.to_encoded_point(false).as_bytes())
}

/// A P-256 key held in memory.
pub struct SoftwareKey(SigningKey);

impl SoftwareKey {
    /// A new random key from the operating system's generator.
    pub fn generate() -> Result<SoftwareKey, Error> {
        loop {
            let mut bytes = [0u8; 32];
            getrandom::fill(&mut bytes).map_err(|e| Error::SigningFailed { reason: e.to_string() })?;
            // Fails only for zero or values ≥ the group order: about 2^-32 of draws.
            if let Ok(key) = SigningKey::from_bytes(&bytes.into()) {
                return Ok(SoftwareKey(key));
            }
        }
    }

    /// Reads a PKCS#8 PEM private key (`-----BEGIN PRIVATE KEY-----`).
    pub fn from_pem(pem: &str) -> Result<SoftwareKey, Error> {
        SigningKey::from_pkcs8_pem(pem.trim())
            .map(SoftwareKey)
            .map_err(|e| Error::SigningFailed { reason: format!("PKCS#8 PEM P-256 private key expected: {e}") })
    }

    /// The private key as PKCS#8 PEM.
    pub fn to_pem(&self) -> Result<String, Error> {
        self.0.to_pkcs8_pem(LineEnding::LF).map(|p| p.to_string()).map_err(|e| Error::SigningFailed { reason: format!("PKCS#8 PEM: {e}") })
    }

    /// The public key as SubjectPublicKeyInfo PEM.
    pub fn public_key_pem(&self) -> Result<String, Error> {
        self.0.verifying_key().to_public_key_pem(LineEnding::LF).map_err(|e| Error::SigningFailed { reason: format!("PEM public key: {e}") })
    }
}

impl Signer for SoftwareKey {
    fn public_key(&self) -> Result<Vec<u8>, Error> {
        Ok(self.0.verifying_key().to_encoded_point(false).as_bytes().to_vec())
    }

    fn sign(&self, message: Vec<u8>) -> Result<Vec<u8>, Error> {
        let sig: EcdsaSignature = self.0.sign(&message);
        Ok(sig.to_der().as_bytes().to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_then_verify_and_reject_changes() {
        let key = SoftwareKey::generate().unwrap();
        let sig = sign(&key, b"manifest bytes").unwrap();
        assert_eq!(verify(&sig, b"manifest bytes").unwrap(), key.public_key().unwrap());
        assert!(verify(&sig, b"manifest bytez").is_err());
        let other = SoftwareKey::generate().unwrap();
        let foreign = Signature { public_key: sign(&other, b"x").unwrap().public_key, ..sig.clone() };
        assert!(verify(&foreign, b"manifest bytes").is_err());
    }

    #[test]
    fn pem_round_trip_and_public_key_forms() {
        let key = SoftwareKey::generate().unwrap();
        let again = SoftwareKey::from_pem(&key.to_pem().unwrap()).unwrap();
        assert_eq!(again.public_key(), key.public_key());
        let sec1 = key.public_key().unwrap();
        let from_pem = parse_public_key(key.public_key_pem().unwrap().as_bytes()).unwrap();
        let from_sec1 = parse_public_key(&sec1).unwrap();
        assert_eq!(from_pem, from_sec1);
        let spki = from_sec1.to_public_key_der().unwrap();
        assert_eq!(parse_public_key(spki.as_bytes()).unwrap(), from_sec1);
        assert!(SoftwareKey::from_pem("not a key").is_err());
        assert!(parse_public_key(b"\x04garbage").is_err());
        let pem = key.public_key_pem().unwrap();
        assert_eq!(parse_trusted_keys(&[pem.as_str()]).unwrap(), [from_sec1]);
        let err = parse_trusted_keys(&[pem.as_str(), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"]).unwrap_err();
        assert!(matches!(&err, Error::InvalidArgument { name, reason } if name == "trusted_keys_pem" && reason.starts_with("[1]: PEM")), "{err:?}");
    }

    /// A keystore that returns raw r‖s, a broken keystore, and one with a mismatched key.
    #[test]
    fn host_signers_are_checked() {
        struct Raw(SoftwareKey);
        impl Signer for Raw {
            fn public_key(&self) -> Result<Vec<u8>, Error> {
                self.0.public_key()
            }
            fn sign(&self, m: Vec<u8>) -> Result<Vec<u8>, Error> {
                let sig: EcdsaSignature = self.0 .0.sign(&m);
                Ok(sig.to_bytes().to_vec())
            }
        }
        struct Liar(SoftwareKey, SoftwareKey);
        impl Signer for Liar {
            fn public_key(&self) -> Result<Vec<u8>, Error> {
                self.1.public_key()
            }
            fn sign(&self, m: Vec<u8>) -> Result<Vec<u8>, Error> {
                self.0.sign(m)
            }
        }
        struct Broken;
        impl Signer for Broken {
            fn public_key(&self) -> Result<Vec<u8>, Error> {
                Err(Error::SigningFailed { reason: "keystore locked".into() })
            }
            fn sign(&self, _: Vec<u8>) -> Result<Vec<u8>, Error> {
                Err(Error::SigningFailed { reason: "keystore locked".into() })
            }
        }
        let sig = sign(&Raw(SoftwareKey::generate().unwrap()), b"m").unwrap();
        assert!(verify(&sig, b"m").is_ok());
        let liar = Liar(SoftwareKey::generate().unwrap(), SoftwareKey::generate().unwrap());
        assert_eq!(sign(&liar, b"m").unwrap_err().code(), crate::Code::SigningFailed);
        assert_eq!(sign(&Broken, b"m").unwrap_err().code(), crate::Code::SigningFailed);
    }
}
