// The Kotlin bindings on a real JVM against the host library and the local tus server
// (tests/bindings.sh compiles and runs this; HEXIN_* variables say where things are).
package org.hexin.test

import java.io.File
import java.security.KeyPairGenerator
import java.security.spec.ECGenParameterSpec
import java.util.Base64
import java.util.concurrent.atomic.AtomicReference
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import org.hexin.DeliveryTask
import org.hexin.Draft
import org.hexin.Language
import org.hexin.Outbox
import org.hexin.OutboxOptions
import org.hexin.Policy
import org.hexin.UploadOptions
import org.hexin.Uploader
import org.hexin.await
import org.hexin.checkPhoto
import org.hexin.checkPhotoFile
import org.hexin.code
import org.hexin.codeName
import org.hexin.defaultOwner
import org.hexin.documentName
import org.hexin.events
import org.hexin.messages
import org.hexin.resumeAll
import org.hexin.setLanguage
import org.hexin.setLogger
import org.hexin.slotFileName
import org.hexin.text
import org.hexin.uploadFile
import org.hexin.subjectName
import org.hexin.submissionProblems
import org.hexin.validateDomain
import org.hexin.validateDocumentNumber
import org.hexin.validateFilingNumber
import org.hexin.validateIdNumber
import org.hexin.validateSiteName
import org.hexin.validatePhone
import org.hexin.verifyPackageDir
import org.hexin.core.Attestation
import org.hexin.core.CaptureSource
import org.hexin.core.Code
import org.hexin.core.DocumentType
import org.hexin.core.Domain
import org.hexin.core.Event
import org.hexin.core.Fields
import org.hexin.core.Filing
import org.hexin.core.FilingType
import org.hexin.core.HexinException
import org.hexin.core.IdDocument
import org.hexin.core.Listener
import org.hexin.core.LogLevel
import org.hexin.core.LogRecord
import org.hexin.core.Logger
import org.hexin.core.MaterialKind
import org.hexin.core.MaterialState
import org.hexin.core.PackageState
import org.hexin.core.Person
import org.hexin.core.Place
import org.hexin.core.Signer
import org.hexin.core.Slot
import org.hexin.core.SubjectFields
import org.hexin.core.Severity
import org.hexin.core.SubjectKind
import org.hexin.core.Verdict
import org.hexin.core.Website

val env: (String) -> String = { System.getenv(it) ?: error("$it is not set") }
val specimens = File(env("HEXIN_SPECIMENS"))
val realPhotos = File(env("HEXIN_REAL_PHOTOS"))
val work = File(env("HEXIN_WORK"))
val endpoint = env("HEXIN_ENDPOINT")
val serverPackages = File(env("HEXIN_SERVER_PACKAGES"))
val corpus = File(env("HEXIN_CORPUS"))

/** The individual's materials, 张三 (`person`) running the website `site`. */
fun individual(person: String = "zhangsan", site: String = "blog") = listOf(
    Slot(MaterialKind.ID_CARD_FRONT, person),
    Slot(MaterialKind.ID_CARD_BACK, person),
    Slot(MaterialKind.FACE_PHOTO, person),
    Slot(MaterialKind.VERIFICATION_FORM, site),
)

/** The individual specimen's fields (specimens/individual/fields.json), under other ids if asked. */
fun individualFields(person: String = "zhangsan", site: String = "blog") = Fields(
    Filing(FilingType.NEW, null),
    SubjectFields("张三", null, null, person),
    listOf(Person(person, "张三", IdDocument(DocumentType.RESIDENT_ID, "11010519491231002X", "长期"), "13800138000", "13900139000", "zhangsan@example.com", null)),
    listOf(Website(site, "张三的个人博客", listOf(Domain("example.com", "张三"), Domain("例子.测试", "张三")), person, null)),
)

/**
 * The enterprise specimen (specimens/enterprise/fields.json) filing in Shanghai, its website
 * `www` run by 王五 (`wangwu`), who is not the legal representative 李四 (`lisi`).
 */
fun enterpriseFields() = Fields(
    Filing(FilingType.NEW, null),
    SubjectFields("示例科技有限公司", "91440300MA5HEXN01A", "李四", "lisi"),
    listOf(
        Person("lisi", "李四", IdDocument(DocumentType.RESIDENT_ID, "440305198805120015", "20380512"), "+86 139-0000-0000", "13700137000", "lisi@example.com", true),
        Person("wangwu", "王五", IdDocument(DocumentType.RESIDENT_ID, "310101199001010012", "20380512"), "13600136000", null, "wangwu@example.com", false),
    ),
    listOf(Website("www", "示例科技官网", listOf(Domain("example.org", "示例科技有限公司")), "wangwu", null)),
)

/** A specimen photo: specimens/[specimen]/<kind>.jpg. */
fun photo(kind: MaterialKind, specimen: String = "individual") =
    File(specimens, "$specimen/${kind.name.lowercase().replace('_', '-')}.jpg").readBytes()

fun slot(text: String) = text.split('@').let { (kind, owner) -> Slot(MaterialKind.valueOf(kind.uppercase().replace('-', '_')), owner) }

inline fun <reified E : HexinException> assertThrows(block: () -> Unit): E {
    try {
        block()
    } catch (e: HexinException) {
        check(e is E) { "expected ${E::class.simpleName}, got ${e::class.simpleName}: $e" }
        return e
    }
    error("expected ${E::class.simpleName}, nothing was thrown")
}

fun checksPhotos() = runBlocking {
    val policy = Policy.icpDefault()
    val accepted = checkPhoto(photo(MaterialKind.ID_CARD_FRONT), MaterialKind.ID_CARD_FRONT, policy)
    check(accepted.verdict == Verdict.ACCEPT) { "${accepted.findings}" }
    val out = accepted.output ?: error("no output")
    check(out.jpeg.size.toLong() == out.bytes && out.jpeg[0] == 0xFF.toByte() && out.jpeg[1] == 0xD8.toByte())

    // A real 640×480 Nikon photo: readable, rejected with a typed code and a message in both languages.
    val small = checkPhotoFile(File(realPhotos, "camera/DSCN0010.jpg"), MaterialKind.ID_CARD_FRONT, policy)
    check(small.verdict == Verdict.REJECT && small.output == null)
    val finding = small.findings.single { it.code == Code.RESOLUTION_TOO_LOW }
    check(finding.message.zh.isNotEmpty() && finding.message.en.isNotEmpty() && finding.measured!! < finding.limit!!)

    // A real iPhone HEIC is an error from Rust, arriving as its own exception type.
    val heic = assertThrows<HexinException.UnsupportedFormat> {
        runBlocking { checkPhotoFile(File(realPhotos, "camera/iphone_13_pro_max.HEIC"), MaterialKind.FACE_PHOTO, policy) }
    }
    check(heic.code == Code.UNSUPPORTED_FORMAT && codeName(heic.code) == "unsupported_format")
    check(heic.messages.zh.contains("JPEG")) { heic.messages.zh }
    assertThrows<HexinException.Storage> { runBlocking { checkPhotoFile(File("/nonexistent.jpg"), MaterialKind.OTHER, policy) } }
    assertThrows<HexinException.InvalidPolicy> { Policy.parse("[limits]\nmax_input_bytes = 0") }
    println("ok  photos: accepted, rejected (resolution_too_low), HEIC → UnsupportedFormat")
}

fun validatesFields() {
    check(validateIdNumber("11010519491231002X") == null)
    check(validateIdNumber("110105194912310021")?.code == Code.INVALID_ID_NUMBER)
    check(validatePhone("1380013800")?.code == Code.INVALID_PHONE)
    check(validateDomain("例子.中国") == null && validateDomain("-bad-.com")?.code == Code.INVALID_DOMAIN)
    check(validateDocumentNumber(DocumentType.HMT_RESIDENCE_PERMIT, "810000199001010027") == null)
    check(validateDocumentNumber(DocumentType.RESIDENT_ID, "810000199001010027")?.code == Code.INVALID_ID_NUMBER)
    check(validateDocumentNumber(DocumentType.HK_MACAO_PERMIT, "H12345678") == null)
    check(validateFilingNumber("沪ICP备12345678号-1", "31", true) == null)
    check(validateFilingNumber("沪ICP备12345678号", "31", true)?.code == Code.INVALID_FILING_NUMBER)
    check(validateFilingNumber("京ICP备12345678号", "上海", false)?.code == Code.INVALID_FILING_NUMBER)
    assertThrows<HexinException.UnknownProvince> { validateFilingNumber("京ICP备12345678号", "Atlantis", false) }
    val policy = Policy.icpDefault()
    check(validateSiteName("张三的公司", SubjectKind.INDIVIDUAL, policy)?.code == Code.INVALID_SITE_NAME)
    check(validateSiteName("张三的技术博客", SubjectKind.INDIVIDUAL, policy) == null)
    check(validateSiteName("示例科技有限公司", SubjectKind.ENTERPRISE, policy) == null)
    val fields = individualFields()
    val blank = fields.copy(websites = listOf(fields.websites[0].copy(name = "", domains = emptyList())))
    val problems = submissionProblems(SubjectKind.INDIVIDUAL, "11", blank, policy)
    check(problems.map { it.at }.containsAll(listOf("websites[0].name", "websites[0].domains"))) { "$problems" }
    check(problems.all { it.place == Place.Field(it.at) }) { "$problems" }
    check(submissionProblems(SubjectKind.INDIVIDUAL, "11", fields, policy).isEmpty())
    assertThrows<HexinException.UnknownProvince> { submissionProblems(SubjectKind.INDIVIDUAL, "Atlantis", fields, policy) }

    // Rules across people: a second person with the first one's phone, a website naming nobody.
    val enterprise = enterpriseFields()
    check(submissionProblems(SubjectKind.ENTERPRISE, "31", enterprise, policy).none { it.severity == Severity.BLOCK })
    val twice = enterprise.copy(
        people = listOf(enterprise.people[0], enterprise.people[1].copy(phone = enterprise.people[0].phone)),
        websites = listOf(enterprise.websites[0].copy(responsiblePerson = "zhaoliu")),
    )
    val across = submissionProblems(SubjectKind.ENTERPRISE, "31", twice, policy).map { it.code to it.at }
    check(across.containsAll(listOf(Code.DUPLICATE_PHONE to "people[1].phone", Code.UNKNOWN_REFERENCE to "websites[0].responsible_person"))) { "$across" }

    // The names and the slot's file an app shows and uploads.
    check(slotFileName(slot("id-card-front@wangwu")) == "id-card-front.wangwu.jpg")
    check(defaultOwner(enterprise, MaterialKind.FACE_PHOTO) == "wangwu" && defaultOwner(enterprise, MaterialKind.BUSINESS_LICENSE) == "subject")
    check(subjectName(SubjectKind.PUBLIC_INSTITUTION).zh == "事业单位") { "${subjectName(SubjectKind.PUBLIC_INSTITUTION)}" }
    check(documentName(DocumentType.HK_MACAO_PERMIT).zh.contains("通行证")) { "${documentName(DocumentType.HK_MACAO_PERMIT)}" }
    println("ok  fields: ID documents, filing numbers, site names, phone, domain, whole-form problems by path, rules across people, slot file names")
}

/** A P-256 key in the JVM, signing as an Android Keystore key would. */
class JvmSigner : Signer {
    private val pair = KeyPairGenerator.getInstance("EC").apply { initialize(ECGenParameterSpec("secp256r1")) }.generateKeyPair()
    val publicPem = Base64.getEncoder().encodeToString(pair.public.encoded).chunked(64)
        .joinToString("\n", "-----BEGIN PUBLIC KEY-----\n", "\n-----END PUBLIC KEY-----\n")
    override fun publicKey(): ByteArray = pair.public.encoded
    override fun sign(message: ByteArray): ByteArray =
        java.security.Signature.getInstance("SHA256withECDSA").run { initSign(pair.private); update(message); sign() }
}

class Events : Listener {
    val all = java.util.concurrent.CopyOnWriteArrayList<Event>()
    val task = AtomicReference<DeliveryTask?>()
    @Volatile var cancelAfter: Long = -1

    override fun onEvent(event: Event) {
        all.add(event)
        if (event is Event.Progress && cancelAfter >= 0 && event.packageSent >= cancelAfter) {
            task.get()?.cancel()
        }
    }
}

fun sealsUploadsCancelsAndResumes() = runBlocking {
    val policy = Policy.icpDefault()
    val outbox = Outbox(File(work, "kotlin-outbox"), ByteArray(32) { 7 })
    val draft = Draft.start(outbox, policy, SubjectKind.INDIVIDUAL, "北京")
    // Before any fields the checklist is a one-person, one-website filing's: `p1` and `w1`.
    val empty = draft.checklist()
    check(empty.materials.map { it.slot } == individual("p1", "w1") && empty.materials.all { it.required && it.state == MaterialState.MISSING }) { "${empty.materials}" }
    check(empty.problems.any { it.code == Code.MISSING_MATERIAL && it.place == Place.Material(MaterialKind.FACE_PHOTO, "p1") && it.at == "face-photo@p1" })
    val slots = individual("p1", "w1")
    val rejected = draft.addPhotoFile(slots[0], File(realPhotos, "camera/DSCN0010.jpg"), CaptureSource.CAMERA)
    check(rejected.verdict == Verdict.REJECT && draft.report(slots[0]) == null)

    // Documents and faces must come from the camera (the default policy): a gallery pick is
    // refused before it is read, and nothing is kept.
    for (s in slots) {
        val refused = assertThrows<HexinException.CaptureSourceNotAllowed> { runBlocking { draft.addPhoto(s, photo(s.kind), CaptureSource.GALLERY) } }
        check(refused.kind == s.kind && refused.code == Code.CAPTURE_SOURCE_NOT_ALLOWED && refused.messages.en.contains("camera")) { "$refused" }
    }
    check(slots.all { draft.report(it) == null } && outbox.get(draft.id()).files.isEmpty())
    for (s in slots) check(draft.addPhoto(s, photo(s.kind), CaptureSource.CAMERA).verdict == Verdict.ACCEPT)
    check(outbox.get(draft.id()).files.map { it.name }.sorted() == slots.map(::slotFileName).sorted())
    // An owner that is not an id's form would name a file: refused.
    check(assertThrows<HexinException.InvalidArgument> { runBlocking { draft.addPhoto(Slot(MaterialKind.ID_CARD_FRONT, "../x"), photo(MaterialKind.ID_CARD_FRONT), CaptureSource.CAMERA) } }.name == "owner")
    val captured = draft.checklist()
    check(captured.materials.all { it.state != MaterialState.MISSING && it.report?.verdict == Verdict.ACCEPT } && !captured.readyToSeal)
    check(captured.fields.isNotEmpty() && captured.fields.all { f -> f.problems.all { it.code == Code.MISSING_FIELD && it.at == f.path } })
    assertThrows<HexinException.SealRefused> { runBlocking { draft.seal(null) } }.also { refused ->
        check(refused.problems.all { it.code == Code.MISSING_FIELD }) { "${refused.problems}" }
    }
    draft.setFields(individualFields(person = "p1", site = "w1"))
    check(draft.checklist().let { it.problems.isEmpty() && it.fields.isEmpty() && it.readyToSeal && it.materials.map { m -> m.ownerName } == listOf("张三", "张三", "张三", "张三的个人博客") })

    // The provider's liveness result (its SDK ran at the face step), sealed under the signature.
    val liveness = Attestation("aliyun", "liveness", "vfy-kotlin-0001", "2026-11-30T09:15:00Z")
    check(assertThrows<HexinException.InvalidArgument> { draft.attest(liveness.copy(issuedAt = "yesterday")) }.name == "attestation")
    draft.attest(liveness)
    check(draft.attestations() == listOf(liveness))

    // A signer that fails, then a real one: the Kotlin object signs from inside Rust.
    val broken = object : Signer {
        override fun publicKey(): ByteArray = throw HexinException.SigningFailed("keystore locked")
        override fun sign(message: ByteArray): ByteArray = throw HexinException.SigningFailed("keystore locked")
    }
    check(assertThrows<HexinException.SigningFailed> { runBlocking { draft.seal(broken) } }.reason == "keystore locked")
    val signer = JvmSigner()
    val sealed = draft.seal(signer)
    check(outbox.get(sealed.packageId).state == PackageState.SEALED)
    val total = outbox.get(sealed.packageId).bytes

    // Upload in 1 KiB chunks and cancel once a third is on the server: the package pauses.
    val events = Events()
    val uploader = Uploader(outbox, endpoint, events, UploadOptions(chunkSize = 1024, parallel = 2))
    events.cancelAfter = total / 3
    val first = uploader.deliver(sealed.packageId).also { events.task.set(it) }
    assertThrows<HexinException.UploadCancelled> { runBlocking { first.await() } }
    check(first.isFinished())
    check(outbox.get(sealed.packageId).state == PackageState.SEALED)
    val progress = events.all.filterIsInstance<Event.Progress>()
    check(progress.isNotEmpty() && progress.all { it.packageTotal == total }) { "${progress.size} progress events" }
    val before = progress.maxOf { it.packageSent }
    check(before in total / 3 until total) { "cancelled at $before of $total" }

    // Resume: only what the server lacks goes out, then the commit.
    events.cancelAfter = -1
    val delivery = uploader.deliver(sealed.packageId).await()
    check(delivery.digest == sealed.digest && delivery.bytes == total)
    check(delivery.sentBytes < total) { "resume sent ${delivery.sentBytes} of $total" }
    check(events.all.any { it is Event.Committed && it.digest == sealed.digest })
    check(outbox.get(sealed.packageId).state == PackageState.COMMITTED)

    // What the server assembled verifies, signed by the Kotlin key.
    val v = verifyPackageDir(File(serverPackages, sealed.packageId), listOf(signer.publicPem), sealed.digest)
    check(v.problems.isEmpty()) { "${v.problems}" }
    check(v.signedBy != null)
    check(File(serverPackages, "${sealed.packageId}/manifest.json").readText().contains("\"reference\":\"vfy-kotlin-0001\""))
    val badKey = assertThrows<HexinException.InvalidArgument> {
        runBlocking { verifyPackageDir(File(serverPackages, sealed.packageId), listOf(signer.publicPem, "not a key"), null) }
    }
    check(badKey.name == "trusted_keys_pem" && badKey.reason.startsWith("[1]")) { "$badKey" }
    outbox.close()
    println("ok  draft + liveness attestation → seal (signed in Kotlin) → upload → cancel at $before/$total → resume (${delivery.sentBytes} B) → verified")
}

/** Seals the individual specimen in a new outbox under `work/name`, ready to deliver. */
fun sealedPackage(name: String): Pair<Outbox, String> = runBlocking {
    val outbox = Outbox(File(work, name), null)
    val draft = Draft.start(outbox, Policy.icpDefault(), SubjectKind.INDIVIDUAL, "11")
    draft.setFields(individualFields())
    for (s in individual()) check(draft.addPhoto(s, photo(s.kind), CaptureSource.CAMERA).verdict == Verdict.ACCEPT)
    outbox to draft.seal(null).packageId
}

/** Keeps hexin's log records, as an app's Logcat or os_log bridge would. */
class Records : Logger {
    val all = java.util.concurrent.CopyOnWriteArrayList<LogRecord>()
    override fun log(record: LogRecord) {
        all.add(record)
    }
}

/** A listener that throws does not stop the delivery, and hexin's log says so; a signer's bug is a SigningFailed. */
fun aThrowingListenerDoesNotStopADelivery() = runBlocking {
    val (outbox, id) = sealedPackage("kotlin-throwing")
    val records = Records()
    setLogger(records, LogLevel.INFO)
    try {
        val throwing = object : Listener {
            override fun onEvent(event: Event) {
                if (event is Event.Progress) throw IllegalStateException("a bug in the app's listener")
            }
        }
        val delivery = Uploader(outbox, endpoint, throwing, UploadOptions(chunkSize = 4096, parallel = 1)).deliver(id).await()
        check(outbox.get(id).state == PackageState.COMMITTED && delivery.packageId == id)
        check(records.all.count { it.level == LogLevel.WARN && it.message.contains("listener threw") } == 1) { "${records.all}" }
        check(records.all.any { it.level == LogLevel.INFO && it.message == "package $id: delivered" }) { "${records.all}" }
        // No record carries what the applicant typed.
        val personal = individualFields().let { f -> listOf(f.people[0].name, f.people[0].document.number, f.people[0].phone, f.people[0].email, "zhangsan") }
        check(records.all.none { r -> personal.any { r.message.contains(it) } }) { "${records.all}" }
        check(records.all.none { it.level == LogLevel.DEBUG }) { "below the level set" }
    } finally {
        setLogger(null, LogLevel.INFO)
    }
    // A Signer that throws what is not a HexinException: SigningFailed, with what it threw.
    val draft = Draft.start(outbox, Policy.icpDefault(), SubjectKind.INDIVIDUAL, "11")
    draft.setFields(individualFields())
    for (s in individual()) draft.addPhoto(s, photo(s.kind), CaptureSource.CAMERA)
    val buggy = object : Signer {
        override fun publicKey(): ByteArray = throw IllegalStateException("a bug in the app's signer")
        override fun sign(message: ByteArray): ByteArray = throw IllegalStateException("a bug in the app's signer")
    }
    val failed = assertThrows<HexinException.SigningFailed> { runBlocking { draft.seal(buggy) } }
    check(failed.reason.contains("a bug in the app's signer") && failed.code == Code.SIGNING_FAILED) { failed.reason }
    check(outbox.get(draft.id()).state == PackageState.DRAFT)
    outbox.close()
    println("ok  listener: throwing on every progress event → delivered, a WARN in the app's log (no personal data); a throwing signer → SigningFailed")
}

/** Cancelling the coroutine that awaits a delivery or an upload stops it; the package pauses and resumes later. */
fun cancellingTheCoroutineStopsTheUpload() = runBlocking {
    val (outbox, id) = sealedPackage("kotlin-cancel")
    val started = CompletableDeferred<Unit>()
    val events = java.util.concurrent.CopyOnWriteArrayList<Event>()
    val listener = object : Listener {
        override fun onEvent(event: Event) {
            events.add(event)
            if (event is Event.Progress) started.complete(Unit)
        }
    }
    val uploader = Uploader(outbox, endpoint, listener, UploadOptions(chunkSize = 1024, parallel = 1))
    val total = outbox.get(id).bytes
    val task = uploader.deliver(id)
    val waiting = launch { task.await() }
    started.await()
    waiting.cancelAndJoin()
    assertThrows<HexinException.UploadCancelled> { runBlocking { task.result() } }
    check(outbox.get(id).state == PackageState.SEALED)
    val sent = events.filterIsInstance<Event.Progress>().maxOf { it.packageSent }
    Thread.sleep(300)
    check(events.filterIsInstance<Event.Progress>().maxOf { it.packageSent } == sent && sent < total) { "went on after cancel: $sent of $total" }

    // The same for one file's upload before sealing (Uploader.uploadFile): a fresh draft's capture.
    val draft = Draft.start(outbox, Policy.icpDefault(), SubjectKind.INDIVIDUAL, "11")
    val front = individual()[0]
    draft.addPhoto(front, photo(front.kind), CaptureSource.CAMERA)
    val uploading = CompletableDeferred<Unit>()
    val fileUploader = Uploader(outbox, endpoint, object : Listener {
        override fun onEvent(event: Event) {
            if (event is Event.Progress && event.packageId == draft.id()) uploading.complete(Unit)
        }
    }, UploadOptions(chunkSize = 1024, parallel = 1))
    val upload = launch { fileUploader.uploadFile(draft.id(), slotFileName(front)) }
    uploading.await()
    upload.cancelAndJoin()
    check(upload.isCancelled)
    // What the server confirmed is kept: the upload finishes from there.
    check(fileUploader.uploadFile(draft.id(), slotFileName(front)) < outbox.get(draft.id()).bytes)

    // And the paused package delivers, its events read as a Flow that ends with the task.
    val resumed = uploader.deliver(id)
    val flow = resumed.events.toList()
    check(resumed.await().digest == flow.filterIsInstance<Event.Committed>().single().digest) { "no commit event" }
    val summary = { flow.map { it::class.simpleName }.distinct() }
    check(flow.first() == Event.State(id, PackageState.UPLOADING) && Event.State(id, PackageState.COMMITTED) in flow && flow.last() is Event.Committed) { "${summary()}" }
    // A reader keeping up sees each file's progress climb to its size (never back); one that lags sees only the latest.
    val progress = flow.filterIsInstance<Event.Progress>().groupBy { it.file }
    val climbs = progress.values.all { p -> p.zipWithNext().all { (a, b) -> a.sent <= b.sent } && p.last().sent == p.last().total }
    check(progress.size == 4 && climbs) { progress.mapValues { p -> p.value.map { it.sent }.zipWithNext().filter { (a, b) -> a > b } + (p.value.last().sent to p.value.last().total) } }
    val late = resumed.events.toList()
    check(late == flow.filter { e -> e !is Event.Progress || progress[e.file]!!.last() == e }) { "a late reader: ${late.size} events" }
    outbox.close()
    println("ok  cancel: coroutine cancelled mid-delivery at $sent/$total → paused, nothing sent after; uploadFile cancelled → resumed; Flow of a delivery's events")
}

fun errorsArriveTyped() {
    val dir = File(work, "kotlin-keyed")
    Outbox(dir, ByteArray(32) { 1 }).close()
    assertThrows<HexinException.OutboxKeyMismatch> { Outbox(dir, ByteArray(32) { 2 }) }
    assertThrows<HexinException.OutboxKeyRequired> { Outbox(dir, null) }
    check(assertThrows<HexinException.InvalidArgument> { Outbox(File(work, "kotlin-short"), ByteArray(16)) }.name == "key")
    check(assertThrows<HexinException.InvalidArgument> { Outbox(File(work, "kotlin-days"), null, OutboxOptions(keepDays = -1)) }.name == "keep_days")
    val outbox = Outbox(dir, ByteArray(32) { 1 }, OutboxOptions(maxBytes = 50_000_000, keepDays = 7))
    val locked = assertThrows<HexinException.OutboxLocked> { Outbox(dir, ByteArray(32) { 1 }) }
    assertThrows<HexinException.PackageNotFound> { Draft.open(outbox, Policy.icpDefault(), "0123456789abcdef0123456789abcdef") }
    assertThrows<HexinException.InvalidEndpoint> { Uploader(outbox, "ftp://example.com/files") }
    check(assertThrows<HexinException.InvalidArgument> { Uploader(outbox, endpoint, options = UploadOptions(parallel = -2)) }.name == "parallel")

    // The error speaks to the applicant: `message` is its sentence in the app's language, with
    // the code and both languages as properties; the fields (paths here) stay out of it.
    try {
        check(locked.message == locked.messages.zh && locked.message!!.isNotBlank() && !locked.message!!.contains(dir.path)) { "${locked.message}" }
        setLanguage(Language.EN)
        check(locked.message == locked.messages.en && locked.messages.text == locked.messages.en && locked.code == Code.OUTBOX_LOCKED) { "${locked.message}" }
        check(locked.localizedMessage == locked.messages.en)
    } finally {
        setLanguage(Language.ZH)
    }

    // After close(), a call is refused by the bindings, not a crash.
    outbox.close()
    val closed = runCatching { outbox.list() }.exceptionOrNull()
    check(closed is IllegalStateException && closed.message!!.contains("destroyed")) { "$closed" }
    println("ok  errors: key mismatch/required, locked, not found, invalid endpoint and options — each its own exception, message in the app's language; use after close refused")
}

/** Runs each case on its own, so a failing case does not hide the rest; exits 1 if any failed. */
fun runCases(vararg cases: Pair<String, () -> Unit>) {
    val failed = cases.filter { (name, case) ->
        runCatching(case).onFailure { println("FAILED  $name: ${it.stackTraceToString()}") }.isFailure
    }
    println("kotlin: ${cases.size - failed.size} of ${cases.size} cases passed")
    if (failed.isNotEmpty()) {
        println("kotlin: failed: ${failed.joinToString { it.first }}")
        kotlin.system.exitProcess(1)
    }
}
