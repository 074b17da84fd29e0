import Foundation
import Hexin

/// What a background resume run asks of its scheduler (BGTaskScheduler, WorkManager).
public enum ResumeVerdict: Sendable, Equatable {
    /// Everything left in the outbox went out.
    case done
    /// Something failed on the way (network, server, the run stopped): run again later.
    case retry
    /// What is left cannot go out by retrying (the server refused it, it is gone): stop.
    case failed
}

/// Errors that pass: the network or the server kept failing (`upload_failed`, which covers 5xx,
/// 429, timeouts), the run was cancelled, another process holds the outbox, the device's storage
/// failed for now. Everything else — the server refused the upload or the commit, the package is
/// gone, the outbox's key or records are unusable — stays as it is however often it is retried.
public func isTransient(_ code: Code) -> Bool {
    switch code {
    case .uploadFailed, .uploadCancelled, .outboxLocked, .storageError: return true
    default: return false
    }
}

/// The verdict of one resume run from each package's error (nil: delivered), or from `thrown`
/// when the run as a whole failed. A run with a transient error is retried while `attempt` (0
/// for the first run) is below `maxAttempts` - 1; one whose errors are all permanent fails at once.
public func resumeVerdict(errors: [HexinError?], attempt: Int, maxAttempts: Int = 8, thrown: HexinError? = nil) -> ResumeVerdict {
    let failed = ([thrown] + errors).compactMap { $0 }
    if failed.isEmpty { return .done }
    if failed.contains(where: { isTransient($0.code) }) && attempt + 1 < maxAttempts { return .retry }
    return .failed
}

/// One resume run: delivers what the outbox holds and judges the outcome.
///
/// Cancelling the calling task stops the uploads: hexin's `resumeAll()` awaits its
/// `ResumeTask` with `withTaskCancellationHandler`, which cancels it.
public func resumeRun(_ uploader: Uploader, attempt: Int) async -> ResumeVerdict {
    do {
        let outcomes = try await uploader.resumeAll()
        return resumeVerdict(errors: outcomes.map(\.error), attempt: attempt)
    } catch let error as HexinError {
        return resumeVerdict(errors: [], attempt: attempt, thrown: error)
    } catch {
        return .retry
    }
}

/// What the logic needs of an OS background task: `BGTask` in the app (App/ResumeTask.swift), a
/// fake in the tests.
public protocol BackgroundTask: Sendable {
    /// Sets what runs when the OS is about to end the task.
    func onExpiration(_ handler: @escaping @Sendable () -> Void)
    /// Tells the OS the task is over; called exactly once per task.
    func complete(success: Bool)
}

/// Runs `work` as `task`'s work. The task is completed exactly once: when the work ends
/// (successful when its verdict is `.done`), or at once when the OS expires it, which also
/// cancels the work's Swift task. `ended` is told the verdict (`.retry` for an expired run) once,
/// for the app to schedule the next run. Returns the work's task.
@discardableResult
public func runBackgroundTask(_ task: BackgroundTask, ended: @escaping @Sendable (ResumeVerdict) -> Void,
                              work: @escaping @Sendable () async -> ResumeVerdict) -> Task<Void, Never> {
    let once = Once()
    let finish: @Sendable (ResumeVerdict) -> Void = { verdict in
        guard once.claim() else { return }
        task.complete(success: verdict == .done)
        ended(verdict)
    }
    let running = Task { finish(Task.isCancelled ? .retry : await work()) }
    task.onExpiration {
        running.cancel()
        finish(.retry)
    }
    return running
}

/// True for the first caller only.
final class Once: @unchecked Sendable {
    private let lock = NSLock()
    private var claimed = false

    func claim() -> Bool {
        lock.withLock {
            defer { claimed = true }
            return !claimed
        }
    }
}
