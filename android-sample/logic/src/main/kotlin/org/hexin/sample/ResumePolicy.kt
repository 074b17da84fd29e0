package org.hexin.sample

import org.hexin.core.Code
import org.hexin.core.HexinException
import org.hexin.code

/** What a background resume run asks of its scheduler (WorkManager, BGTaskScheduler). */
enum class ResumeVerdict {
    /** Everything left in the outbox went out. */
    DONE,
    /** Something failed on the way (network, server, the run stopped): run again later, with backoff. */
    RETRY,
    /** What is left cannot go out by retrying (the server refused it, it is gone): stop; the app shows it. */
    FAILED,
}

/**
 * Errors that pass: the network or the server kept failing (`upload_failed`, which covers
 * 5xx, 429, timeouts), the run was cancelled or expired, another process holds the outbox, the
 * device's storage failed for now. Everything else — the server refused the upload or the
 * commit, the package is gone, the outbox's key or records are unusable — stays as it is
 * however often it is retried.
 */
fun isTransient(code: Code): Boolean = code in TRANSIENT

private val TRANSIENT = setOf(Code.UPLOAD_FAILED, Code.UPLOAD_CANCELLED, Code.OUTBOX_LOCKED, Code.STORAGE_ERROR)

/**
 * The verdict of one resume run from each package's error (null: delivered), or from [thrown]
 * when the run as a whole failed (opening the outbox, say). A run with a transient error is
 * retried while [attempt] (0 for the first run) is below [maxAttempts] - 1; a run whose errors
 * are all permanent fails at once: retrying it would send nothing.
 */
fun resumeVerdict(errors: List<HexinException?>, attempt: Int, maxAttempts: Int = 8, thrown: HexinException? = null): ResumeVerdict {
    val failed = listOfNotNull(thrown) + errors.filterNotNull()
    return when {
        failed.isEmpty() -> ResumeVerdict.DONE
        failed.any { isTransient(it.code) } && attempt + 1 < maxAttempts -> ResumeVerdict.RETRY
        else -> ResumeVerdict.FAILED
    }
}
