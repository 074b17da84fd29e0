package org.hexin.sample.android

import android.content.Context
import androidx.work.Constraints
import androidx.work.CoroutineWorker
import androidx.work.ExistingWorkPolicy
import androidx.work.NetworkType
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import org.hexin.Uploader
import org.hexin.core.Event
import org.hexin.core.Listener

/** Delivers whatever the outbox still holds, when the network is back; retried by WorkManager. */
class ResumeWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val quiet = object : Listener { override fun onEvent(event: Event) {} }
        val outcomes = Uploader(Sdk.outbox(applicationContext), BuildConfig.HEXIN_ENDPOINT, quiet, null, null).use { it.resumeAll() }
        return if (outcomes.all { it.error == null }) Result.success() else Result.retry()
    }

    companion object {
        /** Queues a resume that runs once a network is available (at start-up and after a failure). */
        fun schedule(context: Context) {
            val request = OneTimeWorkRequestBuilder<ResumeWorker>()
                .setConstraints(Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build())
                .build()
            WorkManager.getInstance(context).enqueueUniqueWork("hexin-resume", ExistingWorkPolicy.KEEP, request)
        }
    }
}
