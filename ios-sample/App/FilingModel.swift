import Foundation
import Hexin

/// Publishes `FilingFlow`'s state to SwiftUI; every action forwards to the flow. The flow's
/// states arrive on one main-actor task, in the order they were made.
@MainActor
final class FilingModel: ObservableObject {
    @Published private(set) var state = FilingState()
    /// The subject type chosen at the start, for the form.
    @Published private(set) var subject = SubjectKind.individual
    /// How opening the outbox went; the flow exists once it is open.
    @Published private(set) var opening: OutboxOpening
    private(set) var flow: FilingFlow?
    private var following: Task<Void, Never>?

    init() {
        opening = Sdk.open()
        connect()
    }

    /// Tries again after the key could not be read (the device was locked).
    func retryOpen() {
        opening = Sdk.open()
        connect()
    }

    /// After the applicant agreed to lose every draft and unsent package: a new outbox, a new key.
    func resetOutbox() {
        following?.cancel()
        flow = nil
        opening = Sdk.reset()
        connect()
    }

    func start(_ subject: SubjectKind, _ province: String) {
        self.subject = subject
        guard let flow else { return }
        Task { await flow.start(subject: subject, province: province) }
    }
    func capture(_ slot: Slot, _ jpeg: Data) { guard let flow else { return }; Task { await flow.capture(slot: slot, photo: jpeg) } }
    func retake(_ slot: Slot) { flow?.retake(slot: slot) }
    func save(_ fields: Fields) { guard let flow else { return }; Task { await flow.updateFields(fields) } }
    func submit() { guard let flow else { return }; Task { await flow.submit() } }
    func pause() { flow?.pause() }
    func resume() { guard let flow else { return }; Task { await flow.resumeUpload() } }

    private func connect() {
        guard case let .opened(outbox) = opening else { return }
        // A sealed package is queued for background delivery at once, in case the app dies mid-upload.
        let flow = try! FilingFlow(outbox: outbox, endpoint: Sdk.endpoint, lang: .zh, signer: try? EnclaveSigner(),
                                   onSealed: { _ in ResumeTask.schedule() })
        self.flow = flow
        following = Task { [weak self] in
            for await state in flow.states { self?.state = state }
        }
    }
}

/// The app's one outbox (the screens and the background task share it), encrypted under a random
/// key kept in the Keychain (this device only).
enum Sdk {
    static let endpoint = "http://127.0.0.1:1080/files/"
    private static let keys = OutboxKeys(
        dir: FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0].appendingPathComponent("hexin-outbox"),
        store: KeychainKeyStore())
    private static let lock = NSLock()
    nonisolated(unsafe) private static var outbox: Outbox?

    static func open() -> OutboxOpening {
        lock.withLock {
            if let outbox { return .opened(outbox) }
            let opening = keys.open()
            if case let .opened(opened) = opening { outbox = opened }
            return opening
        }
    }

    /// Deletes the outbox and its key, then opens a new one (after the applicant agreed).
    static func reset() -> OutboxOpening {
        lock.withLock {
            outbox = nil
            let opening = keys.reset()
            if case let .opened(opened) = opening { outbox = opened }
            return opening
        }
    }
}
