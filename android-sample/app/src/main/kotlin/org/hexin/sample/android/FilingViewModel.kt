package org.hexin.sample.android

import android.app.Application
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.viewModelScope
import kotlinx.coroutines.launch
import org.hexin.core.Fields
import org.hexin.core.MaterialKind
import org.hexin.core.SubjectKind
import org.hexin.sample.FilingFlow
import org.hexin.sample.Lang

/** Holds the flow across configuration changes; every call just forwards to [FilingFlow]. */
class FilingViewModel(app: Application) : AndroidViewModel(app) {
    val flow = FilingFlow(Sdk.outbox(app), BuildConfig.HEXIN_ENDPOINT, viewModelScope, Lang.ZH)

    fun start(subject: SubjectKind, province: String) = viewModelScope.launch { flow.start(subject, province) }
    fun capture(kind: MaterialKind, jpeg: ByteArray) = viewModelScope.launch { flow.capture(kind, jpeg) }
    fun retake(kind: MaterialKind) = flow.retake(kind)
    fun updateFields(fields: Fields) = viewModelScope.launch { flow.updateFields(fields) }
    fun submit() = viewModelScope.launch { flow.submit() }
    fun pause() = flow.pause()
    fun resumeUpload() = viewModelScope.launch { flow.resumeUpload() }

    override fun onCleared() = flow.close()
}
