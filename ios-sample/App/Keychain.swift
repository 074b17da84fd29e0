import Foundation
import Security

/// The outbox key in the Keychain: a generic password readable after the first unlock, on this
/// device only (never in backups or on another device). Only `errSecItemNotFound` means "no key";
/// any other status is an error `OutboxKeys` surfaces without making a new key.
struct KeychainKeyStore: OutboxKeyStore {
    let account = "hexin-outbox"

    func load() throws -> Data? {
        var query = base
        query[kSecReturnData as String] = true
        query[kSecMatchLimit as String] = kSecMatchLimitOne
        var found: AnyObject?
        let status = SecItemCopyMatching(query as CFDictionary, &found)
        switch status {
        case errSecSuccess:
            guard let key = found as? Data else { throw KeychainError(status: errSecDecode) }
            return key
        case errSecItemNotFound:
            return nil
        default:
            throw KeychainError(status: status)
        }
    }

    func store(_ key: Data) throws {
        var add = base
        add[kSecValueData as String] = key
        add[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        let status = SecItemAdd(add as CFDictionary, nil)
        guard status == errSecSuccess else { throw KeychainError(status: status) }
    }

    func delete() throws {
        let status = SecItemDelete(base as CFDictionary)
        guard status == errSecSuccess || status == errSecItemNotFound else { throw KeychainError(status: status) }
    }

    private var base: [String: Any] {
        [kSecClass as String: kSecClassGenericPassword, kSecAttrAccount as String: account]
    }
}

/// A Keychain status other than success or "not found", with the system's description.
struct KeychainError: Error, CustomStringConvertible {
    let status: OSStatus
    var description: String { (SecCopyErrorMessageString(status, nil) as String?) ?? "Keychain error \(status)" }
}
