package org.hexin.sample

import kotlin.coroutines.cancellation.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import org.hexin.DeliveryTask
import org.hexin.Draft
import org.hexin.Outbox
import org.hexin.Policy
import org.hexin.Uploader
import org.hexin.materialName
import org.hexin.messages
import org.hexin.uploadFile
import org.hexin.slotFileName
import org.hexin.core.Attestation
import org.hexin.core.CaptureSource
import org.hexin.core.Event
import org.hexin.core.Fields
import org.hexin.core.HexinException
import org.hexin.core.Listener
import org.hexin.core.Message
import org.hexin.core.Report
import org.hexin.core.Signer
import org.hexin.core.Severity
import org.hexin.core.Slot
import org.hexin.core.SubjectKind
import org.hexin.core.Verdict

/** The language the applicant reads. */
enum class Lang { ZH, EN }

fun Message.text(lang: Lang): String = if (lang == Lang.ZH) zh else en

/**
 * One material the applicant is asked for: its [slot] (kind, and whose: `subject`, a person's or
 * a website's id), whose it is by name ([ownerName], e.g. 王五), and where it stands.
 */
data class Step(val slot: Slot, val ownerName: String, val title: String, val status: StepStatus)

/** The steps of one owner (the subject, a person, a website), in checklist order. */
data class OwnerSteps(val owner: String, val name: String, val steps: List<Step>)

sealed interface StepStatus {
    data object Pending : StepStatus
    data object Checking : StepStatus
    /** Kept in the outbox; [warnings] are shown but do not block. */
    data class Accepted(val width: Int, val height: Int, val bytes: Long, val warnings: List<String>) : StepStatus
    /** Retake: [reasons] say why, in the applicant's language. */
    data class Rejected(val reasons: List<String>) : StepStatus
}

/** Where the application as a whole is. */
sealed interface Phase {
    data object NotStarted : Phase
    data object Capturing : Phase
    data object Sealing : Phase
    data class Uploading(val sent: Long, val total: Long) : Phase
    /** Paused by the applicant or by a failure; [reason] is null when paused on purpose. */
    data class Paused(val reason: String?) : Phase
    data class Delivered(val digest: String) : Phase
}

/** Everything the screens show. */
data class FilingState(
    val packageId: String? = null,
    val steps: List<Step> = emptyList(),
    /**
     * Problems with the fields by field path, e.g. `people[1].document.number`: all of a field's
     * problems, blocking ones and warnings, in the order the SDK found them.
     */
    val fieldProblems: Map<String, List<String>> = emptyMap(),
    /** The SDK would seal the application now: every required material kept, no field blocking. */
    val readyToSeal: Boolean = false,
    val phase: Phase = Phase.NotStarted,
    /** The last error, for a snackbar. */
    val error: String? = null,
) {
    val readyToSubmit: Boolean
        get() = phase == Phase.Capturing && readyToSeal

    /** The steps grouped by owner, each owner where its first step is: a checklist screen's sections. */
    val byOwner: List<OwnerSteps>
        get() = steps.groupBy { it.slot.owner }.map { (owner, steps) -> OwnerSteps(owner, steps.first().ownerName, steps) }

    /** The material to take next: the first step not accepted yet, in checklist order. */
    val next: Step?
        get() = steps.firstOrNull { it.status !is StepStatus.Accepted }
}

/**
 * The filing flow over the hexin SDK, with no platform imports: the Android and iOS shells only
 * render [state] and forward taps and photos. The steps are the draft's checklist: a material
 * per kind and owner, so each person's ID document, each website person's face and each
 * website's forms are asked for in turn ([FilingState.next]). Each accepted photo is kept in the
 * outbox and starts uploading while the next is taken; [submit] seals and delivers; [pause] and
 * [resumeUpload] control the upload; after the app is killed, [reopen] picks the draft up again.
 *
 * [signer] signs the sealed package (a Keystore key, [KeyPairSigner]); [onSealed] is told each
 * sealed package's id, for the app to schedule its background delivery (a sealed package is
 * delivered even if the app is killed before the upload ends).
 */
class FilingFlow(
    private val outbox: Outbox,
    endpoint: String,
    private val scope: CoroutineScope,
    private val lang: Lang = Lang.ZH,
    private val policy: Policy = Policy.icpDefault(),
    private val signer: Signer? = null,
    private val onSealed: (packageId: String) -> Unit = {},
) : Listener, AutoCloseable {
    private val uploader = Uploader(outbox, endpoint, this)
    private val _state = MutableStateFlow(FilingState())
    val state: StateFlow<FilingState> = _state.asStateFlow()

    private var draft: Draft? = null
    private var delivery: DeliveryTask? = null
    private val early = mutableMapOf<Slot, Job>()

    /** Starts a new application. */
    suspend fun start(subject: SubjectKind, province: String) = guard {
        open(Draft.start(outbox, policy, subject, province))
    }

    /** Reopens an application left as a draft (the app was closed or killed mid-way). */
    suspend fun reopen(packageId: String) = guard {
        open(Draft.open(outbox, policy, packageId))
    }

    /**
     * Checks a photo for [slot]; accepted ones are kept (replacing only that slot's earlier one)
     * and start uploading at once. A photo picked from the gallery ([fromCamera] false) is
     * refused where the policy wants the camera: [FilingState.error] says so, the step is as it was.
     * Whatever ends the check early (an error, the coroutine cancelled) puts the step back as it
     * was, so it can be taken again.
     */
    suspend fun capture(slot: Slot, photo: ByteArray, fromCamera: Boolean = true) = guard {
        val draft = requireDraft()
        val before = _state.value.steps.find { it.slot == slot }?.status ?: StepStatus.Pending
        setStep(slot, StepStatus.Checking)
        val report = try {
            draft.addPhoto(slot, photo, if (fromCamera) CaptureSource.CAMERA else CaptureSource.GALLERY)
        } catch (e: Throwable) {
            setStep(slot, before)
            throw e
        }
        if (report.verdict == Verdict.ACCEPT) {
            uploadEarly(draft.id(), slot)
            refresh(draft)
        } else {
            // A rejected retake leaves an earlier accepted photo in place; show why it failed.
            setStep(slot, StepStatus.Rejected(report.blocking()))
        }
    }

    /** Asks for [slot] again; the kept photo stays until a new one is accepted. */
    fun retake(slot: Slot) = setStep(slot, StepStatus.Pending)

    /**
     * Saves the form (the subject, the people, the websites); problems appear in
     * [FilingState.fieldProblems], and the steps follow the people and websites it names.
     */
    suspend fun updateFields(fields: Fields) = guard {
        val draft = requireDraft()
        draft.setFields(fields)
        refresh(draft)
    }

    /**
     * Keeps the provider's liveness result (its own SDK runs the check at the face step: the
     * verification id and when, RFC 3339 UTC) to seal with the application.
     */
    suspend fun livenessVerified(provider: String, reference: String, issuedAt: String) = guard {
        requireDraft().attest(Attestation(provider, "liveness", reference, issuedAt))
    }

    /**
     * Seals the application and delivers it, with progress in [FilingState.phase]. A refusal (a
     * material missing, the signer failing or cancelled by the applicant, the coroutine cancelled)
     * goes back to capturing with the steps as the draft has them.
     */
    suspend fun submit() = guard {
        val draft = requireDraft()
        _state.update { it.copy(phase = Phase.Sealing) }
        try {
            draft.seal(signer)
        } catch (e: Throwable) {
            _state.update { it.copy(phase = Phase.Capturing) }
            runCatching { refresh(draft) }
            throw e
        }
        onSealed(draft.id())
        deliver(draft.id())
    }

    /** Pauses the upload; [resumeUpload] carries on from what the server has. */
    fun pause() {
        delivery?.cancel()
    }

    suspend fun resumeUpload() = guard {
        deliver(_state.value.packageId ?: error("no application"))
    }

    /** Releases the SDK objects (the outbox stays open: it is the caller's). */
    override fun close() {
        early.values.forEach { it.cancel() }
        delivery?.close()
        draft?.close()
        uploader.close()
    }

    override fun onEvent(event: Event) {
        when (event) {
            is Event.Progress -> if (_state.value.phase is Phase.Uploading) {
                _state.update { it.copy(phase = Phase.Uploading(event.packageSent, event.packageTotal)) }
            }
            is Event.Committed -> _state.update { it.copy(phase = Phase.Delivered(event.digest)) }
            else -> {}
        }
    }

    private suspend fun deliver(packageId: String) {
        _state.update { it.copy(phase = Phase.Uploading(0, 0), error = null) }
        early.values.forEach { it.cancel() }
        val task = uploader.deliver(packageId)
        delivery = task
        try {
            val done = task.result()
            _state.update { it.copy(phase = Phase.Delivered(done.digest)) }
        } catch (e: HexinException.UploadCancelled) {
            _state.update { it.copy(phase = Phase.Paused(null)) }
        } catch (e: HexinException) {
            _state.update { it.copy(phase = Phase.Paused(e.describe(lang))) }
            throw e
        } catch (e: CancellationException) {
            // The caller went away (the screen closed): the package waits, sealed, for a resume.
            task.cancel()
            _state.update { it.copy(phase = Phase.Paused(null)) }
            throw e
        }
    }

    private fun uploadEarly(packageId: String, slot: Slot) {
        early.remove(slot)?.cancel()
        early[slot] = scope.launch {
            // Best effort: whatever is not on the server yet goes with the delivery.
            runCatching { uploader.uploadFile(packageId, slotFileName(slot)) }
        }
    }

    private fun open(draft: Draft) {
        this.draft = draft
        _state.value = FilingState(packageId = draft.id(), phase = Phase.Capturing)
        refresh(draft)
    }

    /**
     * Shows the draft's checklist: a step per material, the fields' problems, readiness. A step
     * keeps showing a rejected shot (or a check under way) until the applicant retakes.
     */
    private fun refresh(draft: Draft) {
        val list = draft.checklist()
        _state.update { s ->
            val steps = list.materials.map { m ->
                val previous = s.steps.find { it.slot == m.slot }?.status
                val status = when {
                    previous is StepStatus.Rejected || previous is StepStatus.Checking && m.report == null -> previous
                    else -> m.report?.accepted(lang) ?: StepStatus.Pending
                }
                Step(m.slot, m.ownerName, materialName(m.slot.kind).text(lang), status)
            }
            val fieldProblems = list.fields.associate { f -> f.path to f.problems.map { it.message.text(lang) } }
            s.copy(steps = steps, fieldProblems = fieldProblems, readyToSeal = list.readyToSeal)
        }
    }

    private fun setStep(slot: Slot, status: StepStatus) = _state.update { s ->
        s.copy(steps = s.steps.map { if (it.slot == slot) it.copy(status = status) else it })
    }

    private fun requireDraft(): Draft = draft ?: error("start or reopen an application first")

    /** Runs [work]; an SDK error becomes [FilingState.error] in the applicant's language. */
    private suspend fun guard(work: suspend () -> Unit) {
        try {
            work()
        } catch (e: HexinException) {
            _state.update { it.copy(error = e.describe(lang)) }
        }
    }

    private fun Report.blocking(): List<String> =
        findings.filter { it.severity == Severity.BLOCK }.map { it.message.text(lang) }
}

private fun Report.accepted(lang: Lang): StepStatus.Accepted {
    val out = output
    return StepStatus.Accepted(
        width = out?.width ?: 0,
        height = out?.height ?: 0,
        bytes = out?.bytes ?: 0,
        warnings = findings.map { it.message.text(lang) },
    )
}

/** The error's message for a person. */
fun HexinException.describe(lang: Lang): String = messages.text(lang)
