import Foundation
import Hexin
import Security

/// Publishes `FilingFlow`'s state to SwiftUI on the main thread; every action forwards to the flow.
@MainActor
final class FilingModel: ObservableObject {
    @Published private(set) var state = FilingState()
    /// The subject type chosen at the start, for the form.
    @Published private(set) var subject = SubjectKind.individual
    let flow: FilingFlow

    init() {
        flow = try! FilingFlow(outbox: Sdk.outbox, endpoint: Sdk.endpoint, lang: .zh)
        flow.onChange = { [weak self] state in Task { @MainActor in self?.state = state } }
    }

    func start(_ subject: SubjectKind, _ province: String) {
        self.subject = subject
        Task { await flow.start(subject: subject, province: province) }
    }
    func capture(_ slot: Slot, _ jpeg: Data) { Task { await flow.capture(slot: slot, photo: jpeg) } }
    func retake(_ slot: Slot) { flow.retake(slot: slot) }
    func save(_ fields: Fields) { Task { await flow.updateFields(fields) } }
    func submit() { Task { await flow.submit() } }
    func pause() { flow.pause() }
    func resume() { Task { await flow.resumeUpload() } }
}

/// The app's one outbox, encrypted under a random key kept in the Keychain (this device only).
enum Sdk {
    static let endpoint = "http://127.0.0.1:1080/files/"

    static let outbox: Outbox = {
        let dir = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0]
            .appendingPathComponent("hexin-outbox")
        return try! Outbox(dir: dir.path, key: outboxKey(), maxBytes: nil, keepDays: 30)
    }()

    private static func outboxKey() -> Data {
        let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrAccount as String: "hexin-outbox",
                                    kSecReturnData as String: true]
        var found: AnyObject?
        if SecItemCopyMatching(query as CFDictionary, &found) == errSecSuccess, let key = found as? Data { return key }
        var key = Data(count: 32)
        _ = key.withUnsafeMutableBytes { SecRandomCopyBytes(kSecRandomDefault, 32, $0.baseAddress!) }
        let add: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrAccount as String: "hexin-outbox",
                                  kSecValueData as String: key,
                                  kSecAttrAccessible as String: kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly]
        SecItemAdd(add as CFDictionary, nil)
        return key
    }
}
