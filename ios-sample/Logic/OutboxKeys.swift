import Foundation
import Hexin

/// Where the app keeps its outbox key: the Keychain (App/Keychain.swift), a fake in the tests.
public protocol OutboxKeyStore: Sendable {
    /// The stored key, or nil when none is stored (`errSecItemNotFound`). Any other failure
    /// (`errSecInteractionNotAllowed` while the device is locked, …) throws: the caller must not
    /// take it for "no key" and make a new one.
    func load() throws -> Data?
    /// Stores `key`, durably, before it returns.
    func store(_ key: Data) throws
    /// Forgets the key.
    func delete() throws
}

/// How opening the outbox went.
public enum OutboxOpening {
    case opened(Outbox)
    /// The outbox's key is gone or not the one the outbox was made with: what is in it can never
    /// be read again. The app explains that and, if the applicant agrees, calls `OutboxKeys.reset`,
    /// which deletes every draft and unsent package.
    case keyLost(reason: String)
    /// The key could not be read now; nothing was changed. Try again (after unlocking).
    case unavailable(Error)
}

/// Opens the outbox in `dir` under the key in `store`: a stored key opens it; no stored key makes
/// a new random one, stored before anything is encrypted with it; a store error changes nothing;
/// a key the outbox refuses leads to `reset` only when the applicant agrees.
public struct OutboxKeys: Sendable {
    public let dir: URL
    public let store: OutboxKeyStore
    public let keepDays: Int32

    public init(dir: URL, store: OutboxKeyStore, keepDays: Int32 = 30) {
        self.dir = dir
        self.store = store
        self.keepDays = keepDays
    }

    public func open() -> OutboxOpening {
        let key: Data
        do {
            if let stored = try store.load() {
                key = stored
            } else {
                var random = SystemRandomNumberGenerator()
                key = Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &random) })
                try store.store(key)
            }
        } catch {
            return .unavailable(error)
        }
        do {
            return .opened(try Outbox(dir: dir, key: key, options: OutboxOptions(maxBytes: nil, keepDays: keepDays)))
        } catch let HexinError.OutboxKeyMismatch(reason) {
            return .keyLost(reason: reason)
        } catch HexinError.OutboxKeyRequired {
            return .keyLost(reason: "the outbox is encrypted and no key was given")
        } catch {
            return .unavailable(error)
        }
    }

    /// Deletes the outbox (every draft and unsent package in it) and its key, then opens a new
    /// one. Only after the applicant has agreed to lose them; the outbox must not be open.
    public func reset() -> OutboxOpening {
        do {
            if FileManager.default.fileExists(atPath: dir.path) { try FileManager.default.removeItem(at: dir) }
            try store.delete()
        } catch {
            return .unavailable(error)
        }
        return open()
    }
}
