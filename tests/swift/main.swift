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
let corpus = URL(fileURLWithPath: path("HEXIN_CORPUS"))

/// The individual's materials, 张三 (`person`) running the website `site`.
func individual(_ person: String = "zhangsan", _ site: String = "blog") -> [Slot] {
    [Slot(kind: .idCardFront, owner: person), Slot(kind: .idCardBack, owner: person),
     Slot(kind: .facePhoto, owner: person), Slot(kind: .verificationForm, owner: site)]
}

/// Failed expectations of the case running now; the runner (at the end) reports each case.
nonisolated(unsafe) var failures = 0

func expect(_ ok: Bool, _ what: @autoclosure () -> String, line: Int = #line) {
    if !ok {
        print("FAILED line \(line): \(what())")
        failures += 1
    }
}

/// A specimen photo: specimens/`specimen`/<kind>.jpg, the kind's name as its slot's file begins
/// (`id-card-front.<owner>.jpg`).
func photo(_ kind: MaterialKind, _ specimen: String = "individual") -> Data {
    let name = slotFileName(slot: Slot(kind: kind, owner: "x")).split(separator: ".")[0]
    return try! Data(contentsOf: specimens.appendingPathComponent(specimen).appendingPathComponent("\(name).jpg"))
}

/// The individual specimen's fields (specimens/individual/fields.json), under other ids if asked.
func individualFields(_ person: String = "zhangsan", _ site: String = "blog", phone: String = "13800138000") -> Fields {
    Fields(filing: Filing(kind: .new, subjectFilingNumber: nil),
           subject: SubjectFields(name: "张三", creditCode: nil, legalRepresentative: nil, responsiblePerson: person),
           people: [Person(id: person, name: "张三", document: IdDocument(kind: .residentId, number: "11010519491231002X", validUntil: "长期"),
                           phone: phone, emergencyPhone: "13900139000", email: "zhangsan@example.com", isLegalRepresentative: nil)],
           websites: [Website(id: site, name: "张三的个人博客",
                              domains: [Domain(name: "example.com", registrant: "张三"), Domain(name: "例子.测试", registrant: "张三")],
                              responsiblePerson: person, filingNumber: nil)])
}

/// The enterprise specimen (specimens/enterprise/fields.json) filing in Shanghai, its website
/// `www` run by 王五 (`wangwu`), who is not the legal representative 李四 (`lisi`).
func enterpriseFields() -> Fields {
    Fields(filing: Filing(kind: .new, subjectFilingNumber: nil),
           subject: SubjectFields(name: "示例科技有限公司", creditCode: "91440300MA5HEXN01A", legalRepresentative: "李四", responsiblePerson: "lisi"),
           people: [
               Person(id: "lisi", name: "李四", document: IdDocument(kind: .residentId, number: "440305198805120015", validUntil: "20380512"),
                      phone: "+86 139-0000-0000", emergencyPhone: "13700137000", email: "lisi@example.com", isLegalRepresentative: true),
               Person(id: "wangwu", name: "王五", document: IdDocument(kind: .residentId, number: "310101199001010012", validUntil: "20380512"),
                      phone: "13600136000", emergencyPhone: nil, email: "wangwu@example.com", isLegalRepresentative: false),
           ],
           websites: [Website(id: "www", name: "示例科技官网", domains: [Domain(name: "example.org", registrant: "示例科技有限公司")],
                              responsiblePerson: "wangwu", filingNumber: nil)])
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
    var cancelAfter: Int64 = .max

    var all: [Event] { lock.withLock { events } }

    /// The most of the package the server has confirmed.
    var sent: Int64 {
        all.compactMap { (event: Event) -> Int64? in
            if case let .progress(_, _, _, _, sent, _) = event { return sent } else { return nil }
        }.max() ?? 0
    }

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
    expect(accepted.output.map { Int64($0.jpeg.count) == $0.bytes && $0.jpeg.prefix(2) == Data([0xFF, 0xD8]) } == true, "output JPEG")

    let small = try await checkPhotoFile(path: realPhotos.appendingPathComponent("camera/DSCN0010.jpg"), kind: .idCardFront, policy: policy)
    expect(small.verdict == .reject && small.output == nil, "small photo accepted")
    expect(small.findings.map(\.code) == [.documentNotFound, .resolutionTooLow], "\(small.findings)")

    await expectError("HEIC", { if case .UnsupportedFormat = $0 { return true } else { return false } }) {
        _ = try await checkPhotoFile(path: realPhotos.appendingPathComponent("camera/iphone_13_pro_max.HEIC"), kind: .facePhoto, policy: policy)
    }
    await expectError("policy", { $0.code == .invalidPolicy && codeName(code: $0.code) == "invalid_policy" }) {
        _ = try Policy.parse(text: "[limits]\nmax_input_bytes = 0")
    }
    print("ok  photos: accepted, rejected (resolutionTooLow), HEIC → HexinError.UnsupportedFormat")
}

func validatesFields() throws {
    expect(validateIdNumber(value: "11010519491231002X") == nil, "valid ID refused")
    expect(validateIdNumber(value: "110105194912310021")?.code == .invalidIdNumber, "bad check character accepted")
    expect(validateEmail(value: "not-an-email")?.code == .invalidEmail, "bad email accepted")
    expect(validateDomain(value: "例子.中国") == nil, "IDN refused")
    expect(validateDocumentNumber(kind: .taiwanPermit, value: "12345678") == nil, "Taiwan permit refused")
    expect(validateDocumentNumber(kind: .taiwanPermit, value: "1234567")?.code == .invalidIdNumber, "short Taiwan permit accepted")
    expect(try validateFilingNumber(value: "沪ICP备12345678号-1", province: "31", website: true) == nil, "filing number refused")
    expect(try validateFilingNumber(value: "京ICP备12345678号-1", province: "31", website: true)?.code == .invalidFilingNumber, "another province's number accepted")
    expect(validateSiteName(name: "MyBlog", subject: .individual, policy: Policy.icpDefault())?.code == .invalidSiteName, "site name accepted")
    let problems = try submissionProblems(subject: .individual, province: "11", fields: individualFields(phone: "123"), policy: Policy.icpDefault())
    expect(problems.map(\.at) == ["people[0].phone"] && problems[0].code == .invalidPhone, "\(problems)")
    expect(problems[0].place == .field(path: "people[0].phone"), "\(problems[0].place)")
    // Rules across people: the second person with the first one's ID number.
    var twice = enterpriseFields()
    twice.people[1].document.number = twice.people[0].document.number
    let across = try submissionProblems(subject: .enterprise, province: "31", fields: twice, policy: Policy.icpDefault())
    expect(across.contains { $0.code == .duplicatePerson && $0.at == "people[1].document.number" }, "\(across)")
    expect(slotFileName(slot: Slot(kind: .facePhoto, owner: "wangwu")) == "face-photo.wangwu.jpg", "slot file name")
    expect(defaultOwner(fields: enterpriseFields(), kind: .verificationForm) == "www", "default owner")
    expect(subjectName(kind: .lawFirm) == Message(zh: "律师执业机构", en: "law firm") && documentName(kind: .passport) == Message(zh: "护照", en: "passport"),
           "\(subjectName(kind: .lawFirm)) \(documentName(kind: .passport))")
    print("ok  fields: ID documents, filing numbers, site names, email, domain, whole-form problems by path, rules across people, slot file names")
}

func sealsUploadsCancelsAndResumes() async throws {
    let policy = Policy.icpDefault()
    let outbox = try Outbox(dir: work.appendingPathComponent("swift-outbox"), key: Data(repeating: 5, count: 32))
    let draft = try Draft.start(outbox: outbox, policy: policy, subject: .individual, province: "11")
    try draft.setFields(fields: individualFields())
    let empty = try draft.checklist()
    expect(empty.materials.map(\.slot) == individual() && empty.materials.allSatisfy { $0.required && $0.state == .missing }, "\(empty.materials)")
    expect(empty.materials.map(\.ownerName) == ["张三", "张三", "张三", "张三的个人博客"], "\(empty.materials)")
    expect(empty.problems.contains { $0.code == .missingMaterial && $0.place == .material(kind: .facePhoto, owner: "zhangsan") }, "\(empty.problems)")
    // Documents and faces must come from the camera (the default policy): a gallery pick is refused.
    for slot in individual() {
        await expectError("gallery \(slot)", {
            if case let .CaptureSourceNotAllowed(kind) = $0 { return kind == slot.kind && $0.code == .captureSourceNotAllowed } else { return false }
        }) {
            _ = try await draft.addPhoto(slot: slot, bytes: photo(slot.kind), source: .gallery)
        }
    }
    let none = try outbox.get(id: draft.id()).files
    expect(none.isEmpty, "a refused pick was kept: \(none)")
    for slot in individual() {
        let report = try await draft.addPhoto(slot: slot, bytes: photo(slot.kind), source: .camera)
        expect(report.verdict == .accept, "\(slot): \(report.findings)")
    }
    let kept = try outbox.get(id: draft.id()).files.map(\.name)
    expect(kept.sorted() == individual().map { slotFileName(slot: $0) }.sorted(), "files by slot: \(kept)")
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
    let uploader = try Uploader(outbox: outbox, endpoint: endpoint, listener: events, options: UploadOptions(chunkSize: 1024, parallel: 2))
    events.cancelAfter = total / 3
    let first = try uploader.deliver(id: sealed.packageId)
    events.task = first
    await expectError("cancel", { if case .UploadCancelled = $0 { return true } else { return false } }) {
        _ = try await first.result()
    }
    let paused = try outbox.get(id: sealed.packageId).state
    expect(first.isFinished() && paused == .sealed, "not paused: \(paused)")
    let sentBefore = events.sent
    expect(sentBefore >= total / 3 && sentBefore < total, "cancelled at \(sentBefore) of \(total)")

    events.cancelAfter = .max
    let delivery = try await uploader.deliver(id: sealed.packageId).result()
    expect(delivery.digest == sealed.digest && delivery.sentBytes < total, "resume sent \(delivery.sentBytes) of \(total)")
    expect(events.all.contains { if case .committed = $0 { return true } else { return false } }, "no committed event")
    let v = try await verifyPackageDir(dir: serverPackages.appendingPathComponent(sealed.packageId), trustedKeysPem: [], expectedDigest: sealed.digest)
    expect(v.problems.isEmpty, "\(v.problems)")
    let manifest = try String(contentsOf: serverPackages.appendingPathComponent(sealed.packageId).appendingPathComponent("manifest.json"), encoding: .utf8)
    expect(manifest.contains("\"reference\":\"vfy-swift-0001\""), "the attestation is not in the delivered manifest")
    print("ok  draft + liveness attestation → seal → upload → cancel at \(sentBefore)/\(total) → resume (\(delivery.sentBytes) B) → verified on the server")
}

func sampleFlowFilesAPackage() async throws {
    let outbox = try Outbox(dir: work.appendingPathComponent("swift-sample"), key: nil)
    let flow = try FilingFlow(outbox: outbox, endpoint: endpoint, lang: .en)
    await flow.start(subject: .individual, province: "11")
    // Before the form is filled, the steps are a one-person, one-website filing's (`p1`, `w1`):
    // the ids the sample's form gives its first person and website.
    let slots = individual("p1", "w1")
    expect(flow.state.steps.map(\.slot) == slots && flow.state.steps[0].title == "ID card, photo side", "\(flow.state)")
    await flow.capture(slot: slots[0], photo: try Data(contentsOf: realPhotos.appendingPathComponent("camera/DSCN0010.jpg")))
    guard case let .rejected(reasons) = flow.state.steps[0].status else { return expect(false, "\(flow.state.steps[0])") }
    expect(reasons.count == 2, "\(reasons)")
    // A picture from the gallery is refused (the policy wants the camera); the step is as it was.
    await flow.capture(slot: slots[1], photo: photo(.idCardBack), fromCamera: false)
    let refused = HexinError.CaptureSourceNotAllowed(kind: .idCardBack).messages.en
    expect(flow.state.error == refused && flow.state.steps[1].status == .pending, "\(flow.state)")
    for slot in slots { await flow.capture(slot: slot, photo: photo(slot.kind)) }
    expect(flow.state.steps.allSatisfy { if case .accepted = $0.status { return true } else { return false } } && flow.state.next == nil,
           "\(flow.state.steps)")
    await flow.updateFields(individualFields("p1", "w1", phone: "12345"))
    let phone = validatePhone(value: "12345")!.message.en // the flow shows the SDK's message, once
    expect(flow.state.fieldProblems == ["people[0].phone": [phone]] && !flow.state.readyToSubmit, "\(flow.state.fieldProblems)")
    await flow.updateFields(individualFields("p1", "w1"))
    expect(flow.state.readyToSubmit, "\(flow.state)")
    await flow.livenessVerified(provider: "aliyun", reference: "vfy-sample-0002", issuedAt: "2026-11-30T09:15:00Z")
    await flow.submit()
    guard case let .delivered(digest) = flow.state.phase, let packageId = flow.state.packageId else { return expect(false, "\(flow.state)") }
    expect(digest.count == 64 && flow.state.error == nil, "\(digest)")
    let manifest = try String(contentsOf: serverPackages.appendingPathComponent(packageId).appendingPathComponent("manifest.json"), encoding: .utf8)
    expect(manifest.contains("\"reference\":\"vfy-sample-0002\""), "the liveness result is not in the delivered manifest")
    print("ok  sample flow: rejected shot → gallery refused → fields → liveness → submit → delivered")
}

/// What the Shanghai enterprise filing needs, in checklist order.
let enterpriseShanghai: [Slot] = [
    Slot(kind: .businessLicense, owner: "subject"),
    Slot(kind: .idCardFront, owner: "lisi"), Slot(kind: .idCardBack, owner: "lisi"),
    Slot(kind: .idCardFront, owner: "wangwu"), Slot(kind: .idCardBack, owner: "wangwu"), Slot(kind: .facePhoto, owner: "wangwu"),
    Slot(kind: .verificationForm, owner: "www"), Slot(kind: .authorizationLetter, owner: "www"),
]

/// The enterprise specimen's photo of `kind`; its verification form's page for the authorization letter.
func enterprisePhoto(_ kind: MaterialKind) -> Data {
    photo(kind == .authorizationLetter ? .verificationForm : kind, "enterprise")
}

/// An enterprise in Shanghai whose website is run by 王五, not its legal representative 李四: the
/// flow asks for the business licence, both people's ID cards, 王五's face, the website's
/// verification form and authorization letter, in turn; a retake of 王五's ID card leaves 李四's
/// alone; the package seals and delivers with each material under its owner.
func sampleFlowFilesAnEnterpriseWithTwoPeople() async throws {
    let outbox = try Outbox(dir: work.appendingPathComponent("swift-sample-enterprise"), key: nil)
    let flow = try FilingFlow(outbox: outbox, endpoint: endpoint, lang: .zh)
    await flow.start(subject: .enterprise, province: "31")
    await flow.updateFields(enterpriseFields())
    expect(flow.state.steps.map(\.slot) == enterpriseShanghai && flow.state.fieldProblems.isEmpty, "\(flow.state)")
    let owners = flow.state.byOwner
    expect(owners.map(\.owner) == ["subject", "lisi", "wangwu", "www"] && owners.map(\.name) == ["示例科技有限公司", "李四", "王五", "示例科技官网"]
           && owners.map(\.steps.count) == [1, 2, 3, 2], "\(owners)")

    // Walk the checklist, each step in turn, with the enterprise specimen's photos: 王五's first
    // shot of his ID card is the same card as 李四's (a mix-up he retakes below).
    var taken: [String] = []
    while let next = flow.state.next {
        expect(next.status == .pending && taken.count < enterpriseShanghai.count, "\(next)")
        taken.append("\(next.ownerName): \(next.title)")
        await flow.capture(slot: next.slot, photo: enterprisePhoto(next.slot.kind))
    }
    expect(taken.count == 8 && taken[3] == "王五: 身份证人像面" && flow.state.readyToSubmit, "\(taken) \(flow.state)")

    // 王五 retakes with his own card (the corpus's first clean ID card): only his slot changes.
    let wangwuFront = Slot(kind: .idCardFront, owner: "wangwu")
    flow.retake(slot: wangwuFront)
    expect(flow.state.next?.slot == wangwuFront, "\(flow.state)")
    let cards = try FileManager.default.contentsOfDirectory(atPath: corpus.path)
        .filter { $0.contains("-id-card-front-") && $0.hasSuffix("-clean.jpg") }.sorted()
    let own = try Data(contentsOf: corpus.appendingPathComponent(cards[0]))
    await flow.capture(slot: wangwuFront, photo: own)
    expect(flow.state.next == nil && flow.state.readyToSubmit, "\(flow.state)")

    await flow.submit()
    guard case .delivered = flow.state.phase, let packageId = flow.state.packageId else { return expect(false, "\(flow.state)") }
    let data = try Data(contentsOf: serverPackages.appendingPathComponent(packageId).appendingPathComponent("manifest.json"))
    let materials = (try JSONSerialization.jsonObject(with: data) as! [String: Any])["materials"] as! [[String: Any]]
    // Each entry by its file (the slot's: `id-card-front.wangwu.jpg`): its owner and SHA-256.
    var sealed: [String: (owner: String, sha256: String)] = [:]
    for m in materials { sealed[m["file"] as! String] = (m["owner"] as! String, m["sha256"] as! String) }
    expect(materials.count == 8 && Set(sealed.keys) == Set(enterpriseShanghai.map { slotFileName(slot: $0) })
           && enterpriseShanghai.allSatisfy { sealed[slotFileName(slot: $0)]?.owner == $0.owner }, "\(sealed)")
    let policy = Policy.icpDefault()
    let lisi = try await checkPhoto(bytes: enterprisePhoto(.idCardFront), kind: .idCardFront, policy: policy).output!.sha256
    let wangwu = try await checkPhoto(bytes: own, kind: .idCardFront, policy: policy).output!.sha256
    let front = { (owner: String) in sealed[slotFileName(slot: Slot(kind: .idCardFront, owner: owner))]?.sha256 }
    expect(front("lisi") == lisi && front("wangwu") == wangwu && lisi != wangwu, "\(sealed)")
    print("ok  sample flow, enterprise in Shanghai with two people: 8 steps by owner → retake of one ID card → sealed by owner → delivered")
}

/// Keeps hexin's log records, as an app's os_log bridge would.
final class Records: Logger, @unchecked Sendable {
    private let lock = NSLock()
    private var records: [LogRecord] = []
    var all: [LogRecord] { lock.withLock { records } }
    func log(record: LogRecord) { lock.withLock { records.append(record) } }
}

/// Cancelling the Swift task that awaits a delivery (or an upload) stops it, though uniffi's own
/// async calls do not see a Swift task's cancellation; the package pauses, then delivers with
/// its events read as an AsyncStream.
func cancellingATaskStopsTheUpload() async throws {
    let outbox = try Outbox(dir: work.appendingPathComponent("swift-cancel"), key: nil)
    let draft = try Draft.start(outbox: outbox, policy: Policy.icpDefault(), subject: .individual, province: "11")
    try draft.setFields(fields: individualFields())
    for slot in individual() { _ = try await draft.addPhoto(slot: slot, bytes: photo(slot.kind), source: .camera) }
    let id = try await draft.seal(signer: nil).packageId
    let total = try outbox.get(id: id).bytes
    let records = Records()
    try setLogger(logger: records, level: .info)
    defer { try? setLogger(logger: nil, level: .info) }

    let events = Events()
    let uploader = try Uploader(outbox: outbox, endpoint: endpoint, listener: events, options: UploadOptions(chunkSize: 1024, parallel: 1))
    let delivery = try uploader.deliver(id: id)
    let waiting = Task { try await delivery.value }
    while events.sent == 0 { try await Task.sleep(nanoseconds: 2_000_000) }
    waiting.cancel()
    switch await waiting.result {
    case .failure(HexinError.UploadCancelled): break
    case let other: expect(false, "the cancelled task ended with \(other)")
    }
    let paused = try outbox.get(id: id).state
    let sent = events.sent
    try await Task.sleep(nanoseconds: 300_000_000)
    expect(paused == .sealed && delivery.isFinished(), "not paused: \(paused)")
    expect(events.sent == sent && sent < total, "went on after the cancel: \(events.sent) of \(total)")
    expect(records.all.contains { $0.level == .info && $0.message == "package \(id): paused" }, "\(records.all)")

    // One file's upload before sealing, cancelled the same way; what the server confirmed stays.
    let early = try Draft.start(outbox: outbox, policy: Policy.icpDefault(), subject: .individual, province: "11")
    let front = individual()[0]
    _ = try await early.addPhoto(slot: front, bytes: photo(front.kind), source: .camera)
    let fileEvents = Events()
    let fileUploader = try Uploader(outbox: outbox, endpoint: endpoint, listener: fileEvents, options: UploadOptions(chunkSize: 1024, parallel: 1))
    let upload = Task { try await fileUploader.uploadFile(id: early.id(), name: slotFileName(slot: front)) }
    while fileEvents.sent == 0 { try await Task.sleep(nanoseconds: 2_000_000) }
    upload.cancel()
    if case .success = await upload.result { expect(false, "the cancelled upload finished") }
    let rest = try await fileUploader.uploadFile(id: early.id(), name: slotFileName(slot: front))
    let size = try outbox.get(id: early.id()).bytes
    expect(rest > 0 && rest < size, "the resumed upload sent \(rest) of \(size)")

    // The paused package delivers; its events, read as an AsyncStream, end with the task.
    let resumed = try uploader.deliver(id: id)
    var seen: [Event] = []
    for await event in resumed.events { seen.append(event) }
    let done = try await resumed.value
    expect(seen.first == .state(packageId: id, state: .uploading) && seen.contains(.state(packageId: id, state: .committed)), "\(seen.count) events")
    expect(seen.last == .committed(packageId: id, digest: done.digest), "\(seen.count) events")
    print("ok  cancel: Swift task cancelled mid-delivery at \(sent)/\(total) → paused, nothing sent after; uploadFile cancelled → resumed; AsyncStream of a delivery's events")
}

/// Errors describe themselves in the app's language (`localizedDescription`), with `code` and
/// both languages as properties.
func errorsSpeakTheAppsLanguage() async throws {
    let dir = work.appendingPathComponent("swift-keyed")
    _ = try Outbox(dir: dir, key: Data(repeating: 1, count: 32), options: OutboxOptions(maxBytes: 50_000_000, keepDays: 7))
    await expectError("days", { if case let .InvalidArgument(name, _) = $0 { return name == "keep_days" } else { return false } }) {
        _ = try Outbox(dir: work.appendingPathComponent("swift-days"), key: nil, options: OutboxOptions(maxBytes: nil, keepDays: -1))
    }
    do {
        _ = try Outbox(dir: dir, key: Data(repeating: 2, count: 32))
        expect(false, "another key opened the outbox")
    } catch let error as HexinError {
        expect(error.code == .outboxKeyMismatch && error.localizedDescription == error.messages.zh, "\(error.localizedDescription)")
        setLanguage(language: .en)
        defer { setLanguage(language: .zh) }
        expect(error.localizedDescription == error.messages.en && error.messages.text == error.messages.en, "\(error.localizedDescription)")
    }
    print("ok  errors: localizedDescription in the app's language (zh, then en), code and messages as properties, options checked")
}

/// Runs each case on its own, so a failing case does not hide the rest; exits 1 if any failed.
func runCases(_ cases: [(String, () async throws -> Void)]) async {
    var failed: [String] = []
    for (name, run) in cases {
        failures = 0
        do { try await run() } catch { print("FAILED \(name): \(error)"); failures += 1 }
        if failures > 0 { failed.append(name) }
    }
    print("swift: \(cases.count - failed.count) of \(cases.count) cases passed")
    if !failed.isEmpty {
        print("swift: failed: \(failed.joined(separator: ", "))")
        exit(1)
    }
}

await runCases([
    ("checksPhotos", checksPhotos),
    ("validatesFields", validatesFields),
    ("errorsSpeakTheAppsLanguage", errorsSpeakTheAppsLanguage),
    ("sealsUploadsCancelsAndResumes", sealsUploadsCancelsAndResumes),
    ("cancellingATaskStopsTheUpload", cancellingATaskStopsTheUpload),
    ("sampleFlowFilesAPackage", sampleFlowFilesAPackage),
    ("sampleFlowFilesAnEnterpriseWithTwoPeople", sampleFlowFilesAnEnterpriseWithTwoPeople),
    ("cameraGuideFollowsRecordedFrames", cameraGuideFollowsRecordedFrames),
])
