import Foundation
import Hexin

/// One camera preview frame: the luma (Y) plane with its row stride, the buffer's size, and the
/// clockwise turn (0, 90, 180, 270) that makes it upright. On iOS, `App/CameraView.swift` makes
/// one from an `AVCaptureVideoDataOutput` sample buffer (plane 0 of a bi-planar 4:2:0 pixel
/// buffer, without copying it); the tests read recorded frames. hexin reads `luma` in place.
public protocol PreviewFrame {
    var luma: Data { get }
    var width: Int { get }
    var height: Int { get }
    var rowStride: Int { get }
    var rotation: Int { get }
}

/// A frame whose bytes are already at hand: recorded, or read in place from a locked pixel buffer.
public struct LumaFrame: PreviewFrame, Sendable {
    public let luma: Data
    public let width: Int
    public let height: Int
    public let rowStride: Int
    public let rotation: Int

    public init(luma: Data, width: Int, height: Int, rowStride: Int, rotation: Int) {
        self.luma = luma
        self.width = width
        self.height = height
        self.rowStride = rowStride
        self.rotation = rotation
    }
}

/// What the camera screen shows for the latest frame.
public struct GuideState: Equatable, Sendable {
    /// nil before the first frame, or when the frame could not be read.
    public var hint: Hint?
    /// The hint (or the error) in the applicant's language.
    public var text: String
    /// The document's corners (the face's box, for a face photo) (top-left, top-right,
    /// bottom-right, bottom-left) as shares 0...1
    /// of the upright preview's width and height.
    public var outline: [(x: Double, y: Double)]?
    /// Consecutive ready frames so far.
    public var readyCount: Int
    /// Take the photo now (true on one frame per steady spell; call `photoTaken()` after).
    public var takePhoto: Bool

    public static func == (a: GuideState, b: GuideState) -> Bool {
        a.hint == b.hint && a.text == b.text && a.readyCount == b.readyCount && a.takePhoto == b.takePhoto
            && a.outline?.map { [$0.x, $0.y] } == b.outline?.map { [$0.x, $0.y] }
    }
}

/// Feeds preview frames to hexin's `CaptureGuide` and turns each answer into `GuideState`. Plain
/// Swift: the camera screen hands it frames from its video queue and draws what it returns.
/// Sendable: its state is the `CaptureGuide`'s, which hexin guards with a lock.
public final class CameraGuide: Sendable {
    private let guide: CaptureGuide
    private let lang: Lang

    public init(policy: Policy, kind: MaterialKind, lang: Lang, config: GuideConfig? = nil) throws {
        guide = try CaptureGuide(policy: policy, kind: kind, config: config)
        self.lang = lang
    }

    /// Judges one frame on the caller's queue (a few milliseconds).
    public func onFrame(_ frame: PreviewFrame) -> GuideState {
        do {
            let answer = try guide.analyze(luma: frame.luma, width: Int32(clamping: frame.width), height: Int32(clamping: frame.height),
                                           rowStride: Int32(clamping: frame.rowStride), rotation: Int32(clamping: frame.rotation))
            let outline = answer.quad.map { q in [q.topLeft, q.topRight, q.bottomRight, q.bottomLeft].map { (x: $0.x, y: $0.y) } }
            return GuideState(hint: answer.hint, text: hintMessage(hint: answer.hint).text(lang), outline: outline,
                              readyCount: Int(answer.readyCount), takePhoto: answer.capture)
        } catch let error as HexinError {
            return GuideState(hint: nil, text: error.messages.text(lang), outline: nil, readyCount: 0, takePhoto: false)
        } catch {
            return GuideState(hint: nil, text: "\(error)", outline: nil, readyCount: 0, takePhoto: false)
        }
    }

    /// The photo was taken (or the preview restarted): the next auto-capture waits for a new
    /// steady spell.
    public func photoTaken() {
        try? guide.reset()
    }
}
