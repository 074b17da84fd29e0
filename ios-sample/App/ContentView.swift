import Hexin
import SwiftUI

/// Renders the flow's state; no logic lives here.
struct ContentView: View {
    @EnvironmentObject var model: FilingModel
    @State private var shooting: Slot?

    var body: some View {
        NavigationStack {
            content
                .navigationTitle("核验 hexin")
                .sheet(item: $shooting) { slot in
                    CameraView(kind: slot.kind) { jpeg in shooting = nil; model.capture(slot, jpeg) }
                }
        }
    }

    @ViewBuilder private var content: some View {
        switch model.opening {
        case let .keyLost(reason):
            ResetView(reason: reason) { model.resetOutbox() }
        case let .unavailable(error):
            VStack {
                Text("无法读取密钥，请解锁设备后重试 · The key cannot be read now: unlock the device and retry.\n\(error.localizedDescription)")
                Button("重试 · Retry") { model.retryOpen() }
            }.padding()
        case .opened:
            filing
        }
    }

    @ViewBuilder private var filing: some View {
        let state = model.state
        switch state.phase {
        case .notStarted:
            StartForm { subject, province in model.start(subject, province) }
        case .capturing:
            List {
                if let error = state.error { Text(error).foregroundStyle(.red) }
                // The form first: the people and websites it names decide whose photos are asked for.
                FieldsForm(subject: model.subject, problems: state.fieldProblems) { model.save($0) }
                if let next = state.next {
                    Button("下一张 · Next: \(next.ownerName) · \(next.title)") { shooting = next.slot }
                }
                ForEach(state.byOwner, id: \.owner) { owner in
                    Section(owner.name) {
                        ForEach(owner.steps, id: \.slot) { step in StepRow(step: step) { shooting = step.slot } }
                    }
                }
                Button("提交 · Submit") { model.submit() }.disabled(!state.readyToSubmit)
            }
        case .sealing:
            ProgressView("封装中… Sealing…")
        case let .uploading(sent, total):
            VStack {
                ProgressView(value: total > 0 ? Double(sent) / Double(total) : 0)
                Text("\(sent / 1024) / \(total / 1024) KiB")
                Button("暂停 · Pause") { model.pause() }
            }.padding()
        case let .paused(reason):
            VStack {
                if let reason { Text(reason) }
                Button("继续上传 · Resume") { model.resume() }
            }
        case let .delivered(digest):
            Text("已提交 · Delivered\n\(digest)").font(.footnote.monospaced())
        }
    }
}

/// The outbox's key is gone: its drafts and unsent packages can never be read. Says so, and
/// deletes them only when the applicant confirms.
struct ResetView: View {
    let reason: String
    let reset: () -> Void
    @State private var confirming = false

    var body: some View {
        VStack(spacing: 12) {
            Text("已保存的材料无法解密 · The saved materials cannot be decrypted (\(reason)).")
            Text("重置将删除所有草稿和未上传的申请，需要重新拍摄。· Resetting deletes every draft and unsent application; you will take the photos again.")
            Button("重置 · Reset", role: .destructive) { confirming = true }
        }
        .padding()
        .confirmationDialog("删除所有草稿？· Delete every draft?", isPresented: $confirming, titleVisibility: .visible) {
            Button("删除 · Delete", role: .destructive, action: reset)
        } message: {
            Text("此操作无法撤销。· This cannot be undone.")
        }
    }
}

/// The subject type and the province (GB/T 2260 code or name) of a new application.
struct StartForm: View {
    let start: (SubjectKind, String) -> Void
    @State private var subject = SubjectKind.individual
    @State private var province = "11"

    var body: some View {
        Form {
            Picker("主体类型 · Subject", selection: $subject) {
                ForEach(subjectKinds, id: \.self) { Text(subjectName(kind: $0).zh).tag($0) }
            }
            TextField("省份 Province (31 / 上海)", text: $province)
            Button("开始备案 · Start") { start(subject, province) }
        }
    }
}

struct StepRow: View {
    let step: Step
    let shoot: () -> Void

    var body: some View {
        VStack(alignment: .leading) {
            Text(step.title).font(.headline)
            switch step.status {
            case .pending: Button("拍摄 · Take photo", action: shoot)
            case .checking: ProgressView()
            case let .accepted(width, height, bytes, warnings):
                Text("✓ \(width)×\(height), \(bytes / 1024) KiB")
                ForEach(warnings, id: \.self) { Text($0).font(.caption) }
                Button("重拍 · Retake", action: shoot)
            case let .rejected(reasons):
                ForEach(reasons, id: \.self) { Text($0).foregroundStyle(.red) }
                Button("重拍 · Retake", action: shoot)
            }
        }
    }
}

/// One person being entered; `id` is `p1`, `p2`, … in the order they were added.
struct PersonInput: Identifiable {
    let id: String
    var name = "", document = DocumentType.residentId, number = "", validUntil = "", phone = "", email = ""
    var legalRepresentative = false
}

/// One website being entered; `id` is `w1`, `w2`, …; `domains` comma-separated.
struct WebsiteInput: Identifiable {
    let id: String
    var name = "", domains = "", responsiblePerson = "p1"
}

/// The filing form: the subject, its people and its websites, each field showing the SDK's
/// problems with it (by path, `people[1].phone`) after saving. The first person is the subject's
/// responsible person; each website names its own, any of the people (for an individual, the
/// filer). Ids are `p1`…, `w1`…, as the draft's checklist assumes before the form is saved, so
/// photos taken first stay where they are. Every domain's registrant is declared as the subject.
struct FieldsForm: View {
    let subject: SubjectKind
    let problems: [String: [String]]
    let save: (Fields) -> Void
    // One property per @State: a property wrapper applies to a single variable.
    @State private var name = ""
    @State private var creditCode = ""
    @State private var legalRepresentative = ""
    @State private var people = [PersonInput(id: "p1")]
    @State private var websites = [WebsiteInput(id: "w1")]

    private var unit: Bool { subject != .individual }

    var body: some View {
        Section("主体 · Subject") {
            field(unit ? "单位名称 Name" : "姓名 Name", "subject.name", $name)
            if unit {
                field("统一社会信用代码 Credit code", "subject.credit_code", $creditCode)
                field("法定代表人 Legal representative", "subject.legal_representative", $legalRepresentative)
            }
        }
        ForEach($people) { $p in
            let i = people.firstIndex { $0.id == p.id }!
            Section(i == 0 ? "主体负责人 · Subject's responsible person" : "负责人 \(i + 1) · Person \(i + 1)") {
                field("姓名 Name", "people[\(i)].name", $p.name)
                Picker("证件 · Document", selection: $p.document) {
                    ForEach(documentTypes, id: \.self) { Text(documentName(kind: $0).zh).tag($0) }
                }
                field("证件号码 Document number", "people[\(i)].document.number", $p.number)
                field("有效期至 Valid until", "people[\(i)].document.valid_until", $p.validUntil)
                field("手机 Mobile", "people[\(i)].phone", $p.phone)
                field("邮箱 Email", "people[\(i)].email", $p.email)
                if unit { Toggle("法定代表人 · Legal representative", isOn: $p.legalRepresentative) }
            }
        }
        if unit { Button("添加负责人 · Add a person") { people.append(PersonInput(id: "p\(people.count + 1)")) } }
        ForEach($websites) { $w in
            let j = websites.firstIndex { $0.id == w.id }!
            Section("网站 \(j + 1) · Website \(j + 1)") {
                field("网站名称 Website", "websites[\(j)].name", $w.name)
                VStack(alignment: .leading) {
                    TextField("域名 Domains (a, b)", text: $w.domains)
                    ForEach(problems.filter { $0.key.hasPrefix("websites[\(j)].domains") }.flatMap(\.value), id: \.self) {
                        Text($0).font(.caption).foregroundStyle(.red)
                    }
                }
                if unit {
                    Picker("网站负责人 · Run by", selection: $w.responsiblePerson) {
                        ForEach(people) { Text($0.name.isEmpty ? $0.id : $0.name).tag($0.id) }
                    }
                }
            }
        }
        Button("添加网站 · Add a website") { websites.append(WebsiteInput(id: "w\(websites.count + 1)")) }
        Button("保存 · Save") { save(fields) }
    }

    private var fields: Fields {
        Fields(filing: Filing(kind: .new, subjectFilingNumber: nil),
               subject: SubjectFields(name: name, creditCode: unit ? creditCode : nil,
                                      legalRepresentative: unit ? legalRepresentative : nil, responsiblePerson: "p1"),
               people: people.map { p in
                   Person(id: p.id, name: p.name, document: IdDocument(kind: p.document, number: p.number, validUntil: p.validUntil),
                          phone: p.phone, emergencyPhone: nil, email: p.email, isLegalRepresentative: unit ? p.legalRepresentative : nil)
               },
               websites: websites.map { w in
                   let domains = w.domains.split(whereSeparator: { $0 == "," || $0 == "，" })
                       .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                   return Website(id: w.id, name: w.name, domains: domains.map { Domain(name: $0, registrant: name) },
                                  responsiblePerson: unit ? w.responsiblePerson : "p1", filingNumber: nil)
               })
    }

    private func field(_ label: String, _ path: String, _ text: Binding<String>) -> some View {
        VStack(alignment: .leading) {
            TextField(label, text: text)
            ForEach(problems[path] ?? [], id: \.self) { Text($0).font(.caption).foregroundStyle(.red) }
        }
    }
}

/// Every subject type and ID document, for the pickers (uniffi's Swift enums are not `CaseIterable`).
let subjectKinds: [SubjectKind] = [.individual, .enterprise, .government, .publicInstitution, .socialOrganization,
                                   .privateNonEnterprise, .foundation, .lawFirm, .otherUnit]
let documentTypes: [DocumentType] = [.residentId, .hmtResidencePermit, .hkMacaoPermit, .taiwanPermit, .permanentResidence, .passport]

extension Slot: Identifiable {
    public var id: Self { self }
}
