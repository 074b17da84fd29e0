import Hexin
import SwiftUI

/// Renders the flow's state; no logic lives here.
struct ContentView: View {
    @EnvironmentObject var model: FilingModel
    @State private var shooting: MaterialKind?

    var body: some View {
        NavigationStack {
            content
                .navigationTitle("核验 hexin")
                .sheet(item: $shooting) { kind in
                    CameraView(kind: kind) { jpeg in shooting = nil; model.capture(kind, jpeg) }
                }
        }
    }

    @ViewBuilder private var content: some View {
        let state = model.state
        switch state.phase {
        case .notStarted:
            Button("开始备案 · Start") { model.start() }
        case .capturing:
            List {
                if let error = state.error { Text(error).foregroundStyle(.red) }
                ForEach(state.steps, id: \.kind) { step in StepRow(step: step) { shooting = step.kind } }
                FieldsForm(problems: state.fieldProblems) { model.save($0) }
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

struct FieldsForm: View {
    let problems: [String: [String]]
    let save: (Fields) -> Void
    @State private var name = "", idNumber = "", validUntil = "", phone = "", email = "", site = "", domain = ""

    var body: some View {
        Section("资料 · Details") {
            field("姓名 Name", "responsible_person.name", $name)
            field("身份证号码 ID number", "responsible_person.id_number", $idNumber)
            field("有效期至 Valid until", "responsible_person.id_valid_until", $validUntil)
            field("手机 Mobile", "responsible_person.phone", $phone)
            field("邮箱 Email", "responsible_person.email", $email)
            field("网站名称 Website", "website.name", $site)
            field("域名 Domain", "website.domains[0]", $domain)
            Button("保存 · Save") {
                save(Fields(subject: SubjectFields(name: name, creditCode: nil, legalRepresentative: nil),
                            responsiblePerson: Person(name: name, idNumber: idNumber, idValidUntil: validUntil,
                                                      phone: phone, email: email, isLegalRepresentative: nil),
                            website: Website(name: site, domains: domain.isEmpty ? [] : [domain])))
            }
        }
    }

    private func field(_ label: String, _ path: String, _ text: Binding<String>) -> some View {
        VStack(alignment: .leading) {
            TextField(label, text: text)
            ForEach(problems[path] ?? [], id: \.self) { Text($0).font(.caption).foregroundStyle(.red) }
        }
    }
}

extension MaterialKind: Identifiable {
    public var id: Self { self }
}
