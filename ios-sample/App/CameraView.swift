import AVFoundation
import Hexin
import SwiftUI

/// AVFoundation capture; hands the JPEG (EXIF and all) to the SDK unchanged, on the main actor.
/// The photo's EXIF orientation and the preview frames' rotation follow the way the phone is
/// held (`AVCaptureDevice.RotationCoordinator`). For a document, `CameraGuide` (Logic/) judges
/// every preview frame: the hint shows at the top, the document's outline over the preview, and
/// after enough steady frames the photo is taken by itself.
struct CameraView: UIViewControllerRepresentable {
    let kind: MaterialKind
    let onPhoto: @MainActor (Data) -> Void

    func makeUIViewController(context: Context) -> CameraController { CameraController(kind: kind, onPhoto: onPhoto) }
    func updateUIViewController(_ controller: CameraController, context: Context) {}
}

/// Plane 0 (luma) of a bi-planar 4:2:0 video frame, read in place while the pixel buffer is
/// locked; `rotation` is the clockwise turn that makes it upright.
enum VideoFrame {
    /// Calls `body` with the frame of `sample`; its bytes are valid only during the call.
    static func with<T>(_ sample: CMSampleBuffer, rotation: Int, _ body: (LumaFrame) -> T) -> T? {
        guard let pixels = CMSampleBufferGetImageBuffer(sample) else { return nil }
        CVPixelBufferLockBaseAddress(pixels, .readOnly)
        defer { CVPixelBufferUnlockBaseAddress(pixels, .readOnly) }
        guard let base = CVPixelBufferGetBaseAddressOfPlane(pixels, 0) else { return nil }
        let height = CVPixelBufferGetHeightOfPlane(pixels, 0)
        let rowStride = CVPixelBufferGetBytesPerRowOfPlane(pixels, 0)
        let luma = Data(bytesNoCopy: base, count: rowStride * height, deallocator: .none)
        return body(LumaFrame(luma: luma, width: CVPixelBufferGetWidthOfPlane(pixels, 0), height: height, rowStride: rowStride, rotation: rotation))
    }
}

final class CameraController: UIViewController, AVCapturePhotoCaptureDelegate, AVCaptureVideoDataOutputSampleBufferDelegate {
    private let session = AVCaptureSession()
    private let output = AVCapturePhotoOutput()
    private let video = AVCaptureVideoDataOutput()
    private let frames = DispatchQueue(label: "hexin.guide")
    private let onPhoto: @MainActor (Data) -> Void
    /// nil for kinds without a document (face photo, other).
    private let guide: CameraGuide?
    private let hint = UILabel()
    private let outline = CAShapeLayer()
    private var preview: AVCaptureVideoPreviewLayer?
    private var rotation: AVCaptureDevice.RotationCoordinator?
    private var observation: NSKeyValueObservation?
    /// The preview frames' clockwise turn to upright, read on the frames' queue.
    private let frameRotation = Rotation()

    init(kind: MaterialKind, onPhoto: @escaping @MainActor (Data) -> Void) {
        self.onPhoto = onPhoto
        guide = try? CameraGuide(policy: Policy.icpDefault(), kind: kind, lang: .zh)
        super.init(nibName: nil, bundle: nil)
    }

    required init?(coder: NSCoder) { nil }

    override func viewDidLoad() {
        super.viewDidLoad()
        session.sessionPreset = .photo
        if let camera = AVCaptureDevice.default(.builtInWideAngleCamera, for: .video, position: .back),
           let input = try? AVCaptureDeviceInput(device: camera), session.canAddInput(input), session.canAddOutput(output) {
            session.addInput(input)
            session.addOutput(output)
            if guide != nil, session.canAddOutput(video) {
                video.videoSettings = [kCVPixelBufferPixelFormatTypeKey as String: kCVPixelFormatType_420YpCbCr8BiPlanarFullRange]
                video.alwaysDiscardsLateVideoFrames = true
                video.setSampleBufferDelegate(self, queue: frames)
                session.addOutput(video)
            }
        }
        let preview = AVCaptureVideoPreviewLayer(session: session)
        if let camera = (session.inputs.first as? AVCaptureDeviceInput)?.device {
            let coordinator = AVCaptureDevice.RotationCoordinator(device: camera, previewLayer: preview)
            frameRotation.degrees = quarterTurn(degrees: coordinator.videoRotationAngleForHorizonLevelCapture)
            observation = coordinator.observe(\.videoRotationAngleForHorizonLevelCapture, options: [.new]) { [frameRotation] c, _ in
                frameRotation.degrees = quarterTurn(degrees: c.videoRotationAngleForHorizonLevelCapture)
            }
            rotation = coordinator
        }
        preview.frame = view.bounds
        // The whole frame, so the outline's 0...1 coordinates map onto the preview's rectangle.
        preview.videoGravity = .resizeAspect
        view.layer.addSublayer(preview)
        self.preview = preview
        outline.fillColor = nil
        outline.lineWidth = 4
        view.layer.addSublayer(outline)
        hint.frame = CGRect(x: 16, y: 48, width: view.bounds.width - 32, height: 40)
        hint.textColor = .white
        hint.textAlignment = .center
        view.addSubview(hint)
        let shutter = UIButton(type: .system, primaryAction: UIAction(title: "拍摄 · Shoot") { [weak self] _ in self?.shoot() })
        shutter.frame = CGRect(x: 0, y: view.bounds.height - 120, width: view.bounds.width, height: 80)
        view.addSubview(shutter)
        DispatchQueue.global().async { self.session.startRunning() }
    }

    private func shoot() {
        // The photo's EXIF orientation: upright as the phone is held now.
        if let rotation, let connection = output.connection(with: .video),
           connection.isVideoRotationAngleSupported(rotation.videoRotationAngleForHorizonLevelCapture) {
            connection.videoRotationAngle = rotation.videoRotationAngleForHorizonLevelCapture
        }
        // JPEG, not HEIC: hexin refuses HEIC with a message (convert first).
        output.capturePhoto(with: AVCapturePhotoSettings(format: [AVVideoCodecKey: AVVideoCodecType.jpeg]), delegate: self)
    }

    nonisolated func captureOutput(_ output: AVCaptureOutput, didOutput sample: CMSampleBuffer, from connection: AVCaptureConnection) {
        guard let guide, let state = VideoFrame.with(sample, rotation: frameRotation.degrees, { guide.onFrame($0) }) else { return }
        if state.takePhoto { guide.photoTaken() }
        DispatchQueue.main.async { self.show(state) }
    }

    private func show(_ state: GuideState) {
        hint.text = state.text
        outline.strokeColor = (state.hint == .ready ? UIColor.green : UIColor.yellow).cgColor
        if let corners = state.outline, let preview {
            // The rectangle the preview draws the (upright) frame in.
            let frame = preview.layerRectConverted(fromMetadataOutputRect: CGRect(x: 0, y: 0, width: 1, height: 1))
            let path = UIBezierPath()
            for (i, c) in corners.enumerated() {
                let p = CGPoint(x: frame.minX + c.x * frame.width, y: frame.minY + c.y * frame.height)
                if i == 0 { path.move(to: p) } else { path.addLine(to: p) }
            }
            path.close()
            outline.path = path.cgPath
        } else {
            outline.path = nil
        }
        if state.takePhoto { shoot() }
    }

    /// Called on AVFoundation's queue: only the bytes cross to the main actor, where the screen's
    /// state and the model live.
    nonisolated func photoOutput(_ output: AVCapturePhotoOutput, didFinishProcessingPhoto photo: AVCapturePhoto, error: Error?) {
        let data = photo.fileDataRepresentation()
        DispatchQueue.main.async {
            self.session.stopRunning()
            if let data { self.onPhoto(data) }
        }
    }
}

/// A rotation written on the main thread and read on the frames' queue.
final class Rotation: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 90

    var degrees: Int {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
