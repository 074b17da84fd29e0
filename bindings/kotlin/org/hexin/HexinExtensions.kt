// Hand-written Kotlin that ships with the generated bindings (scripts/bindings.sh puts it beside
// them): what makes hexin read like a Kotlin library. Errors with properties, tasks awaited
// as suspending calls that cancel with their coroutine, and events as a Flow.
package org.hexin

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import org.hexin.core.Code
import org.hexin.core.Delivery
import org.hexin.core.Event
import org.hexin.core.HexinException
import org.hexin.core.Message

/** The error's stable code (`Code.SEAL_REFUSED`; `codeName(code)` is its `seal_refused`). */
val HexinException.code: Code get() = errorCode(this)

/** What to tell the applicant, in Chinese and English; `message` is one of them, in the [language]. */
val HexinException.messages: Message get() = errorMessage(this)

/** The message in the language set with [setLanguage]. */
val Message.text: String get() = if (language() == Language.EN) en else zh

/** The delivery's outcome; cancelling the coroutine cancels the delivery (it pauses). */
suspend fun DeliveryTask.await(): Delivery = cancelling(::cancel) { result() }

/** The bytes sent; cancelling the coroutine cancels the upload. */
suspend fun UploadTask.await(): Long = cancelling(::cancel) { result() }

/** Each package's outcome; cancelling the coroutine stops the resume. */
suspend fun ResumeTask.await(): List<ResumeOutcome> = cancelling(::cancel) { result() }

/** The delivery's events from its start (state, each file's latest progress, uploads, the commit), ending with it. */
val DeliveryTask.events: Flow<Event> get() = events(::subscribe)

/** The upload's events from its start, ending with it. */
val UploadTask.events: Flow<Event> get() = events(::subscribe)

/** Every resumed package's events from the start, ending with the resume. */
val ResumeTask.events: Flow<Event> get() = events(::subscribe)

/** Uploads one file of a draft now (a material just accepted), returning the bytes sent; cancellable. */
suspend fun Uploader.uploadFile(id: String, name: String): Long = startUploadFile(id, name).use { it.await() }

/** Delivers every package left sealed or uploading, oldest first; cancellable. */
suspend fun Uploader.resumeAll(): List<ResumeOutcome> = startResumeAll().use { it.await() }

private suspend fun <T> cancelling(cancel: () -> Unit, result: suspend () -> T): T =
    try {
        result()
    } catch (e: CancellationException) {
        cancel()
        throw e
    }

private fun events(subscribe: () -> EventStream): Flow<Event> = flow {
    subscribe().use { stream ->
        while (true) emit(stream.next() ?: break)
    }
}
