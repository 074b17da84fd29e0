package org.hexin.sample

/**
 * The JPEG with its EXIF orientation set to turn it upright by [rotationDegrees] clockwise (0,
 * 90, 180, 270), as CameraX's `ImageProxy.imageInfo.rotationDegrees` gives for a capture: the
 * sensor's pixels stay as they are, and hexin (which applies EXIF orientation) sees the photo
 * upright. An Exif segment with an orientation has it rewritten in place; one without is
 * replaced by one holding only the orientation (hexin keeps no EXIF in what it stores anyway), and
 * one is added after SOI when there is none. Bytes that are not a JPEG are returned unchanged
 * (hexin refuses them with its own error).
 */
fun withRotation(jpeg: ByteArray, rotationDegrees: Int): ByteArray {
    val orientation = when (Math.floorMod(rotationDegrees, 360)) {
        0 -> 1
        90 -> 6
        180 -> 3
        270 -> 8
        else -> throw IllegalArgumentException("rotation $rotationDegrees is not a multiple of 90")
    }
    if (jpeg.size < 4 || u8(jpeg, 0) != 0xFF || u8(jpeg, 1) != 0xD8) return jpeg
    val exif = exifSegment(jpeg)
    exif?.orientationAt?.let { at ->
        return jpeg.copyOf().also { if (exif.bigEndian) { it[at] = 0; it[at + 1] = orientation.toByte() } else { it[at] = orientation.toByte(); it[at + 1] = 0 } }
    }
    val (start, end) = if (exif != null) exif.start to exif.end else 2 to 2
    return jpeg.copyOfRange(0, 2) + orientationSegment(orientation) + jpeg.copyOfRange(2, start) + jpeg.copyOfRange(end, jpeg.size)
}

/** The first Exif segment (from its marker to its end) and where IFD0's orientation value is in it, if anywhere. */
private class ExifSegment(val start: Int, val end: Int, val orientationAt: Int?, val bigEndian: Boolean)

private fun exifSegment(jpeg: ByteArray): ExifSegment? {
    var at = 2
    while (at + 4 <= jpeg.size && u8(jpeg, at) == 0xFF) {
        val marker = u8(jpeg, at + 1)
        if (marker == 0xDA || marker == 0xD9) return null // image data: no more metadata segments
        val length = u16(jpeg, at + 2, true)
        val body = at + 4
        if (length < 2 || body + length - 2 > jpeg.size) return null
        if (marker == 0xE1 && length >= 16 && String(jpeg, body, 6, Charsets.ISO_8859_1) == "Exif\u0000\u0000") {
            val end = body + length - 2
            val found = orientationInTiff(jpeg, body + 6, end)
            return ExifSegment(at, end, found?.first, found?.second ?: true)
        }
        at = body + length - 2
    }
    return null
}

private fun orientationInTiff(jpeg: ByteArray, tiff: Int, end: Int): Pair<Int, Boolean>? {
    val bigEndian = when (String(jpeg, tiff, 2, Charsets.ISO_8859_1)) {
        "MM" -> true
        "II" -> false
        else -> return null
    }
    val ifd = tiff + u32(jpeg, tiff + 4, bigEndian)
    if (ifd < tiff || ifd + 2 > end) return null
    val count = u16(jpeg, ifd, bigEndian)
    for (i in 0 until count) {
        val entry = ifd + 2 + 12 * i
        if (entry + 12 > end) return null
        // Tag 0x0112, type SHORT, one value: stored in the entry's first two value bytes.
        if (u16(jpeg, entry, bigEndian) == 0x0112 && u16(jpeg, entry + 2, bigEndian) == 3) return entry + 8 to bigEndian
    }
    return null
}

/** An APP1 Exif segment whose IFD0 holds only the orientation (big-endian TIFF). */
private fun orientationSegment(orientation: Int): ByteArray {
    val tiff = byteArrayOf(
        'M'.code.toByte(), 'M'.code.toByte(), 0, 42, 0, 0, 0, 8, // header; IFD0 at 8
        0, 1, // one entry
        0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation.toByte(), 0, 0, // orientation, SHORT, 1, value
        0, 0, 0, 0, // no next IFD
    )
    val body = "Exif\u0000\u0000".toByteArray(Charsets.ISO_8859_1) + tiff
    val length = body.size + 2
    return byteArrayOf(0xFF.toByte(), 0xE1.toByte(), (length shr 8).toByte(), length.toByte()) + body
}

private fun u8(b: ByteArray, at: Int) = b[at].toInt() and 0xFF
private fun u16(b: ByteArray, at: Int, bigEndian: Boolean) =
    if (bigEndian) (u8(b, at) shl 8) or u8(b, at + 1) else u8(b, at) or (u8(b, at + 1) shl 8)
private fun u32(b: ByteArray, at: Int, bigEndian: Boolean): Int =
    if (bigEndian) (u16(b, at, true) shl 16) or u16(b, at + 2, true) else u16(b, at, false) or (u16(b, at + 2, false) shl 16)
