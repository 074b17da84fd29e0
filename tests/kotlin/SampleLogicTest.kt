// The Android sample's logic beyond the happy path: the flow's recovery from refusals and
// cancellations, the Keystore signer, the resume worker's verdicts, the outbox key's decisions,
// the form model and the photo's rotation; against the real SDK and server.
package org.hexin.test

import java.awt.image.BufferedImage
import java.io.ByteArrayOutputStream
import java.io.File
import java.io.IOException
import java.security.KeyPairGenerator
import java.security.spec.ECGenParameterSpec
import java.util.Base64
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import javax.imageio.ImageIO
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import org.hexin.Draft
import org.hexin.Outbox
import org.hexin.Policy
import org.hexin.Uploader
import org.hexin.checkPhoto
import org.hexin.messages
import org.hexin.verifyPackageDir
import org.hexin.core.FailureKind
import org.hexin.core.HexinException
import org.hexin.core.MaterialKind
import org.hexin.core.Signer
import org.hexin.core.SubjectKind
import org.hexin.core.Verdict
import org.hexin.sample.FilingFlow
import org.hexin.sample.FormInput
import org.hexin.sample.KeyLostException
import org.hexin.sample.KeyPairSigner
import org.hexin.sample.Lang
import org.hexin.sample.OutboxKeyStore
import org.hexin.sample.OutboxKeys
import org.hexin.sample.OutboxOpening
import org.hexin.sample.Phase
import org.hexin.sample.ResumeVerdict
import org.hexin.sample.StepStatus
import org.hexin.sample.resumeVerdict
import org.hexin.sample.withRotation

/** A P-256 key pair in the JVM, what the Android Keystore holds on a phone. */
fun softwareKeyPair() = KeyPairGenerator.getInstance("EC").apply { initialize(ECGenParameterSpec("secp256r1")) }.generateKeyPair()

/** A flow at the point of submitting: an individual's four photos taken and the form saved. */
suspend fun readyFlow(name: String, scope: CoroutineScope, signer: Signer?, sealed: MutableList<String>): Pair<Outbox, FilingFlow> {
    val outbox = Outbox(File(work, name), ByteArray(32) { 5 })
    val flow = FilingFlow(outbox, endpoint, scope, Lang.EN, signer = signer, onSealed = { sealed += it })
    flow.start(SubjectKind.INDIVIDUAL, "11")
    for (s in individual("p1", "w1")) flow.capture(s, photo(s.kind))
    flow.updateFields(individualFields("p1", "w1"))
    check(flow.state.value.readyToSubmit) { "${flow.state.value}" }
    return outbox to flow
}

/**
 * A seal refused (a material missing; the signer failing; the coroutine cancelled while the
 * signer waits for the user) goes back to capturing, and a photo check cut short puts its step
 * back; then a Keystore-style signer seals, the app is told, and the server's copy verifies
 * under that key.
 */
fun sampleFlowRecoversFromRefusals() = runBlocking {
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    val sealed = mutableListOf<String>()

    // Refused: nothing taken yet.
    val early = FilingFlow(Outbox(File(work, "kotlin-refusals-early"), ByteArray(32) { 4 }), endpoint, scope, Lang.EN, onSealed = { sealed += it })
    early.start(SubjectKind.INDIVIDUAL, "11")
    early.submit()
    check(early.state.value.phase == Phase.Capturing && early.state.value.error != null && sealed.isEmpty()) { "${early.state.value}" }

    // A photo check cancelled half-way (the screen closed): the step is as it was, to be taken again.
    val slot = early.state.value.steps[0].slot
    val big = File(realPhotos, "camera").listFiles()!!.filter { it.name.endsWith(".jpg") }.maxBy { it.length() }.readBytes()
    val checking = scope.launch { early.capture(slot, big) }
    while (early.state.value.steps[0].status != StepStatus.Checking) delay(1)
    checking.cancelAndJoin()
    check(early.state.value.steps[0].status == StepStatus.Pending) { "${early.state.value.steps[0]}" }
    early.close()

    // The user cancels the biometric prompt: the signer fails, the seal is refused.
    val pair = softwareKeyPair()
    val cancelled = object : Signer {
        override fun publicKey(): ByteArray = pair.public.encoded
        override fun sign(message: ByteArray): ByteArray = throw HexinException.SigningFailed("the user cancelled")
    }
    val (outbox, flow) = readyFlow("kotlin-refusals", scope, cancelled, sealed)
    flow.submit()
    val refused = HexinException.SigningFailed("the user cancelled")
    check(flow.state.value.phase == Phase.Capturing && flow.state.value.error == refused.messages.en && flow.state.value.readyToSubmit) { "${flow.state.value}" }
    check(sealed.isEmpty())
    flow.close()

    // The coroutine is cancelled while the signer waits (the screen went away mid-prompt).
    val prompting = CountDownLatch(1)
    val answered = CountDownLatch(1)
    val waiting = object : Signer {
        override fun publicKey(): ByteArray = pair.public.encoded
        override fun sign(message: ByteArray): ByteArray {
            prompting.countDown()
            answered.await(30, TimeUnit.SECONDS)
            throw HexinException.SigningFailed("the prompt was dismissed")
        }
    }
    val waitingFlow = FilingFlow(outbox, endpoint, scope, Lang.EN, signer = waiting, onSealed = { sealed += it })
    waitingFlow.reopen(flow.state.value.packageId!!)
    val submitting = scope.launch { waitingFlow.submit() }
    check(prompting.await(30, TimeUnit.SECONDS))
    check(waitingFlow.state.value.phase == Phase.Sealing)
    submitting.cancelAndJoin()
    answered.countDown()
    check(waitingFlow.state.value.phase == Phase.Capturing && waitingFlow.state.value.readyToSubmit) { "${waitingFlow.state.value}" }
    waitingFlow.close()

    // The Keystore's key (here a software one): sealed, the app told once, delivered, verified.
    val signed = FilingFlow(outbox, endpoint, scope, Lang.EN, signer = KeyPairSigner(pair.private, pair.public), onSealed = { sealed += it })
    val id = flow.state.value.packageId!!
    signed.reopen(id)
    signed.submit()
    check(signed.state.value.phase is Phase.Delivered && sealed == listOf(id)) { "${signed.state.value} $sealed" }
    val pem = Base64.getEncoder().encodeToString(pair.public.encoded).chunked(64)
        .joinToString("\n", "-----BEGIN PUBLIC KEY-----\n", "\n-----END PUBLIC KEY-----\n")
    val verified = verifyPackageDir(File(serverPackages, id), listOf(pem), null)
    check(verified.problems.isEmpty() && verified.signedBy != null) { "$verified" }
    val other = Base64.getEncoder().encodeToString(softwareKeyPair().public.encoded).chunked(64)
        .joinToString("\n", "-----BEGIN PUBLIC KEY-----\n", "\n-----END PUBLIC KEY-----\n")
    check(verifyPackageDir(File(serverPackages, id), listOf(other), null).problems.isNotEmpty())
    signed.close()
    scope.cancel()
    outbox.close()
    println("ok  sample flow refusals: refused seal → capturing; check cancelled → step back; signer cancelled / coroutine cancelled mid-prompt → capturing; Keystore-style signer → sealed once → verified")
}

/** The resume worker's verdicts by the errors' stable codes, from errors the SDK really raises. */
fun resumeVerdictsFollowTheCodes() = runBlocking {
    val network = HexinException.UploadFailed(5, FailureKind.NETWORK, "connection refused")
    val server = HexinException.UploadFailed(5, FailureKind.SERVER, "HTTP 503")
    val rejected = HexinException.UploadRejected(403, "forbidden")
    check(resumeVerdict(listOf(null, null), attempt = 0) == ResumeVerdict.DONE)
    check(resumeVerdict(emptyList(), attempt = 0) == ResumeVerdict.DONE)
    check(resumeVerdict(listOf(null, network), attempt = 0) == ResumeVerdict.RETRY)
    check(resumeVerdict(listOf(server), attempt = 6) == ResumeVerdict.RETRY)
    check(resumeVerdict(listOf(server), attempt = 7) == ResumeVerdict.FAILED) // the last of 8 runs
    check(resumeVerdict(listOf(HexinException.UploadCancelled()), attempt = 0) == ResumeVerdict.RETRY)
    check(resumeVerdict(emptyList(), attempt = 0, thrown = HexinException.OutboxLocked("/outbox")) == ResumeVerdict.RETRY)
    check(resumeVerdict(listOf(rejected), attempt = 0) == ResumeVerdict.FAILED)
    check(resumeVerdict(listOf(HexinException.CommitRejected(409, "digest")), attempt = 0) == ResumeVerdict.FAILED)
    check(resumeVerdict(listOf(rejected, network), attempt = 0) == ResumeVerdict.RETRY) // the other package may still go
    check(resumeVerdict(emptyList(), attempt = 0, thrown = HexinException.OutboxKeyMismatch("wrong key")) == ResumeVerdict.FAILED)
    // As raised: a package that is gone fails the run for good.
    val outbox = Outbox(File(work, "kotlin-resume-verdicts"), null)
    val gone = Uploader(outbox, endpoint).use { uploader ->
        try {
            uploader.deliver("0123456789abcdef0123456789abcdef").result(); null
        } catch (e: HexinException) {
            e
        }
    }
    check(gone is HexinException.PackageNotFound || gone is HexinException.InvalidArgument) { "$gone" }
    check(resumeVerdict(listOf(gone), attempt = 0) == ResumeVerdict.FAILED)
    outbox.close()
    println("ok  resume verdicts: network/server/cancelled/locked → retry (8 runs at most), rejected/gone/wrong key → failed")
}

/** A key store in memory, failing as a locked device's or a wiped Keystore's would. */
class MemoryKeyStore : OutboxKeyStore {
    var key: ByteArray? = null
    var unreadable: Exception? = null
    var stores = 0

    override fun load(): ByteArray? = unreadable?.let { throw it } ?: key?.copyOf()
    override fun store(key: ByteArray) { stores++; this.key = key.copyOf() }
    override fun delete() { key = null }
}

/** The outbox key's decisions on a real outbox: made once, kept, never remade over an error; a lost key is reset only on request. */
fun outboxKeysOpenSurfaceAndReset() {
    val dir = File(work, "kotlin-outbox-keys")
    val store = MemoryKeyStore()
    val keys = OutboxKeys(dir, store)
    val policy = Policy.icpDefault()
    val first = keys.open()
    check(first is OutboxOpening.Opened && store.key?.size == 32 && store.stores == 1) { "$first" }
    val id = Draft.start(first.outbox, policy, SubjectKind.INDIVIDUAL, "11").use { it.id() }
    first.outbox.close()

    val again = keys.open()
    check(again is OutboxOpening.Opened && again.outbox.list().map { it.id } == listOf(id) && store.stores == 1) { "$again" }
    again.outbox.close()

    // The device is locked: nothing is created or changed.
    store.unreadable = IOException("interaction not allowed")
    val locked = keys.open()
    check(locked is OutboxOpening.Unavailable && store.stores == 1 && dir.list()!!.isNotEmpty()) { "$locked" }
    // The Keystore's wrapping key is gone.
    store.unreadable = KeyLostException("the wrapping key was invalidated")
    check(keys.open() == OutboxOpening.KeyLost("the wrapping key was invalidated"))
    store.unreadable = null
    // A different key (restored from elsewhere), or none at all while the outbox exists.
    store.key = ByteArray(32) { 1 }
    check(keys.open() is OutboxOpening.KeyLost)
    store.key = null
    check(keys.open() is OutboxOpening.KeyLost && store.stores == 2)

    // The applicant agrees: everything is gone, a new outbox opens.
    val reset = keys.reset()
    check(reset is OutboxOpening.Opened && reset.outbox.list().isEmpty() && store.stores == 3) { "$reset" }
    reset.outbox.close()
    val after = keys.open()
    check(after is OutboxOpening.Opened && after.outbox.list().isEmpty() && store.stores == 3)
    after.outbox.close()
    println("ok  outbox keys: created once → reopened → locked (nothing changed) → lost / wrong / missing → reset → new outbox")
}

/** The form the ViewModel holds turns into the fields the specimens save, and back. */
fun formInputRoundTrips() {
    val individual = individualFields("p1", "w1")
    check(FormInput.of(individual).toFields(SubjectKind.INDIVIDUAL) == individual)
    check(FormInput.of(enterpriseFields()).toFields(SubjectKind.ENTERPRISE) == enterpriseFields())
    val blank = FormInput()
    check(blank.toFields(SubjectKind.INDIVIDUAL).people.map { it.id } == listOf("p1") && blank.toFields(SubjectKind.INDIVIDUAL).websites.single().responsiblePerson == "p1")
    val edited = blank.withPerson().person("p2") { it.copy(name = "王五") }.website("w1") { it.copy(domains = "a.cn，b.cn ,", responsiblePerson = "p2") }
    val fields = edited.copy(name = "示例").toFields(SubjectKind.ENTERPRISE)
    check(fields.people.map { it.id to it.name } == listOf("p1" to "", "p2" to "王五"))
    check(fields.websites.single().let { w -> w.responsiblePerson == "p2" && w.domains.map { it.name to it.registrant } == listOf("a.cn" to "示例", "b.cn" to "示例") })
    check(edited.toFields(SubjectKind.INDIVIDUAL).websites.single().responsiblePerson == "p1") // an individual runs their own sites
    println("ok  form input: specimens' fields ↔ form, people and websites added and edited")
}

/** A photo as the sensor delivers it in portrait (turned a quarter left) comes out upright once its rotation is recorded. */
fun rotationTurnsSensorPhotosUpright() = runBlocking {
    val policy = Policy.icpDefault()
    val pixels = ImageIO.read(File(specimens, "individual/id-card-front.jpg"))
    val upright = jpeg(pixels)
    val sideways = jpeg(quarterLeft(pixels))
    val expected = checkPhoto(upright, MaterialKind.ID_CARD_FRONT, policy)
    val turned = withRotation(sideways, 90)
    val seen = checkPhoto(turned, MaterialKind.ID_CARD_FRONT, policy)
    check(expected.verdict == Verdict.ACCEPT && seen.verdict == Verdict.ACCEPT) { "${expected.findings} / ${seen.findings}" }
    check(seen.output!!.width == expected.output!!.width && seen.output!!.height == expected.output!!.height) { "${seen.output} vs ${expected.output}" }
    val unturned = checkPhoto(sideways, MaterialKind.ID_CARD_FRONT, policy).output
    check(unturned == null || unturned.width < unturned.height) { "$unturned" }
    // Rewriting an orientation already there changes the two bytes only; 0 makes it upright as stored.
    check(withRotation(turned, 270).size == turned.size && withRotation(withRotation(turned, 270), 90).contentEquals(turned))
    check(checkPhoto(withRotation(turned, 0), MaterialKind.ID_CARD_FRONT, policy).output?.sha256 == unturned?.sha256)
    check(withRotation(byteArrayOf(1, 2, 3), 90).contentEquals(byteArrayOf(1, 2, 3)))
    println("ok  rotation: a sensor-oriented ID card with rotationDegrees 90 is checked upright (${seen.output!!.width}×${seen.output!!.height})")
}

fun jpeg(image: BufferedImage): ByteArray = ByteArrayOutputStream().also { check(ImageIO.write(image, "jpg", it)) }.toByteArray()

fun quarterLeft(image: BufferedImage): BufferedImage {
    val out = BufferedImage(image.height, image.width, BufferedImage.TYPE_INT_RGB)
    for (y in 0 until image.height) for (x in 0 until image.width) out.setRGB(y, image.width - 1 - x, image.getRGB(x, y))
    return out
}
