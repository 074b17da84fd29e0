package org.hexin.sample.android

import android.app.Application
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.viewModelScope
import kotlinx.coroutines.launch
import org.hexin.core.Fields
import org.hexin.core.Slot
import org.hexin.core.SubjectKind
import org.hexin.sample.FilingFlow
import org.hexin.sample.Lang

/** Holds the flow across configuration changes; every call just forwards to [FilingFlow]. */
class FilingViewModel(app: Application) : AndroidViewModel(app) {
    val flow = FilingFlow(Sdk.outbox(app), BuildConfig.HEXIN_ENDPOINT, viewModelScope, Lang.ZH)

    /** The subject type chosen at the start, for the form. */
    var subject by mutableStateOf(SubjectKind.INDIVIDUAL)
        private set

    fun start(subject: SubjectKind, province: String) = viewModelScope.launch { this@FilingViewModel.subject = subject; flow.start(subject, province) }
    fun capture(slot: Slot, jpeg: ByteArray) = viewModelScope.launch { flow.capture(slot, jpeg) }
    fun retake(slot: Slot) = flow.retake(slot)
    fun updateFields(fields: Fields) = viewModelScope.launch { flow.updateFields(fields) }
    fun submit() = viewModelScope.launch { flow.submit() }
    fun pause() = flow.pause()
    fun resumeUpload() = viewModelScope.launch { flow.resumeUpload() }

    override fun onCleared() = flow.close()
}
