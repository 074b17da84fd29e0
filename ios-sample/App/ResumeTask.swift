import BackgroundTasks
import Foundation
import Hexin

/// Delivers whatever the outbox still holds, in the background when iOS allows it: scheduled at
/// launch and whenever a package is sealed; the run's logic (`runBackgroundTask`, `resumeRun`)
/// is in Logic/Resume.swift, tested with a fake task.
enum ResumeTask {
    static let identifier = "org.hexin.sample.resume" // also listed in Info.plist, BGTaskSchedulerPermittedIdentifiers
    /// Runs in a row that ended in a transient failure (UserDefaults: reason CA92.1, the app's own data).
    private static let attemptsKey = "hexin.resume.attempts"

    static func register() {
        BGTaskScheduler.shared.register(forTaskWithIdentifier: identifier, using: nil) { task in
            let attempt = UserDefaults.standard.integer(forKey: attemptsKey)
            runBackgroundTask(SystemTask(task: task), ended: { verdict in
                UserDefaults.standard.set(verdict == .retry ? attempt + 1 : 0, forKey: attemptsKey)
                if verdict == .retry { schedule(after: TimeInterval(60 << min(attempt, 8))) }
            }) {
                guard case let .opened(outbox) = Sdk.open(),
                      let uploader = try? Uploader(outbox: outbox, endpoint: Sdk.endpoint)
                else { return .failed }
                return await resumeRun(uploader, attempt: attempt)
            }
        }
    }

    /// Asks iOS for a run once a network is there, not before `after` seconds.
    static func schedule(after: TimeInterval = 0) {
        let request = BGProcessingTaskRequest(identifier: identifier)
        request.requiresNetworkConnectivity = true
        request.earliestBeginDate = after > 0 ? Date(timeIntervalSinceNow: after) : nil
        try? BGTaskScheduler.shared.submit(request)
    }

    /// A `BGTask` as Logic's `BackgroundTask`.
    private struct SystemTask: BackgroundTask, @unchecked Sendable {
        let task: BGTask
        func onExpiration(_ handler: @escaping @Sendable () -> Void) { task.expirationHandler = handler }
        func complete(success: Bool) { task.setTaskCompleted(success: success) }
    }
}
