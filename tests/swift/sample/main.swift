// The iOS sample's logic (ios-sample/Logic) compiled as Swift 6 with strict concurrency, and
// driven here against the real library and server: the flow's states on the main actor in order,
// a refused seal, the background run's completion and expiry, the resume verdicts, the outbox
// key's decisions and the camera's rotation. The platform parts (BGTask, the Keychain) are fakes
// of the Logic protocols they implement in the app.
import Foundation
import Hexin

enum Env {
    static func url(_ name: String) -> URL {
        guard let value = ProcessInfo.processInfo.environment[name] else { fatalError("\(name) is not set") }
        return URL(fileURLWithPath: value)
    }
    static let work = url("HEXIN_WORK")
    static let specimens = url("HEXIN_SPECIMENS")
    static let endpoint = ProcessInfo.processInfo.environment["HEXIN_ENDPOINT"] ?? ""
}

func expect(_ ok: Bool, _ what: @autoclosure () -> String, line: Int = #line) {
    if !ok { print("FAILED tests/swift/sample/main.swift:\(line): \(what())"); exit(1) }
}

func specimenPhoto(_ kind: MaterialKind) -> Data {
    let name = slotFileName(slot: Slot(kind: kind, owner: "x")).split(separator: ".")[0]
    return try! Data(contentsOf: Env.specimens.appendingPathComponent("individual/\(name).jpg"))
}

/// The individual specimen's fields under the sample form's ids (`p1`, `w1`).
let specimenFields = Fields(
    filing: Filing(kind: .new, subjectFilingNumber: nil),
    subject: SubjectFields(name: "张三", creditCode: nil, legalRepresentative: nil, responsiblePerson: "p1"),
    people: [Person(id: "p1", name: "张三", document: IdDocument(kind: .residentId, number: "11010519491231002X", validUntil: "长期"),
                    phone: "13800138000", emergencyPhone: nil, email: "zhangsan@example.com", isLegalRepresentative: nil)],
    websites: [Website(id: "w1", name: "张三的个人博客", domains: [Domain(name: "example.com", registrant: "张三")],
                       responsiblePerson: "p1", filingNumber: nil)])

/// What the app's model does with `FilingFlow.states`: one main-actor task mirrors them (Swift 6
/// checks the isolation when compiling; on Linux the main actor's queue is not served by the
/// process's first thread, so there is nothing to check at run time).
@MainActor
final class Mirror {
    private(set) var seen: [FilingState] = []

    func follow(_ flow: FilingFlow) -> Task<Void, Never> {
        Task { @MainActor in
            for await state in flow.states {
                seen.append(state)
            }
        }
    }
}

/// A key the user declines to use (the Face ID prompt cancelled).
final class DeclinedSigner: Signer, @unchecked Sendable {
    func publicKey() throws -> Data { Data([0x04] + [UInt8](repeating: 1, count: 64)) }
    func sign(message: Data) throws -> Data { throw HexinError.SigningFailed(reason: "the user cancelled") }
}

final class Sealed: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: [String] = []
    func add(_ id: String) { lock.withLock { ids.append(id) } }
    var all: [String] { lock.withLock { ids } }
}

@MainActor
func flowStatesArriveOnTheMainActorInOrder() async throws {
    let outbox = try Outbox(dir: Env.work.appendingPathComponent("swift6-flow"), key: nil)
    let sealed = Sealed()
    let flow = try FilingFlow(outbox: outbox, endpoint: Env.endpoint, lang: .en, signer: DeclinedSigner(), onSealed: { sealed.add($0) })
    let mirror = Mirror()
    let following = mirror.follow(flow)
    await flow.start(subject: .individual, province: "11")
    let slots = flow.state.steps.map(\.slot)
    // The photos are checked at once from four tasks: the listener's and the flow's updates
    // come from hexin's threads in whatever order they happen.
    await withTaskGroup(of: Void.self) { group in
        for slot in slots { group.addTask { await flow.capture(slot: slot, photo: specimenPhoto(slot.kind)) } }
    }
    await flow.updateFields(specimenFields)
    expect(flow.state.readyToSubmit, "\(flow.state)")
    // The user declines the signing prompt: back to capturing, the reason shown, nothing sealed.
    await flow.submit()
    let declined = errorMessage(error: HexinError.SigningFailed(reason: "the user cancelled")).en
    expect(flow.state.phase == .capturing && flow.state.error == declined && flow.state.readyToSubmit && sealed.all.isEmpty, "\(flow.state)")
    for _ in 0..<500 where mirror.seen.last != flow.state { try await Task.sleep(for: .milliseconds(10)) }
    following.cancel()
    expect(mirror.seen.last == flow.state, "the mirror ends at \(String(describing: mirror.seen.last?.phase)), the flow at \(flow.state.phase)")
    // In order: steps are checked before they are accepted, and once a step is accepted no later
    // state shows it unchecked.
    for slot in slots {
        let statuses = mirror.seen.compactMap { $0.steps.first { $0.slot == slot }?.status }
        guard let firstAccepted = statuses.firstIndex(where: { if case .accepted = $0 { return true } else { return false } }) else {
            expect(false, "\(slot) never accepted"); return
        }
        expect(statuses[..<firstAccepted].contains(.checking), "\(slot): \(statuses)")
        expect(!statuses[firstAccepted...].contains(.pending), "\(slot): \(statuses)")
    }
    let phases = mirror.seen.map(\.phase)
    expect(phases.first == .capturing && phases.contains(.sealing) && phases.last == .capturing, "\(phases)")
    print("ok  swift 6 flow: \(mirror.seen.count) states on the main actor, in order; a declined signature → capturing")
}

/// An OS background task: what the run asks of it.
final class FakeBackgroundTask: BackgroundTask, @unchecked Sendable {
    private let lock = NSLock()
    private var handler: (@Sendable () -> Void)?
    private var completions: [Bool] = []

    func onExpiration(_ handler: @escaping @Sendable () -> Void) { lock.withLock { self.handler = handler } }
    func complete(success: Bool) { lock.withLock { completions.append(success) } }
    func expire() { lock.withLock { handler }?() }
    var completed: [Bool] { lock.withLock { completions } }
}

final class Verdicts: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [ResumeVerdict] = []
    private var cancelled = false
    func add(_ v: ResumeVerdict) { lock.withLock { list.append(v) } }
    func markCancelled() { lock.withLock { cancelled = true } }
    var all: [ResumeVerdict] { lock.withLock { list } }
    var sawCancel: Bool { lock.withLock { cancelled } }
}

func backgroundRunsCompleteOnce() async throws {
    // A real run on an empty outbox: done, completed as a success.
    let outbox = try Outbox(dir: Env.work.appendingPathComponent("swift6-resume"), key: nil)
    let uploader = try Uploader(outbox: outbox, endpoint: Env.endpoint)
    let ok = FakeBackgroundTask(), okVerdicts = Verdicts()
    await runBackgroundTask(ok, ended: { okVerdicts.add($0) }) { await resumeRun(uploader, attempt: 0) }.value
    expect(ok.completed == [true] && okVerdicts.all == [.done], "\(ok.completed) \(okVerdicts.all)")

    // The OS expires the task while the work waits: completed at once (not a success), the work
    // cancelled, and its end later completes nothing more.
    let slow = FakeBackgroundTask(), verdicts = Verdicts()
    let running = runBackgroundTask(slow, ended: { verdicts.add($0) }) {
        do { try await Task.sleep(for: .seconds(30)) } catch { verdicts.markCancelled() }
        return .done
    }
    try await Task.sleep(for: .milliseconds(50))
    expect(slow.completed.isEmpty, "completed before the work ended: \(slow.completed)")
    slow.expire()
    expect(slow.completed == [false], "\(slow.completed)")
    await running.value
    expect(verdicts.sawCancel && slow.completed == [false] && verdicts.all == [.retry], "\(slow.completed) \(verdicts.all)")
    slow.expire()
    expect(slow.completed == [false], "a second expiry completed again")

    // A run that fails for good: completed, not a success, not retried.
    let gone = FakeBackgroundTask(), goneVerdicts = Verdicts()
    await runBackgroundTask(gone, ended: { goneVerdicts.add($0) }) {
        resumeVerdict(errors: [HexinError.PackageNotFound(id: "x")], attempt: 0)
    }.value
    expect(gone.completed == [false] && goneVerdicts.all == [.failed], "\(gone.completed) \(goneVerdicts.all)")
    print("ok  swift 6 background run: done → completed(true); expired → completed(false) at once, work cancelled, once; failed → completed(false)")
}

func resumeVerdictsFollowTheCodes() {
    let network = HexinError.UploadFailed(attempts: 5, kind: .network, reason: "connection refused")
    let rejected = HexinError.UploadRejected(status: 403, reason: "forbidden")
    expect(resumeVerdict(errors: [nil, nil], attempt: 0) == .done, "all delivered")
    expect(resumeVerdict(errors: [nil, network], attempt: 0) == .retry, "network")
    expect(resumeVerdict(errors: [network], attempt: 7) == .failed, "the 8th run gives up")
    expect(resumeVerdict(errors: [HexinError.UploadCancelled], attempt: 0) == .retry, "cancelled")
    expect(resumeVerdict(errors: [], attempt: 0, thrown: HexinError.OutboxLocked(path: "/o")) == .retry, "locked")
    expect(resumeVerdict(errors: [rejected], attempt: 0) == .failed, "rejected")
    expect(resumeVerdict(errors: [HexinError.CommitRejected(status: 409, reason: "digest")], attempt: 0) == .failed, "commit rejected")
    expect(resumeVerdict(errors: [rejected, network], attempt: 0) == .retry, "the other package may still go")
    print("ok  swift 6 resume verdicts: network/cancelled/locked → retry (8 runs at most), rejected → failed")
}

/// The Keychain as the logic sees it, failing as a locked device's would.
final class FakeKeyStore: OutboxKeyStore, @unchecked Sendable {
    struct Locked: Error {}
    private let lock = NSLock()
    private var key: Data?
    private var locked = false
    private var stores = 0

    func load() throws -> Data? { try lock.withLock { if locked { throw Locked() }; return key } }
    func store(_ key: Data) throws { lock.withLock { stores += 1; self.key = key } }
    func delete() throws { lock.withLock { key = nil } }
    func set(key: Data?) { lock.withLock { self.key = key } }
    func set(locked: Bool) { lock.withLock { self.locked = locked } }
    var stored: (key: Data?, stores: Int) { lock.withLock { (key, stores) } }
}

func opened(_ opening: OutboxOpening) -> Outbox? {
    if case let .opened(outbox) = opening { return outbox } else { return nil }
}

func isKeyLost(_ opening: OutboxOpening) -> Bool {
    if case .keyLost = opening { return true } else { return false }
}

/// The outbox key's decisions on a real outbox: made once, kept, never remade over a Keychain
/// error; a key the outbox refuses leads to a reset only on request. (Each `Outbox` is released
/// at the end of its `do` block, which closes it.)
func outboxKeysOpenSurfaceAndReset() throws {
    let dir = Env.work.appendingPathComponent("swift6-outbox-keys")
    let store = FakeKeyStore()
    let keys = OutboxKeys(dir: dir, store: store)
    let id: String
    do {
        guard let first = opened(keys.open()) else { return expect(false, "a new outbox did not open") }
        expect(store.stored.key?.count == 32 && store.stored.stores == 1, "\(store.stored)")
        id = try Draft.start(outbox: first, policy: Policy.icpDefault(), subject: .individual, province: "11").id()
    }
    do {
        let again = opened(keys.open())
        expect(try again?.list().map(\.id) == [id] && store.stored.stores == 1, "the outbox did not reopen with its key")
    }
    // The device is locked: an error, not "no key"; nothing made, nothing touched.
    store.set(locked: true)
    guard case .unavailable = keys.open() else { return expect(false, "a locked Keychain was taken for no key") }
    let untouched = try FileManager.default.contentsOfDirectory(atPath: dir.path)
    expect(store.stored.stores == 1 && !untouched.isEmpty, "\(store.stored)")
    store.set(locked: false)
    // A different key, or none while the outbox exists: its content is lost; offered, not done.
    store.set(key: Data(repeating: 1, count: 32))
    expect(isKeyLost(keys.open()), "a wrong key opened the outbox")
    store.set(key: nil)
    expect(isKeyLost(keys.open()) && store.stored.stores == 2, "\(store.stored)")
    // The applicant agrees: a new, empty outbox under a new key.
    do {
        let reset = opened(keys.reset())
        expect(try reset?.list().isEmpty == true && store.stored.stores == 3, "\(store.stored)")
    }
    do {
        let after = opened(keys.open())
        expect(try after?.list().isEmpty == true && store.stored.stores == 3, "\(store.stored)")
    }
    print("ok  swift 6 outbox keys: created once → reopened → locked Keychain (nothing changed) → wrong / missing key → reset → new outbox")
}

@MainActor
func main() async throws {
    resumeVerdictsFollowTheCodes()
    expect([0.0, 89.7, 90, 180, 270, -90, 360, 314, 316, 1e300].map { quarterTurn(degrees: $0) } == [0, 90, 90, 180, 270, 270, 0, 270, 0, 0],
           "\([0.0, 89.7, 90, 180, 270, -90, 360, 314, 316, 1e300].map { quarterTurn(degrees: $0) })")
    print("ok  swift 6 rotation: angles → the nearest clockwise quarter turn")
    try await backgroundRunsCompleteOnce()
    try outboxKeysOpenSurfaceAndReset()
    try await flowStatesArriveOnTheMainActorInOrder()
    print("swift 6 sample logic: all passed")
}

do {
    try await main()
} catch {
    print("FAILED: \(error)")
    exit(1)
}
