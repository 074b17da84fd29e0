// The Android sample's logic (android-sample/logic, plain Kotlin) driven headlessly, as its
// screens would drive it, against the real SDK and server.
package org.hexin.test

import java.io.File
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.runBlocking
import org.hexin.Outbox
import org.hexin.validatePhone
import org.hexin.core.MaterialKind
import org.hexin.core.SubjectKind
import org.hexin.sample.FilingFlow
import org.hexin.sample.Lang
import org.hexin.sample.Phase
import org.hexin.sample.StepStatus

fun sampleFlowFilesAPackage() = runBlocking {
    val dir = File(work, "kotlin-sample-outbox").path
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    var outbox = Outbox(dir, ByteArray(32) { 9 }, null, null)
    var flow = FilingFlow(outbox, endpoint, scope, Lang.EN)
    flow.start(SubjectKind.INDIVIDUAL, "11")
    var state = flow.state.value
    check(state.phase == Phase.Capturing && state.steps.map { it.kind } == INDIVIDUAL) { "$state" }
    check(state.steps.all { it.status == StepStatus.Pending } && !state.readyToSubmit)
    check(state.steps[0].title == "ID card, photo side") { state.steps[0].title }

    // A small outdoor shot is rejected with both reasons (no card in it, too few pixels) in the
    // applicant's language.
    flow.capture(MaterialKind.ID_CARD_FRONT, File(realPhotos, "camera/DSCN0010.jpg").readBytes())
    val rejected = flow.state.value.steps[0].status
    check(rejected is StepStatus.Rejected && rejected.reasons.size == 2 && rejected.reasons.all { it.isNotEmpty() }) { "$rejected" }
    flow.retake(MaterialKind.ID_CARD_FRONT)
    check(flow.state.value.steps[0].status == StepStatus.Pending)
    for (kind in INDIVIDUAL.take(3)) flow.capture(kind, photo(kind))
    state = flow.state.value
    check(state.steps.take(3).all { it.status is StepStatus.Accepted } && state.steps[3].status == StepStatus.Pending) { "$state" }
    val packageId = state.packageId!!

    // The app is killed: a new process reopens the draft from the outbox.
    scope.coroutineContext[kotlinx.coroutines.Job]!!.children.forEach { it.join() } // early uploads settle
    flow.close()
    outbox.close()
    outbox = Outbox(dir, ByteArray(32) { 9 }, null, null)
    flow = FilingFlow(outbox, endpoint, scope, Lang.EN)
    flow.reopen(packageId)
    state = flow.state.value
    check(state.packageId == packageId && state.steps.take(3).all { it.status is StepStatus.Accepted }) { "$state" }

    flow.capture(MaterialKind.VERIFICATION_FORM, photo(MaterialKind.VERIFICATION_FORM))
    check(flow.state.value.fieldProblems.containsKey("responsible_person.id_number"))
    flow.updateFields(exampleFields().copy(responsiblePerson = exampleFields().responsiblePerson.copy(phone = "12345")))
    val phone = validatePhone("12345")!!.message.en // the flow shows the SDK's message, once
    check(flow.state.value.fieldProblems == mapOf("responsible_person.phone" to listOf(phone))) { "${flow.state.value.fieldProblems}" }
    check(!flow.state.value.readyToSubmit)
    flow.updateFields(exampleFields())
    check(flow.state.value.readyToSubmit) { "${flow.state.value}" }

    flow.livenessVerified("aliyun", "vfy-sample-0001", "2026-11-30T09:15:00Z")
    flow.submit()
    state = flow.state.value
    check(state.error == null) { "${state.error}" }
    val delivered = state.phase
    check(delivered is Phase.Delivered && delivered.digest.length == 64) { "$delivered" }
    check(File(File(serverPackages, packageId), "manifest.json").readText().contains("\"reference\":\"vfy-sample-0001\""))
    scope.cancel()
    outbox.close()
    println("ok  sample flow: rejected shot → retake → killed → reopened → fields → liveness → submit → delivered")
}

fun main() {
    checksPhotos()
    validatesFields()
    errorsArriveTyped()
    sealsUploadsCancelsAndResumes()
    aPanicComesBackAsAnError()
    sampleFlowFilesAPackage()
    cameraGuideFollowsRecordedFrames()
    println("kotlin: all passed")
}
