package org.hexin.sample

import java.nio.ByteBuffer
import org.hexin.CaptureGuide
import org.hexin.Policy
import org.hexin.hintMessage
import org.hexin.core.GuideConfig
import org.hexin.core.Hint
import org.hexin.core.HexinException
import org.hexin.core.MaterialKind

/**
 * One camera preview frame as CameraX's `ImageAnalysis` delivers it: the Y plane
 * (`image.planes[0]`: its `buffer`, a direct `ByteBuffer` hexin reads in place without a copy,
 * and its `rowStride`), the buffer's size, and `image.imageInfo.rotationDegrees`, the clockwise
 * turn that makes it upright.
 */
class PreviewFrame(val luma: ByteBuffer, val width: Int, val height: Int, val rowStride: Int, val rotationDegrees: Int)

/** What the camera screen shows for the latest frame. */
data class GuideState(
    /** null before the first frame, or when the frame could not be read. */
    val hint: Hint? = null,
    /** The hint (or the error) in the applicant's language. */
    val text: String = "",
    /** The document's corners (the face's box, for a face photo) (top-left, top-right, bottom-right, bottom-left) as shares 0..1 of the upright preview's width and height. */
    val outline: List<Pair<Double, Double>>? = null,
    /** Consecutive ready frames so far. */
    val readyCount: Int = 0,
    /** Take the photo now (true on one frame per steady spell; call [CameraGuide.photoTaken] after). */
    val takePhoto: Boolean = false,
)

/**
 * Feeds preview frames to hexin's [CaptureGuide] and turns each answer into [GuideState]. Plain
 * Kotlin: the camera screen hands it frames from its analysis thread and draws what it returns.
 */
class CameraGuide(policy: Policy, kind: MaterialKind, private val lang: Lang, config: GuideConfig? = null) : AutoCloseable {
    private val guide = CaptureGuide(policy, kind, config)

    /** Judges one frame; runs on the caller's thread (a few milliseconds), while the frame's buffer is still open. */
    fun onFrame(frame: PreviewFrame): GuideState = try {
        val answer = guide.analyze(frame.luma, frame.width, frame.height, frame.rowStride, frame.rotationDegrees)
        GuideState(
            hint = answer.hint,
            text = hintMessage(answer.hint).text(lang),
            outline = answer.quad?.let { q -> listOf(q.topLeft, q.topRight, q.bottomRight, q.bottomLeft).map { it.x to it.y } },
            readyCount = answer.readyCount,
            takePhoto = answer.capture,
        )
    } catch (e: HexinException) {
        GuideState(text = e.describe(lang))
    }

    /** The photo was taken (or the preview restarted): the next auto-capture waits for a new steady spell. */
    fun photoTaken() = guide.reset()

    override fun close() = guide.close()
}
