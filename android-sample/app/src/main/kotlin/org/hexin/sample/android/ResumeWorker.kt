package org.hexin.sample.android

import android.content.Context
import androidx.work.BackoffPolicy
import androidx.work.Constraints
import androidx.work.CoroutineWorker
import androidx.work.ExistingWorkPolicy
import androidx.work.NetworkType
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import java.util.concurrent.TimeUnit
import org.hexin.Uploader
import org.hexin.resumeAll
import org.hexin.core.HexinException
import org.hexin.sample.OutboxOpening
import org.hexin.sample.ResumeVerdict
import org.hexin.sample.resumeVerdict

/**
 * Delivers whatever the outbox still holds once a network is there: retried with backoff while the
 * failures pass (network, server, stopped by the system), given up on the ones that do not (see
 * `resumeVerdict` in the logic layer). WorkManager cancels the coroutine when the constraints
 * are lost or the work is stopped; `resumeAll` stops its uploads when its coroutine is cancelled.
 */
class ResumeWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val outbox = when (val opening = Sdk.open(applicationContext)) {
            is OutboxOpening.Opened -> opening.outbox
            is OutboxOpening.KeyLost -> return Result.failure() // only the app, with the user, can reset
            is OutboxOpening.Unavailable -> return if (runAttemptCount + 1 < MAX_ATTEMPTS) Result.retry() else Result.failure()
        }
        val verdict = try {
            val outcomes = Uploader(outbox, BuildConfig.HEXIN_ENDPOINT).use { it.resumeAll() }
            resumeVerdict(outcomes.map { it.error }, runAttemptCount, MAX_ATTEMPTS)
        } catch (e: HexinException) {
            resumeVerdict(emptyList(), runAttemptCount, MAX_ATTEMPTS, thrown = e)
        }
        return when (verdict) {
            ResumeVerdict.DONE -> Result.success()
            ResumeVerdict.RETRY -> Result.retry()
            ResumeVerdict.FAILED -> Result.failure()
        }
    }

    companion object {
        private const val MAX_ATTEMPTS = 8

        /**
         * Queues a resume that runs once a network is available: at start-up and whenever a package
         * is sealed. One at a time (unique work); a run already queued or running is kept.
         */
        fun schedule(context: Context) {
            val request = OneTimeWorkRequestBuilder<ResumeWorker>()
                .setConstraints(Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build())
                .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, 30, TimeUnit.SECONDS)
                .build()
            WorkManager.getInstance(context).enqueueUniqueWork("hexin-resume", ExistingWorkPolicy.KEEP, request)
        }
    }
}
