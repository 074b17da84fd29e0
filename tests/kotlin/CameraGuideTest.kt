// The Android sample's CameraGuide (android-sample/logic) replaying the preview frames that
// `corpus --frames` recorded (tests/bindings.sh writes them to $HEXIN_FRAMES): the hint of every
// frame, the outline, and the moment of auto-capture.
package org.hexin.test

import java.io.File
import java.nio.ByteBuffer
import org.hexin.Policy
import org.hexin.hintName
import org.hexin.core.MaterialKind
import org.hexin.sample.CameraGuide
import org.hexin.sample.GuideState
import org.hexin.sample.Lang
import org.hexin.sample.PreviewFrame

/** One recorded frame and the hints it allows. */
class Recorded(val sequence: String, val frame: PreviewFrame, val expect: List<String>)

/** frames.json's frames, in order (its objects hold no nested objects, so a regex finds each). */
fun recordedFrames(dir: File): List<Recorded> {
    val json = File(dir, "frames.json").readText()
    fun int(obj: String, key: String) = Regex("\"$key\":\\s*(\\d+)").find(obj)!!.groupValues[1].toInt()
    return Regex("\\{[^{}]*\"file\":[^{}]*\\}").findAll(json).map { m ->
        val obj = m.value
        val file = Regex("\"file\":\\s*\"([^\"]+)\"").find(obj)!!.groupValues[1]
        val expect = Regex("\"expect\":\\s*\\[([^\\]]*)\\]").find(obj)!!.groupValues[1].split(',').map { it.trim().trim('"') }
        val frame = PreviewFrame(direct(File(dir, file).readBytes()), int(obj, "width"), int(obj, "height"), int(obj, "stride"), int(obj, "rotation"))
        Recorded(file.substringBefore('/'), frame, expect)
    }.toList()
}

/** A direct buffer, as CameraX's image planes are. */
fun direct(bytes: ByteArray): ByteBuffer = ByteBuffer.allocateDirect(bytes.size).put(bytes).flip()

/** Sequences where today's detector does not see what the frames draw (core/tests/guide.rs lists them). */
val DETECTOR_GAPS = setOf("approach")

fun cameraGuideFollowsRecordedFrames() {
    val frames = recordedFrames(File(env("HEXIN_FRAMES"))).groupBy { it.sequence }
    check(frames.keys == setOf("empty_desk", "approach", "shake_then_still", "glare", "too_dark", "strong_tilt", "portrait_phone", "selfie")) { frames.keys }
    val policy = Policy.icpDefault()
    val captured = mutableMapOf<String, List<Int>>()
    for ((name, sequence) in frames) {
        // The selfie sequence is a face photo's: the guide looks for the face.
        val kind = if (name == "selfie") MaterialKind.FACE_PHOTO else MaterialKind.ID_CARD_FRONT
        CameraGuide(policy, kind, Lang.EN).use { guide ->
            val states: List<GuideState> = sequence.map { guide.onFrame(it.frame) }
            for ((i, state) in states.withIndex()) {
                val hint = hintName(state.hint!!)
                check(name in DETECTOR_GAPS || hint in sequence[i].expect) { "$name frame $i: $hint, allowed ${sequence[i].expect}" }
                check(state.text.isNotEmpty() && (state.outline == null) == (hint in setOf("no_document", "no_face"))) { "$name frame $i: $state" }
                state.outline?.forEach { (x, y) -> check(x in -0.5..1.5 && y in -0.5..1.5) { "$name frame $i: $state" } }
            }
            captured[name] = states.withIndex().filter { it.value.takePhoto }.map { it.index }
        }
    }
    // Eight ready frames: portrait_phone is ready from frame 1, shake_then_still from frame 11,
    // selfie from frame 4; approach has seven ready frames at its end, not enough.
    check(captured == mapOf("empty_desk" to listOf(), "approach" to listOf(), "shake_then_still" to listOf(18), "glare" to listOf(),
        "too_dark" to listOf(), "strong_tilt" to listOf(), "portrait_phone" to listOf(8), "selfie" to listOf(11))) { "$captured" }

    // After the photo the guide waits for a new steady spell; a frame that does not fit is an error shown as text.
    CameraGuide(policy, MaterialKind.ID_CARD_BACK, Lang.ZH).use { guide ->
        val still = frames.getValue("portrait_phone")
        val states = still.take(3).map { guide.onFrame(it.frame) }
        check(states.map { it.readyCount } == listOf(0, 1, 2) && states[2].text == "保持不动，即将拍摄") { "$states" }
        guide.photoTaken()
        check(guide.onFrame(still[3].frame).readyCount == 0)
        val f = still[0].frame
        val bad = guide.onFrame(PreviewFrame(f.luma.duplicate().limit(1000), f.width, f.height, f.rowStride, f.rotationDegrees))
        check(bad.hint == null && bad.text.isNotEmpty() && bad.outline == null) { "$bad" }
    }
    println("ok  camera guide: ${frames.values.sumOf { it.size }} recorded frames, hints, outline, auto-capture at frames 8, 18 and 11 (the face)")
}
