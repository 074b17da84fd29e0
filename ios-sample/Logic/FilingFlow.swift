import Foundation
import Hexin

/// The language the applicant reads.
public enum Lang: Sendable { case zh, en }

extension Message {
    func text(_ lang: Lang) -> String { lang == .zh ? zh : en }
}

/// One material the applicant is asked for: its `slot` (kind, and whose: `subject`, a person's or
/// a website's id), whose it is by name (`ownerName`, e.g. 王五), and where it stands.
public struct Step: Equatable, Sendable {
    public let slot: Slot
    public let ownerName: String
    public let title: String
    public var status: StepStatus
}

/// The steps of one owner (the subject, a person, a website), in checklist order.
public struct OwnerSteps: Equatable, Sendable {
    public let owner: String
    public let name: String
    public let steps: [Step]
}

public enum StepStatus: Equatable, Sendable {
    case pending
    case checking
    /// Kept in the outbox; `warnings` are shown but do not block.
    case accepted(width: Int32, height: Int32, bytes: Int64, warnings: [String])
    /// Retake: `reasons` say why, in the applicant's language.
    case rejected(reasons: [String])
}

/// Where the application as a whole is.
public enum Phase: Equatable, Sendable {
    case notStarted
    case capturing
    case sealing
    case uploading(sent: Int64, total: Int64)
    /// Paused by the applicant (`reason` nil) or by a failure.
    case paused(reason: String?)
    case delivered(digest: String)
}

/// Everything the screens show.
public struct FilingState: Equatable, Sendable {
    public var packageId: String?
    public var steps: [Step] = []
    /// Problems with the fields by field path, e.g. `people[1].document.number`: all of a
    /// field's problems, blocking ones and warnings, in the order the SDK found them.
    public var fieldProblems: [String: [String]] = [:]
    /// The SDK would seal the application now: every required material kept, no field blocking.
    public var readyToSeal = false
    public var phase: Phase = .notStarted
    /// The last error, for an alert.
    public var error: String?

    public var readyToSubmit: Bool { phase == .capturing && readyToSeal }

    /// The steps grouped by owner, each owner where its first step is: a checklist screen's sections.
    public var byOwner: [OwnerSteps] {
        var owners: [String] = []
        var grouped: [String: [Step]] = [:]
        for step in steps {
            if grouped[step.slot.owner] == nil { owners.append(step.slot.owner) }
            grouped[step.slot.owner, default: []].append(step)
        }
        return owners.map { OwnerSteps(owner: $0, name: grouped[$0]![0].ownerName, steps: grouped[$0]!) }
    }

    /// The material to take next: the first step not accepted yet, in checklist order.
    public var next: Step? {
        steps.first { if case .accepted = $0.status { return false } else { return true } }
    }
}

/// The filing flow over the hexin SDK, Foundation only: the SwiftUI shell renders `state` (each
/// change comes in order on `states`) and forwards taps and photos. The steps are the draft's checklist: a
/// material per kind and owner, so each person's ID document, each website person's face and
/// each website's forms are asked for in turn (`state.next`). Each accepted photo is kept in the
/// outbox and starts uploading while the next is taken; `submit` seals and delivers; `pause` and
/// `resumeUpload` control the upload; `reopen` picks a draft up after the app was killed.
/// `signer` signs the sealed package (the Secure Enclave's key); `onSealed` is told each sealed
/// package's id, for the app to schedule its background delivery.
///
/// Thread-safe: every method may be called from any thread or task; the state is behind a lock.
public final class FilingFlow: Listener, @unchecked Sendable {
    private let outbox: Outbox
    private let policy: Policy
    private let lang: Lang
    private var uploader: Uploader!
    private let lock = NSLock()
    private var _state = FilingState()
    private var draft: Draft?
    private var delivery: DeliveryTask?
    private var early: [Slot: Task<Void, Never>] = [:]
    private let signer: Signer?
    private let onSealed: @Sendable (String) -> Void
    private let changes: AsyncStream<FilingState>.Continuation

    /// Every new state, in the order the changes were made (whichever thread made them; hexin's
    /// listener calls come on its own threads). One consumer: the app's model reads it in a
    /// single main-actor task, so SwiftUI sees each state on the main thread and never an older
    /// one after a newer.
    public let states: AsyncStream<FilingState>

    public init(outbox: Outbox, endpoint: String, lang: Lang = .zh, policy: Policy = Policy.icpDefault(),
                signer: Signer? = nil, onSealed: @escaping @Sendable (String) -> Void = { _ in }) throws {
        self.outbox = outbox
        self.policy = policy
        self.lang = lang
        self.signer = signer
        self.onSealed = onSealed
        (states, changes) = AsyncStream.makeStream(of: FilingState.self)
        self.uploader = try Uploader(outbox: outbox, endpoint: endpoint, listener: self)
    }

    deinit { changes.finish() }

    public var state: FilingState { lock.withLock { _state } }

    /// Starts a new application.
    public func start(subject: SubjectKind, province: String) async {
        await guarded { try self.open(Draft.start(outbox: self.outbox, policy: self.policy, subject: subject, province: province)) }
    }

    /// Reopens an application left as a draft.
    public func reopen(packageId: String) async {
        await guarded { try self.open(Draft.open(outbox: self.outbox, policy: self.policy, id: packageId)) }
    }

    /// Checks a photo for `slot`; accepted ones are kept (replacing only that slot's earlier one)
    /// and start uploading at once. A photo picked from the gallery (`fromCamera` false) is
    /// refused where the policy wants the camera: `state.error` says so, the step is as it was.
    public func capture(slot: Slot, photo: Data, fromCamera: Bool = true) async {
        await guarded {
            let draft = try self.requireDraft()
            let before = self.state.steps.first { $0.slot == slot }?.status ?? .pending
            self.setStep(slot, .checking)
            let report: Report
            do {
                report = try await draft.addPhoto(slot: slot, bytes: photo, source: fromCamera ? .camera : .gallery)
            } catch {
                self.setStep(slot, before)
                throw error
            }
            if report.verdict == .accept {
                self.uploadEarly(packageId: draft.id(), slot: slot)
                try self.refresh(draft)
            } else {
                // A rejected retake leaves an earlier accepted photo in place; show why it failed.
                let reasons = report.findings.filter { $0.severity == .block }.map { $0.message.text(self.lang) }
                self.setStep(slot, .rejected(reasons: reasons))
            }
        }
    }

    /// Asks for `slot` again; the kept photo stays until a new one is accepted.
    public func retake(slot: Slot) { setStep(slot, .pending) }

    /// Saves the form (the subject, the people, the websites); problems appear in
    /// `fieldProblems`, and the steps follow the people and websites it names.
    public func updateFields(_ fields: Fields) async {
        await guarded {
            let draft = try self.requireDraft()
            try draft.setFields(fields: fields)
            try self.refresh(draft)
        }
    }

    /// Keeps the provider's liveness result (its own SDK runs the check at the face step: the
    /// verification id and when, RFC 3339 UTC) to seal with the application.
    public func livenessVerified(provider: String, reference: String, issuedAt: String) async {
        await guarded {
            try self.requireDraft().attest(attestation: Attestation(provider: provider, kind: "liveness", reference: reference, issuedAt: issuedAt))
        }
    }

    /// Seals the application and delivers it, with progress in `phase`. A refusal (a material
    /// missing, the signer failing or the applicant cancelling its prompt) goes back to capturing.
    public func submit() async {
        await guarded {
            let draft = try self.requireDraft()
            self.update { $0.phase = .sealing }
            do {
                _ = try await draft.seal(signer: self.signer)
            } catch {
                self.update { $0.phase = .capturing }
                try? self.refresh(draft)
                throw error
            }
            self.onSealed(draft.id())
            try await self.deliver(packageId: draft.id())
        }
    }

    /// Pauses the upload; `resumeUpload` carries on from what the server has.
    public func pause() { lock.withLock { delivery }?.cancel() }

    public func resumeUpload() async {
        await guarded {
            guard let id = self.state.packageId else { return }
            try await self.deliver(packageId: id)
        }
    }

    public func onEvent(event: Event) {
        switch event {
        case let .progress(_, _, _, _, packageSent, packageTotal):
            update { if case .uploading = $0.phase { $0.phase = .uploading(sent: packageSent, total: packageTotal) } }
        case let .committed(_, digest):
            update { $0.phase = .delivered(digest: digest) }
        default:
            break
        }
    }

    private func deliver(packageId: String) async throws {
        update { $0.phase = .uploading(sent: 0, total: 0); $0.error = nil }
        lock.withLock { early.values.forEach { $0.cancel() } }
        let task = try uploader.deliver(id: packageId)
        lock.withLock { delivery = task }
        do {
            let done = try await task.value // cancelling the calling task pauses the delivery
            update { $0.phase = .delivered(digest: done.digest) }
        } catch HexinError.UploadCancelled {
            update { $0.phase = .paused(reason: nil) }
        } catch let error as HexinError {
            update { $0.phase = .paused(reason: error.messages.text(self.lang)) }
            throw error
        }
    }

    private func uploadEarly(packageId: String, slot: Slot) {
        let uploader = self.uploader!
        let task = Task {
            // Best effort: whatever is not on the server yet goes with the delivery.
            _ = try? await uploader.uploadFile(id: packageId, name: slotFileName(slot: slot))
        }
        lock.withLock {
            early[slot]?.cancel()
            early[slot] = task
        }
    }

    private func open(_ draft: Draft) throws {
        lock.withLock { self.draft = draft }
        update { $0 = FilingState(packageId: draft.id(), phase: .capturing) }
        try refresh(draft)
    }

    /// Shows the draft's checklist: a step per material, the fields' problems, readiness. A step
    /// keeps showing a rejected shot (or a check under way) until the applicant retakes.
    private func refresh(_ draft: Draft) throws {
        let list = try draft.checklist()
        update { s in
            s.steps = list.materials.map { m in
                let previous = s.steps.first { $0.slot == m.slot }?.status
                let status: StepStatus
                switch (previous, m.report) {
                case (.rejected?, _), (.checking?, nil): status = previous!
                case let (_, report?): status = self.accepted(report)
                default: status = .pending
                }
                return Step(slot: m.slot, ownerName: m.ownerName, title: materialName(kind: m.slot.kind).text(self.lang), status: status)
            }
            s.fieldProblems = Dictionary(uniqueKeysWithValues: list.fields.map { f in
                (f.path, f.problems.map { $0.message.text(self.lang) })
            })
            s.readyToSeal = list.readyToSeal
        }
    }

    private func accepted(_ report: Report) -> StepStatus {
        .accepted(width: report.output?.width ?? 0, height: report.output?.height ?? 0,
                  bytes: report.output?.bytes ?? 0, warnings: report.findings.map { $0.message.text(lang) })
    }

    private func setStep(_ slot: Slot, _ status: StepStatus) {
        update { s in
            for i in s.steps.indices where s.steps[i].slot == slot { s.steps[i].status = status }
        }
    }

    private func requireDraft() throws -> Draft {
        guard let draft = lock.withLock({ self.draft }) else { throw FlowError.notStarted }
        return draft
    }

    /// Changes the state and queues the new one on `states` under the same lock, so the stream
    /// has the states in the order they were made.
    private func update(_ change: (inout FilingState) -> Void) {
        lock.withLock {
            change(&_state)
            changes.yield(_state)
        }
    }

    /// Runs `work`; an SDK error becomes `state.error` in the applicant's language.
    private func guarded(_ work: () async throws -> Void) async {
        do {
            try await work()
        } catch let error as HexinError {
            update { $0.error = error.messages.text(self.lang) }
        } catch {
            update { $0.error = "\(error)" }
        }
    }
}

/// Misuse of the flow by the app itself.
public enum FlowError: Error { case notStarted }
