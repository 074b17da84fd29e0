/// The clockwise quarter turn (0, 90, 180 or 270) nearest to `degrees`: what `CaptureGuide`
/// takes as a preview frame's rotation, from `AVCaptureDevice.RotationCoordinator`'s
/// `videoRotationAngleForHorizonLevelCapture` (which iOS may report as, say, 89.99 or -90).
public func quarterTurn(degrees: Double) -> Int {
    guard degrees.isFinite else { return 0 }
    let quarters = Int((degrees.truncatingRemainder(dividingBy: 360) / 90).rounded())
    return (quarters + 4) % 4 * 90
}
