import AVFoundation
import SwiftUI

/// AVFoundation capture; hands the JPEG (EXIF and all) to the SDK unchanged.
struct CameraView: UIViewControllerRepresentable {
    let onPhoto: (Data) -> Void

    func makeUIViewController(context: Context) -> CameraController { CameraController(onPhoto: onPhoto) }
    func updateUIViewController(_ controller: CameraController, context: Context) {}
}

final class CameraController: UIViewController, AVCapturePhotoCaptureDelegate {
    private let session = AVCaptureSession()
    private let output = AVCapturePhotoOutput()
    private let onPhoto: (Data) -> Void

    init(onPhoto: @escaping (Data) -> Void) {
        self.onPhoto = onPhoto
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
        }
        let preview = AVCaptureVideoPreviewLayer(session: session)
        preview.frame = view.bounds
        preview.videoGravity = .resizeAspectFill
        view.layer.addSublayer(preview)
        let shutter = UIButton(type: .system, primaryAction: UIAction(title: "拍摄 · Shoot") { [weak self] _ in
            guard let self else { return }
            // JPEG, not HEIC: hexin refuses HEIC with a message (convert first).
            self.output.capturePhoto(with: AVCapturePhotoSettings(format: [AVVideoCodecKey: AVVideoCodecType.jpeg]), delegate: self)
        })
        shutter.frame = CGRect(x: 0, y: view.bounds.height - 120, width: view.bounds.width, height: 80)
        view.addSubview(shutter)
        DispatchQueue.global().async { self.session.startRunning() }
    }

    func photoOutput(_ output: AVCapturePhotoOutput, didFinishProcessingPhoto photo: AVCapturePhoto, error: Error?) {
        session.stopRunning()
        if let data = photo.fileDataRepresentation() { onPhoto(data) }
    }
}
