import BackgroundTasks
import Hexin

/// Delivers whatever the outbox still holds, in the background when iOS allows it.
enum ResumeTask {
    static let identifier = "org.hexin.sample.resume" // also listed in Info.plist, BGTaskSchedulerPermittedIdentifiers

    static func register() {
        BGTaskScheduler.shared.register(forTaskWithIdentifier: identifier, using: nil) { task in
            let work = Task {
                let uploader = try Uploader(outbox: Sdk.outbox, endpoint: Sdk.endpoint, listener: Quiet(), chunkSize: nil, parallel: nil)
                let outcomes = try await uploader.resumeAll()
                task.setTaskCompleted(success: outcomes.allSatisfy { $0.error == nil })
                if !outcomes.allSatisfy({ $0.error == nil }) { schedule() }
            }
            task.expirationHandler = { work.cancel() }
        }
    }

    static func schedule() {
        let request = BGProcessingTaskRequest(identifier: identifier)
        request.requiresNetworkConnectivity = true
        try? BGTaskScheduler.shared.submit(request)
    }

    private final class Quiet: Listener {
        func onEvent(event: Event) {}
    }
}
