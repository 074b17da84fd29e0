package org.hexin.sample.android

import android.app.Application
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.viewModelScope
import kotlinx.coroutines.launch
import org.hexin.core.Slot
import org.hexin.core.SubjectKind
import org.hexin.sample.FilingFlow
import org.hexin.sample.FormInput
import org.hexin.sample.Lang
import org.hexin.sample.OutboxOpening

/**
 * Holds the flow and the form as typed across configuration changes, scrolling and the camera;
 * every call just forwards to [FilingFlow]. The flow exists once the outbox is open ([opening]).
 */
class FilingViewModel(private val app: Application) : AndroidViewModel(app) {
    var opening by mutableStateOf<OutboxOpening>(Sdk.open(app))
        private set
    var flow by mutableStateOf<FilingFlow?>(null)
        private set

    /** The form as typed; saved into the draft by [save]. */
    var form by mutableStateOf(FormInput())

    /** The subject type chosen at the start, for the form. */
    var subject by mutableStateOf(SubjectKind.INDIVIDUAL)
        private set

    init {
        connect()
    }

    /** Tries again after the key could not be read (the device was locked). */
    fun retryOpen() {
        opening = Sdk.open(app)
        connect()
    }

    /** After the user agreed to lose every draft and unsent package: a new outbox under a new key. */
    fun resetOutbox() {
        flow?.close()
        flow = null
        opening = Sdk.reset(app)
        connect()
    }

    fun start(subject: SubjectKind, province: String) = run { this.subject = subject; form = FormInput(); flow?.start(subject, province) }
    fun capture(slot: Slot, jpeg: ByteArray) = run { flow?.capture(slot, jpeg) }
    fun retake(slot: Slot) = flow?.retake(slot)
    fun save() = run { flow?.updateFields(form.toFields(subject)) }
    fun submit() = run { flow?.submit() }
    fun pause() = flow?.pause()
    fun resumeUpload() = run { flow?.resumeUpload() }

    override fun onCleared() {
        flow?.close()
    }

    private fun connect() {
        val outbox = (opening as? OutboxOpening.Opened)?.outbox ?: return
        // Each sealed package is queued for background delivery at once, in case the app dies mid-upload.
        flow = FilingFlow(outbox, BuildConfig.HEXIN_ENDPOINT, viewModelScope, Lang.ZH, signer = SigningKey.signer(), onSealed = { ResumeWorker.schedule(app) })
    }

    private fun run(work: suspend () -> Unit) = viewModelScope.launch { work() }
}
