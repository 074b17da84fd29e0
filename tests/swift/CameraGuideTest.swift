// The iOS sample's CameraGuide (ios-sample/Logic) replaying the preview frames that
// `corpus --frames` recorded (tests/bindings.sh writes them to $HEXIN_FRAMES): the hint of every
// frame, the outline, and the moment of auto-capture.
import Foundation
import Hexin

/// Sequences where today's detector does not see what the frames draw (core/tests/guide.rs lists them).
let detectorGaps: Set<String> = ["approach"]

/// frames.json's sequences, in order: each frame and the hints it allows.
func recordedSequences(_ dir: URL) throws -> [(name: String, frames: [(frame: LumaFrame, expect: [String])])] {
    let index = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("frames.json"))) as! [String: Any]
    return try (index["sequences"] as! [[String: Any]]).map { sequence in
        let frames = try (sequence["frames"] as! [[String: Any]]).map { f in
            let frame = LumaFrame(luma: try Data(contentsOf: dir.appendingPathComponent(f["file"] as! String)),
                                      width: f["width"] as! Int, height: f["height"] as! Int, rowStride: f["stride"] as! Int,
                                      rotation: f["rotation"] as! Int)
            return (frame: frame, expect: f["expect"] as! [String])
        }
        return (name: sequence["name"] as! String, frames: frames)
    }
}

func cameraGuideFollowsRecordedFrames() throws {
    let sequences = try recordedSequences(URL(fileURLWithPath: path("HEXIN_FRAMES")))
    expect(sequences.count == 8, "\(sequences.map { $0.name })")
    let policy = Policy.icpDefault()
    var captured: [String: [Int]] = [:]
    for (name, frames) in sequences {
        // The selfie sequence is a face photo's: the guide looks for the face.
        let guide = try CameraGuide(policy: policy, kind: name == "selfie" ? .facePhoto : .idCardFront, lang: .en)
        let states = frames.map { guide.onFrame($0.frame) }
        for (i, state) in states.enumerated() {
            guard let hint = state.hint else { return expect(false, "\(name) frame \(i): \(state.text)") }
            let allowed = frames[i].expect
            expect(detectorGaps.contains(name) || allowed.contains(hintName(hint: hint)), "\(name) frame \(i): \(hint), allowed \(allowed)")
            expect(!state.text.isEmpty && (state.outline == nil) == (hint == .noDocument || hint == .noFace), "\(name) frame \(i): \(state)")
        }
        captured[name] = states.enumerated().filter { $0.element.takePhoto }.map { $0.offset }
    }
    // Eight ready frames: portrait_phone is ready from frame 1, shake_then_still from frame 11,
    // selfie from frame 4; approach has seven ready frames at its end, not enough.
    let expected: [String: [Int]] = ["empty_desk": [], "approach": [], "shake_then_still": [18], "glare": [], "too_dark": [],
                                     "strong_tilt": [], "portrait_phone": [8], "selfie": [11]]
    expect(captured == expected, "\(captured)")

    // After the photo the guide waits for a new steady spell; a frame that does not fit is an error shown as text.
    let guide = try CameraGuide(policy: policy, kind: .idCardBack, lang: .zh)
    let still = sequences.first { $0.name == "portrait_phone" }!.frames.map { $0.frame }
    let states = still.prefix(3).map { guide.onFrame($0) }
    expect(states.map { $0.readyCount } == [0, 1, 2] && states[2].text == "保持不动，即将拍摄", "\(states)")
    guide.photoTaken()
    expect(guide.onFrame(still[3]).readyCount == 0, "reset")
    let f = still[0]
    let bad = guide.onFrame(LumaFrame(luma: f.luma.prefix(1000), width: f.width, height: f.height, rowStride: f.rowStride, rotation: f.rotation))
    expect(bad.hint == nil && !bad.text.isEmpty && bad.outline == nil, "\(bad)")
    print("ok  camera guide: \(sequences.map { $0.frames.count }.reduce(0, +)) recorded frames, hints, outline, auto-capture at frames 8, 18 and 11 (the face)")
}
