// Hand-written Swift that ships with the generated bindings in the `Hexin` module
// (scripts/bindings.sh puts it beside them): what makes hexin read like a Swift library. Errors
// that describe themselves, tasks awaited with Swift's cancellation, events as an AsyncStream.
import Foundation

extension HexinError: LocalizedError {
    /// The applicant's sentence, in the language set with `setLanguage(language:)`.
    public var errorDescription: String? { errorText(error: self) }
}

extension HexinError {
    /// The stable code (`.sealRefused`; `codeName(code:)` is its `seal_refused`).
    public var code: Code { errorCode(error: self) }
    /// What to tell the applicant, in Chinese and English.
    public var messages: Message { errorMessage(error: self) }
}

extension Message {
    /// The message in the language set with `setLanguage(language:)`.
    public var text: String { language() == .en ? en : zh }
}

/// A long call under way: `DeliveryTask`, `UploadTask`, `ResumeTask`.
public protocol HexinTask: AnyObject, Sendable {
    associatedtype Output
    func cancel()
    func result() async throws -> Output
    func subscribe() -> EventStream
}

extension DeliveryTask: HexinTask {}
extension UploadTask: HexinTask {}
extension ResumeTask: HexinTask {}

extension HexinTask {
    /// The outcome. uniffi's async calls do not see a Swift task's cancellation, so this one
    /// passes it on: cancelling the awaiting task cancels the work (`UploadCancelled` follows).
    public var value: Output {
        get async throws {
            try await withTaskCancellationHandler {
                try await result()
            } onCancel: {
                cancel()
            }
        }
    }

    /// The task's events from its start (state, each file's latest progress, uploads, the
    /// commit), ending with the task, or when the consuming task is cancelled.
    public var events: AsyncStream<Event> {
        let stream = subscribe()
        return AsyncStream(unfolding: { await stream.next() }, onCancel: { stream.unsubscribe() })
    }
}

extension Uploader {
    /// Uploads one file of a draft now (a material just accepted), returning the bytes sent;
    /// cancelled with the calling task.
    public func uploadFile(id: String, name: String) async throws -> Int64 {
        try await startUploadFile(id: id, name: name).value
    }

    /// Delivers every package left sealed or uploading, oldest first; cancelled with the
    /// calling task (what a background task's expiration handler needs).
    public func resumeAll() async throws -> [ResumeOutcome] {
        try await startResumeAll().value
    }
}
