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
import org.hexin.Policy
import org.hexin.checkPhoto
import org.hexin.messages
import org.hexin.validatePhone
import org.hexin.core.HexinException
import org.hexin.core.MaterialKind
import org.hexin.core.SubjectKind
import org.hexin.sample.FilingFlow
import org.hexin.sample.Lang
import org.hexin.sample.Phase
import org.hexin.sample.StepStatus

fun sampleFlowFilesAPackage() = runBlocking {
    val dir = File(work, "kotlin-sample-outbox")
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    var outbox = Outbox(dir, ByteArray(32) { 9 })
    var flow = FilingFlow(outbox, endpoint, scope, Lang.EN)
    flow.start(SubjectKind.INDIVIDUAL, "11")
    // Before the form is filled, the steps are a one-person, one-website filing's (`p1`, `w1`):
    // the ids the sample's form gives its first person and website.
    val slots = individual("p1", "w1")
    var state = flow.state.value
    check(state.phase == Phase.Capturing && state.steps.map { it.slot } == slots) { "$state" }
    check(state.steps.all { it.status == StepStatus.Pending } && !state.readyToSubmit && state.next == state.steps[0])
    check(state.steps[0].title == "ID card, photo side") { state.steps[0].title }

    // A small outdoor shot is rejected with both reasons (no card in it, too few pixels) in the
    // applicant's language.
    flow.capture(slots[0], File(realPhotos, "camera/DSCN0010.jpg").readBytes())
    val rejected = flow.state.value.steps[0].status
    check(rejected is StepStatus.Rejected && rejected.reasons.size == 2 && rejected.reasons.all { it.isNotEmpty() }) { "$rejected" }
    flow.retake(slots[0])
    check(flow.state.value.steps[0].status == StepStatus.Pending)
    // A picture from the gallery is refused (the policy wants the camera); the step is as it was.
    flow.capture(slots[0], photo(MaterialKind.ID_CARD_FRONT), fromCamera = false)
    val refused = HexinException.CaptureSourceNotAllowed(MaterialKind.ID_CARD_FRONT)
    check(flow.state.value.error == refused.messages.en && flow.state.value.steps[0].status == StepStatus.Pending) { "${flow.state.value}" }
    for (s in slots.take(3)) flow.capture(s, photo(s.kind))
    state = flow.state.value
    check(state.steps.take(3).all { it.status is StepStatus.Accepted } && state.next?.slot == slots[3]) { "$state" }
    val packageId = state.packageId!!

    // The app is killed: a new process reopens the draft from the outbox.
    scope.coroutineContext[kotlinx.coroutines.Job]!!.children.forEach { it.join() } // early uploads settle
    flow.close()
    outbox.close()
    outbox = Outbox(dir, ByteArray(32) { 9 })
    flow = FilingFlow(outbox, endpoint, scope, Lang.EN)
    flow.reopen(packageId)
    state = flow.state.value
    check(state.packageId == packageId && state.steps.take(3).all { it.status is StepStatus.Accepted }) { "$state" }

    flow.capture(slots[3], photo(MaterialKind.VERIFICATION_FORM))
    check(flow.state.value.fieldProblems.containsKey("people[0].document.number") && flow.state.value.next == null)
    val fields = individualFields("p1", "w1")
    flow.updateFields(fields.copy(people = listOf(fields.people[0].copy(phone = "12345"))))
    val phone = validatePhone("12345")!!.message.en // the flow shows the SDK's message, once
    check(flow.state.value.fieldProblems == mapOf("people[0].phone" to listOf(phone))) { "${flow.state.value.fieldProblems}" }
    check(!flow.state.value.readyToSubmit)
    flow.updateFields(fields)
    check(flow.state.value.readyToSubmit) { "${flow.state.value}" }
    check(flow.state.value.steps.map { it.ownerName } == listOf("张三", "张三", "张三", "张三的个人博客"))

    flow.livenessVerified("aliyun", "vfy-sample-0001", "2026-11-30T09:15:00Z")
    flow.submit()
    state = flow.state.value
    check(state.error == null) { "${state.error}" }
    val delivered = state.phase
    check(delivered is Phase.Delivered && delivered.digest.length == 64) { "$delivered" }
    check(File(File(serverPackages, packageId), "manifest.json").readText().contains("\"reference\":\"vfy-sample-0001\""))
    scope.cancel()
    outbox.close()
    println("ok  sample flow: rejected shot → retake → gallery refused → killed → reopened → fields → liveness → submit → delivered")
}

/**
 * An enterprise in Shanghai whose website is run by 王五, not its legal representative 李四:
 * the flow asks for the business licence, both people's ID cards, 王五's face, the website's
 * verification form and authorization letter, in turn; a retake of 王五's ID card leaves 李四's
 * alone; the package seals and delivers with each material under its owner.
 */
fun sampleFlowFilesAnEnterpriseWithTwoPeople() = runBlocking {
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    val outbox = Outbox(File(work, "kotlin-sample-enterprise"), ByteArray(32) { 3 })
    val flow = FilingFlow(outbox, endpoint, scope, Lang.ZH)
    flow.start(SubjectKind.ENTERPRISE, "31")
    flow.updateFields(enterpriseFields())
    var state = flow.state.value
    check(state.steps.map { it.slot } == ENTERPRISE_SHANGHAI.map(::slot)) { "${state.steps}" }
    check(state.byOwner.map { it.owner to it.name } == listOf("subject" to "示例科技有限公司", "lisi" to "李四", "wangwu" to "王五", "www" to "示例科技官网"))
    check(state.byOwner.map { o -> o.steps.size } == listOf(1, 2, 3, 2) && state.steps[0].title == "营业执照") { "${state.byOwner}" }
    check(state.fieldProblems.isEmpty()) { "${state.fieldProblems}" }

    // Walk the checklist, each step in turn, with the enterprise specimen's photos: 王五's first
    // shot of his ID card is the same card as 李四's (a mix-up he retakes below).
    val taken = mutableListOf<String>()
    while (true) {
        val next = flow.state.value.next ?: break
        check(next.status == StepStatus.Pending) { "$next" }
        taken += "${next.ownerName}: ${next.title}"
        flow.capture(next.slot, enterprisePhoto(next.slot.kind))
    }
    check(taken.size == 8 && taken[3] == "王五: 身份证人像面") { "$taken" }
    state = flow.state.value
    check(state.steps.all { it.status is StepStatus.Accepted } && state.readyToSubmit) { "$state" }

    // 王五 retakes with his own card (the corpus's first clean ID card): only his slot changes.
    val wangwuFront = slot("id-card-front@wangwu")
    flow.retake(wangwuFront)
    check(flow.state.value.next?.slot == wangwuFront && flow.state.value.steps.single { it.slot == slot("id-card-front@lisi") }.status is StepStatus.Accepted)
    val own = corpus.listFiles()!!.filter { it.name.contains("-id-card-front-") && it.name.endsWith("-clean.jpg") }.minBy { it.name }.readBytes()
    flow.capture(wangwuFront, own)
    check(flow.state.value.next == null && flow.state.value.readyToSubmit) { "${flow.state.value}" }

    flow.submit()
    state = flow.state.value
    val delivered = state.phase
    check(state.error == null && delivered is Phase.Delivered) { "$state" }
    val manifest = File(serverPackages, "${state.packageId}/manifest.json").readText()
    val sealed = manifestMaterials(manifest)
    check(sealed.keys == ENTERPRISE_SHANGHAI.toSet() && manifest.split("\"media_type\"").size == 9) { "$sealed" }
    val policy = Policy.icpDefault()
    val normalized = { bytes: ByteArray -> runBlocking { checkPhoto(bytes, MaterialKind.ID_CARD_FRONT, policy).output!!.sha256 } }
    check(sealed["id-card-front@lisi"] == normalized(enterprisePhoto(MaterialKind.ID_CARD_FRONT))) { "$sealed" }
    check(sealed["id-card-front@wangwu"] == normalized(own) && sealed["id-card-front@wangwu"] != sealed["id-card-front@lisi"]) { "$sealed" }
    scope.cancel()
    outbox.close()
    println("ok  sample flow, enterprise in Shanghai with two people: 8 steps by owner → retake of one ID card → sealed by owner → delivered")
}

/** What the Shanghai enterprise filing needs, in checklist order. */
val ENTERPRISE_SHANGHAI = listOf(
    "business-license@subject",
    "id-card-front@lisi", "id-card-back@lisi",
    "id-card-front@wangwu", "id-card-back@wangwu", "face-photo@wangwu",
    "verification-form@www", "authorization-letter@www",
)

/** The enterprise specimen's photo of [kind]; its verification form's page for the authorization letter. */
fun enterprisePhoto(kind: MaterialKind) =
    photo(if (kind == MaterialKind.AUTHORIZATION_LETTER) MaterialKind.VERIFICATION_FORM else kind, "enterprise")

/**
 * A manifest's materials as `kind@owner` → SHA-256, read from its text: RFC 8785 canonical JSON,
 * so each entry's members are in key order (`kind`, `media_type`, `owner`, `sha256`).
 */
fun manifestMaterials(manifest: String): Map<String, String> {
    val entry = Regex("\"kind\":\"([a-z-]+)\",\"media_type\":\"[^\"]*\",\"owner\":\"([a-z0-9-]+)\",\"sha256\":\"([0-9a-f]{64})\"")
    return entry.findAll(manifest).associate { m -> "${m.groupValues[1]}@${m.groupValues[2]}" to m.groupValues[3] }
}

fun main() = runCases(
    "checksPhotos" to ::checksPhotos,
    "validatesFields" to ::validatesFields,
    "errorsArriveTyped" to ::errorsArriveTyped,
    "sealsUploadsCancelsAndResumes" to ::sealsUploadsCancelsAndResumes,
    "aThrowingListenerDoesNotStopADelivery" to ::aThrowingListenerDoesNotStopADelivery,
    "cancellingTheCoroutineStopsTheUpload" to ::cancellingTheCoroutineStopsTheUpload,
    "sampleFlowFilesAPackage" to ::sampleFlowFilesAPackage,
    "sampleFlowFilesAnEnterpriseWithTwoPeople" to ::sampleFlowFilesAnEnterpriseWithTwoPeople,
    "sampleFlowRecoversFromRefusals" to ::sampleFlowRecoversFromRefusals,
    "resumeVerdictsFollowTheCodes" to ::resumeVerdictsFollowTheCodes,
    "outboxKeysOpenSurfaceAndReset" to ::outboxKeysOpenSurfaceAndReset,
    "formInputRoundTrips" to ::formInputRoundTrips,
    "rotationTurnsSensorPhotosUpright" to ::rotationTurnsSensorPhotosUpright,
    "cameraGuideFollowsRecordedFrames" to ::cameraGuideFollowsRecordedFrames,
)
