import Foundation
import Hexin
import Security

/// Signs sealed packages with a P-256 key made in the Secure Enclave on first use (it never
/// leaves it). No conversion is needed: hexin reads the public key as
/// `SecKeyCopyExternalRepresentation` gives it (X9.63, the 65-byte uncompressed SEC1 point) and
/// the signature as `ecdsaSignatureMessageX962SHA256` gives it (DER), and checks it before sealing.
/// With `userPresence`, each signature asks for Face ID / Touch ID or the passcode; a cancelled
/// prompt comes back as `SigningFailed` and the flow stays where it was.
final class EnclaveSigner: Signer, @unchecked Sendable {
    private let key: SecKey

    init(tag: String = "org.hexin.sample.signing", userPresence: Bool = false) throws {
        key = try Self.existing(tag) ?? Self.make(tag, userPresence: userPresence)
    }

    func publicKey() throws -> Data {
        var error: Unmanaged<CFError>?
        guard let pub = SecKeyCopyPublicKey(key), let bytes = SecKeyCopyExternalRepresentation(pub, &error) else {
            throw HexinError.SigningFailed(reason: Self.describe(error, "no public key"))
        }
        return bytes as Data
    }

    func sign(message: Data) throws -> Data {
        var error: Unmanaged<CFError>?
        guard let signature = SecKeyCreateSignature(key, .ecdsaSignatureMessageX962SHA256, message as CFData, &error) else {
            throw HexinError.SigningFailed(reason: Self.describe(error, "the Secure Enclave did not sign"))
        }
        return signature as Data
    }

    private static func existing(_ tag: String) throws -> SecKey? {
        let query: [String: Any] = [kSecClass as String: kSecClassKey, kSecAttrApplicationTag as String: Data(tag.utf8),
                                    kSecAttrKeyType as String: kSecAttrKeyTypeECSECPrimeRandom, kSecReturnRef as String: true]
        var found: AnyObject?
        let status = SecItemCopyMatching(query as CFDictionary, &found)
        switch status {
        case errSecSuccess: return (found as! SecKey)
        case errSecItemNotFound: return nil
        default: throw KeychainError(status: status)
        }
    }

    private static func make(_ tag: String, userPresence: Bool) throws -> SecKey {
        var error: Unmanaged<CFError>?
        let flags: SecAccessControlCreateFlags = userPresence ? [.privateKeyUsage, .userPresence] : [.privateKeyUsage]
        guard let access = SecAccessControlCreateWithFlags(nil, kSecAttrAccessibleWhenUnlockedThisDeviceOnly, flags, &error) else {
            throw HexinError.SigningFailed(reason: describe(error, "no access control"))
        }
        let attributes: [String: Any] = [
            kSecAttrKeyType as String: kSecAttrKeyTypeECSECPrimeRandom,
            kSecAttrKeySizeInBits as String: 256,
            kSecAttrTokenID as String: kSecAttrTokenIDSecureEnclave,
            kSecPrivateKeyAttrs as String: [kSecAttrIsPermanent as String: true, kSecAttrApplicationTag as String: Data(tag.utf8),
                                            kSecAttrAccessControl as String: access],
        ]
        guard let key = SecKeyCreateRandomKey(attributes as CFDictionary, &error) else {
            throw HexinError.SigningFailed(reason: describe(error, "the Secure Enclave made no key"))
        }
        return key
    }

    private static func describe(_ error: Unmanaged<CFError>?, _ fallback: String) -> String {
        error.map { ($0.takeRetainedValue() as Error).localizedDescription } ?? fallback
    }
}
