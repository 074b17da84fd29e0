// The Swift bindings, compiled with a real Swift compiler and run against the host library and
// the local tus server (tests/bindings.sh), together with the iOS sample's logic (ios-sample/Logic).
import Foundation
import Hexin

let env = ProcessInfo.processInfo.environment
func path(_ name: String) -> String { env[name] ?? { fatalError("\(name) is not set") }() }
let specimens = URL(fileURLWithPath: path("HEXIN_SPECIMENS"))
let realPhotos = URL(fileURLWithPath: path("HEXIN_REAL_PHOTOS"))
let work = URL(fileURLWithPath: path("HEXIN_WORK"))
let endpoint = path("HEXIN_ENDPOINT")
let serverPackages = URL(fileURLWithPath: path("HEXIN_SERVER_PACKAGES"))
let individual: [MaterialKind] = [.idCardFront, .idCardBack, .facePhoto, .verificationForm]

func expect(_ ok: Bool, _ what: @autoclosure () -> String, line: Int = #line) {
    if !ok { print("FAILED line \(line): \(what())"); exit(1) }
}

func photo(_ kind: MaterialKind) -> Data {
    try! Data(contentsOf: specimens.appendingPathComponent(materialFileName(kind: kind)))
}

func exampleFields(phone: String = "13800138000") -> Fields {
    Fields(subject: SubjectFields(name: "张三", creditCode: nil, legalRepresentative: nil),
           responsiblePerson: Person(name: "张三", idNumber: "11010519491231002X", idValidUntil: "长期", phone: phone,
                                     email: "zhangsan@example.com", isLegalRepresentative: nil),
           website: Website(name: "张三的个人博客", domains: ["example.com", "例子.测试"]))
}

/// Runs `body`, expecting a `HexinError` that `matches`.
func expectError(_ what: String, line: Int = #line, _ matches: (HexinError) -> Bool, _ body: () async throws -> Void) async {
    do {
        try await body()
        expect(false, "\(what): nothing thrown", line: line)
    } catch let error as HexinError {
        expect(matches(error), "\(what): got \(error)", line: line)
    } catch {
        expect(false, "\(what): not a HexinError: \(error)", line: line)
    }
}

final class Events: Listener, @unchecked Sendable {
    private let lock = NSLock()
    private var events: [Event] = []
    var task: DeliveryTask?
    var cancelAfter: UInt64 = .max

    var all: [Event] { lock.withLock { events } }

    func onEvent(event: Event) {
        let cancel = lock.withLock { () -> DeliveryTask? in
            events.append(event)
            if case let .progress(_, _, _, _, sent, _) = event, sent >= cancelAfter { return task }
            return nil
        }
        cancel?.cancel()
    }
}

final class BrokenSigner: Signer {
    func publicKey() throws -> Data { throw HexinError.SigningFailed(reason: "enclave locked") }
    func sign(message: Data) throws -> Data { throw HexinError.SigningFailed(reason: "enclave locked") }
}

func checksPhotos() async throws {
    let policy = Policy.icpDefault()
    let accepted = try await checkPhoto(bytes: photo(.idCardFront), kind: .idCardFront, policy: policy)
    expect(accepted.verdict == .accept, "\(accepted.findings)")
    expect(accepted.output.map { UInt64($0.jpeg.count) == $0.bytes && $0.jpeg.prefix(2) == Data([0xFF, 0xD8]) } == true, "output JPEG")

    let small = try await checkPhotoFile(path: realPhotos.appendingPathComponent("camera/DSCN0010.jpg").path, kind: .idCardFront, policy: policy)
    expect(small.verdict == .reject && small.output == nil, "small photo accepted")
    expect(small.findings.map(\.code) == [.documentNotFound, .resolutionTooLow], "\(small.findings)")

    await expectError("HEIC", { if case .UnsupportedFormat = $0 { return true } else { return false } }) {
        _ = try await checkPhotoFile(path: realPhotos.appendingPathComponent("camera/iphone_13_pro_max.HEIC").path, kind: .facePhoto, policy: policy)
    }
    await expectError("policy", { errorCode(error: $0) == .invalidPolicy && codeName(code: errorCode(error: $0)) == "invalid_policy" }) {
        _ = try Policy.parse(text: "[limits]\nmax_input_bytes = 0")
    }
    print("ok  photos: accepted, rejected (resolutionTooLow), HEIC → HexinError.UnsupportedFormat")
}

func validatesFields() throws {
    expect(validateIdNumber(value: "11010519491231002X") == nil, "valid ID refused")
    expect(validateIdNumber(value: "110105194912310021")?.code == .invalidIdNumber, "bad check character accepted")
    expect(validateEmail(value: "not-an-email")?.code == .invalidEmail, "bad email accepted")
    expect(validateDomain(value: "例子.中国") == nil, "IDN refused")
    let problems = try submissionProblems(subject: .individual, province: "11", fields: exampleFields(phone: "123"), policy: Policy.icpDefault())
    expect(problems.map(\.at) == ["responsible_person.phone"] && problems[0].code == .invalidPhone, "\(problems)")
    expect(problems[0].place == .field(path: "responsible_person.phone"), "\(problems[0].place)")
    print("ok  fields: ID number, email, domain, whole-form problems by path")
}

func sealsUploadsCancelsAndResumes() async throws {
    let policy = Policy.icpDefault()
    let outbox = try Outbox(dir: work.appendingPathComponent("swift-outbox").path, key: Data(repeating: 5, count: 32), maxBytes: nil, keepDays: nil)
    let draft = try Draft.start(outbox: outbox, policy: policy, subject: .individual, province: "11")
    let empty = try draft.checklist()
    expect(empty.materials.map(\.kind) == individual && empty.materials.allSatisfy { $0.required && $0.state == .missing }, "\(empty.materials)")
    expect(empty.problems.contains { $0.code == .missingMaterial && $0.place == .material(kind: .facePhoto) }, "\(empty.problems)")
    for kind in individual {
        let report = try await draft.addPhoto(kind: kind, bytes: photo(kind), source: .camera)
        expect(report.verdict == .accept, "\(kind): \(report.findings)")
    }
    try draft.setFields(fields: exampleFields())
    // The provider's liveness result (its SDK ran at the face step), sealed with the materials.
    let liveness = Attestation(provider: "aliyun", kind: "liveness", reference: "vfy-swift-0001", issuedAt: "2026-11-30T09:15:00Z")
    await expectError("bad attestation", { if case let .InvalidArgument(name, _) = $0 { return name == "attestation" } else { return false } }) {
        try draft.attest(attestation: Attestation(provider: "aliyun", kind: "liveness", reference: "vfy-swift-0001", issuedAt: "yesterday"))
    }
    try draft.attest(attestation: liveness)
    expect(draft.attestations() == [liveness], "\(draft.attestations())")
    let ready = try draft.checklist()
    expect(ready.problems.isEmpty && ready.fields.isEmpty && ready.readyToSeal, "checklist not empty: \(ready.problems)")
    expect(ready.materials.allSatisfy { $0.state != .missing && $0.report?.verdict == .accept }, "\(ready.materials)")
    await expectError("broken signer", { if case let .SigningFailed(reason) = $0 { return reason == "enclave locked" } else { return false } }) {
        _ = try await draft.seal(signer: BrokenSigner())
    }
    let sealed = try await draft.seal(signer: nil)
    let total = try outbox.get(id: sealed.packageId).bytes

    let events = Events()
    let uploader = try Uploader(outbox: outbox, endpoint: endpoint, listener: events, chunkSize: 1024, parallel: 2)
    events.cancelAfter = total / 3
    let first = try uploader.deliver(id: sealed.packageId)
    events.task = first
    await expectError("cancel", { if case .UploadCancelled = $0 { return true } else { return false } }) {
        _ = try await first.result()
    }
    let paused = try outbox.get(id: sealed.packageId).state
    expect(first.isFinished() && paused == .sealed, "not paused: \(paused)")
    let sentBefore = events.all.compactMap { (event: Event) -> UInt64? in
        if case let .progress(_, _, _, _, sent, _) = event { return sent } else { return nil }
    }.max() ?? 0
    expect(sentBefore >= total / 3 && sentBefore < total, "cancelled at \(sentBefore) of \(total)")

    events.cancelAfter = .max
    let delivery = try await uploader.deliver(id: sealed.packageId).result()
    expect(delivery.digest == sealed.digest && delivery.sentBytes < total, "resume sent \(delivery.sentBytes) of \(total)")
    expect(events.all.contains { if case .committed = $0 { return true } else { return false } }, "no committed event")
    let v = try await verifyPackageDir(dir: serverPackages.appendingPathComponent(sealed.packageId).path, trustedKeysPem: [], expectedDigest: sealed.digest)
    expect(v.problems.isEmpty, "\(v.problems)")
    let manifest = try String(contentsOf: serverPackages.appendingPathComponent(sealed.packageId).appendingPathComponent("manifest.json"), encoding: .utf8)
    expect(manifest.contains("\"reference\":\"vfy-swift-0001\""), "the attestation is not in the delivered manifest")
    print("ok  draft + liveness attestation → seal → upload → cancel at \(sentBefore)/\(total) → resume (\(delivery.sentBytes) B) → verified on the server")
}

func sampleFlowFilesAPackage() async throws {
    let outbox = try Outbox(dir: work.appendingPathComponent("swift-sample").path, key: nil, maxBytes: nil, keepDays: nil)
    let flow = try FilingFlow(outbox: outbox, endpoint: endpoint, lang: .en)
    var changes = 0
    flow.onChange = { _ in changes += 1 }
    await flow.start(subject: .individual, province: "11")
    expect(flow.state.steps.map(\.kind) == individual && flow.state.steps[0].title == "ID card, photo side", "\(flow.state)")
    await flow.capture(kind: .idCardFront, photo: try Data(contentsOf: realPhotos.appendingPathComponent("camera/DSCN0010.jpg")))
    guard case let .rejected(reasons) = flow.state.steps[0].status else { return expect(false, "\(flow.state.steps[0])") }
    expect(reasons.count == 2, "\(reasons)")
    for kind in individual { await flow.capture(kind: kind, photo: photo(kind)) }
    expect(flow.state.steps.allSatisfy { if case .accepted = $0.status { return true } else { return false } }, "\(flow.state.steps)")
    await flow.updateFields(exampleFields(phone: "12345"))
    let phone = validatePhone(value: "12345")!.message.en // the flow shows the SDK's message, once
    expect(flow.state.fieldProblems == ["responsible_person.phone": [phone]] && !flow.state.readyToSubmit, "\(flow.state.fieldProblems)")
    await flow.updateFields(exampleFields())
    expect(flow.state.readyToSubmit, "\(flow.state)")
    await flow.livenessVerified(provider: "aliyun", reference: "vfy-sample-0002", issuedAt: "2026-11-30T09:15:00Z")
    await flow.submit()
    guard case let .delivered(digest) = flow.state.phase, let packageId = flow.state.packageId else { return expect(false, "\(flow.state)") }
    expect(digest.count == 64 && flow.state.error == nil && changes > 10, "\(digest) \(changes)")
    let manifest = try String(contentsOf: serverPackages.appendingPathComponent(packageId).appendingPathComponent("manifest.json"), encoding: .utf8)
    expect(manifest.contains("\"reference\":\"vfy-sample-0002\""), "the liveness result is not in the delivered manifest")
    print("ok  sample flow: rejected shot → retake → fields → liveness → submit → delivered")
}

do {
    try await checksPhotos()
    try validatesFields()
    try await sealsUploadsCancelsAndResumes()
    try await sampleFlowFilesAPackage()
    try cameraGuideFollowsRecordedFrames()
    print("swift: all passed")
} catch {
    print("FAILED: \(error)")
    exit(1)
}
