package org.hexin.sample.android

import android.Manifest
import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.activity.result.contract.ActivityResultContracts
import androidx.camera.core.ImageCapture
import androidx.camera.core.ImageCaptureException
import androidx.camera.core.ImageProxy
import androidx.camera.view.LifecycleCameraController
import androidx.camera.view.PreviewView
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.platform.LocalLifecycleOwner
import androidx.compose.ui.unit.dp
import androidx.compose.ui.viewinterop.AndroidView
import androidx.core.content.ContextCompat
import androidx.lifecycle.viewmodel.compose.viewModel
import androidx.compose.foundation.Canvas
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.aspectRatio
import androidx.compose.runtime.DisposableEffect
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.Path
import androidx.compose.ui.graphics.drawscope.Stroke
import java.util.concurrent.Executors
import org.hexin.Policy
import org.hexin.subjectName
import org.hexin.core.HexinException
import org.hexin.core.Hint
import org.hexin.sample.CameraGuide
import org.hexin.sample.GuideState
import org.hexin.sample.Lang
import org.hexin.sample.PreviewFrame
import org.hexin.core.MaterialKind
import org.hexin.core.Slot
import org.hexin.core.SubjectKind
import org.hexin.sample.OutboxOpening
import org.hexin.sample.OwnerSteps
import org.hexin.sample.withRotation
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.TextButton
import org.hexin.sample.Phase
import org.hexin.sample.Step
import org.hexin.sample.StepStatus
import androidx.compose.foundation.horizontalScroll
import androidx.compose.foundation.rememberScrollState
import androidx.compose.material3.FilterChip
import androidx.compose.material3.OutlinedTextField

/** The UI: render [FilingViewModel]'s state, forward taps and photos. No logic lives here. */
class MainActivity : ComponentActivity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        ResumeWorker.schedule(this) // anything left from an earlier run goes out in the background
        registerForActivityResult(ActivityResultContracts.RequestPermission()) {}.launch(Manifest.permission.CAMERA)
        setContent { MaterialTheme { FilingScreen() } }
    }
}

@Composable
fun FilingScreen(model: FilingViewModel = viewModel()) {
    when (val opening = model.opening) {
        is OutboxOpening.KeyLost -> return ResetScreen(opening.reason, onReset = { model.resetOutbox() })
        is OutboxOpening.Unavailable -> return Column(Modifier.padding(16.dp)) {
            Text("无法读取密钥，请解锁设备后重试 · The key cannot be read now: unlock the device and retry.\n${opening.error.message}")
            Button(onClick = { model.retryOpen() }) { Text("重试 · Retry") }
        }
        is OutboxOpening.Opened -> {}
    }
    val flow = model.flow ?: return
    val state by flow.state.collectAsState()
    var capturing by remember { mutableStateOf<Slot?>(null) }
    capturing?.let { slot ->
        CameraScreen(slot.kind, onPhoto = { jpeg -> capturing = null; model.capture(slot, jpeg) })
        return
    }
    Column(Modifier.fillMaxSize().padding(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        state.error?.let { Text(it, color = MaterialTheme.colorScheme.error) }
        when (val phase = state.phase) {
            Phase.NotStarted -> StartScreen(onStart = { subject, province -> model.start(subject, province) })
            Phase.Capturing -> {
                LazyColumn(Modifier.weight(1f), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    // The form first: the people and websites it names decide whose photos are asked for.
                    item { FieldsForm(model.subject, model.form, state.fieldProblems, onChange = { model.form = it }, onSave = { model.save() }) }
                    state.next?.let { next -> item { Button(onClick = { capturing = next.slot }, Modifier.fillMaxWidth()) { Text("下一张 · Next: ${next.ownerName} · ${next.title}") } } }
                    items(state.byOwner, key = { it.owner }) { owner -> OwnerCard(owner, onShoot = { capturing = it.slot }) }
                }
                Button(onClick = { model.submit() }, enabled = state.readyToSubmit, modifier = Modifier.fillMaxWidth()) {
                    Text("提交 · Submit")
                }
            }
            Phase.Sealing -> Text("封装中… Sealing…")
            is Phase.Uploading -> {
                LinearProgressIndicator(progress = { if (phase.total > 0) phase.sent.toFloat() / phase.total else 0f }, modifier = Modifier.fillMaxWidth())
                Text("${phase.sent / 1024} / ${phase.total / 1024} KiB")
                Button(onClick = { model.pause() }) { Text("暂停 · Pause") }
            }
            is Phase.Paused -> {
                phase.reason?.let { Text(it) }
                Button(onClick = { model.resumeUpload() }) { Text("继续上传 · Resume") }
            }
            is Phase.Delivered -> Text("已提交 · Delivered\n${phase.digest}")
        }
    }
}

/**
 * The outbox's key is gone (the Keystore key was invalidated, or the app's data came back
 * without it): its drafts and unsent packages can never be read. Says so, and deletes them only
 * when the applicant confirms.
 */
@Composable
fun ResetScreen(reason: String, onReset: () -> Unit) = Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
    var confirming by remember { mutableStateOf(false) }
    Text("已保存的材料无法解密 · The saved materials cannot be decrypted ($reason).")
    Text("重置将删除所有草稿和未上传的申请，需要重新拍摄。· Resetting deletes every draft and unsent application; you will take the photos again.")
    Button(onClick = { confirming = true }) { Text("重置 · Reset") }
    if (confirming) AlertDialog(
        onDismissRequest = { confirming = false },
        title = { Text("删除所有草稿？· Delete every draft?") },
        text = { Text("此操作无法撤销。· This cannot be undone.") },
        confirmButton = { TextButton(onClick = { confirming = false; onReset() }) { Text("删除 · Delete") } },
        dismissButton = { TextButton(onClick = { confirming = false }) { Text("取消 · Cancel") } },
    )
}

/** The subject type and the province (GB/T 2260 code or name) of a new application. */
@Composable
fun StartScreen(onStart: (SubjectKind, String) -> Unit) = Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
    var subject by remember { mutableStateOf(SubjectKind.INDIVIDUAL) }
    var province by remember { mutableStateOf("11") }
    Row(Modifier.horizontalScroll(rememberScrollState()), horizontalArrangement = Arrangement.spacedBy(4.dp)) {
        for (kind in SubjectKind.entries) {
            FilterChip(selected = subject == kind, onClick = { subject = kind }, label = { Text(subjectName(kind).zh) })
        }
    }
    OutlinedTextField(province, { province = it }, label = { Text("省份 Province (31 / 上海)") }, modifier = Modifier.fillMaxWidth())
    Button(onClick = { onStart(subject, province) }) { Text("开始备案 · Start") }
}

/** One owner's materials: the subject's certificate, a person's ID document and face, a website's forms. */
@Composable
fun OwnerCard(owner: OwnerSteps, onShoot: (Step) -> Unit) = Card(Modifier.fillMaxWidth()) {
    Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Text(owner.name, style = MaterialTheme.typography.titleLarge)
        owner.steps.forEach { step -> StepRow(step, onShoot = { onShoot(step) }) }
    }
}

@Composable
fun StepRow(step: Step, onShoot: () -> Unit) {
    Column {
        Text(step.title, style = MaterialTheme.typography.titleMedium)
        when (val s = step.status) {
            StepStatus.Pending -> Button(onClick = onShoot) { Text("拍摄 · Take photo") }
            StepStatus.Checking -> LinearProgressIndicator(Modifier.fillMaxWidth())
            is StepStatus.Accepted -> Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Text("✓ ${s.width}×${s.height}, ${s.bytes / 1024} KiB")
                Button(onClick = onShoot) { Text("重拍 · Retake") }
            }
            is StepStatus.Rejected -> Column {
                s.reasons.forEach { Text(it, color = MaterialTheme.colorScheme.error) }
                Button(onClick = onShoot) { Text("重拍 · Retake") }
            }
        }
        if (step.status is StepStatus.Accepted) {
            (step.status as StepStatus.Accepted).warnings.forEach { Text(it) }
        }
    }
}

/**
 * CameraX preview and a shutter; hands the JPEG to the SDK with its EXIF orientation set from
 * CameraX's `rotationDegrees` ([withRotation]), so hexin sees it upright. For a
 * document, [CameraGuide] judges every preview frame (ImageAnalysis, on its own thread): the
 * hint shows above the preview, the document's outline over it, and after enough steady frames
 * the photo is taken by itself. The preview box keeps the analysis frames' 3:4 (portrait) shape
 * and shows the whole frame, so the outline's 0..1 coordinates map onto it directly.
 */
@Composable
fun CameraScreen(kind: MaterialKind, onPhoto: (ByteArray) -> Unit) {
    val context = LocalContext.current
    val owner = LocalLifecycleOwner.current
    val camera = remember {
        LifecycleCameraController(context).apply {
            setEnabledUseCases(LifecycleCameraController.IMAGE_CAPTURE or LifecycleCameraController.IMAGE_ANALYSIS)
            imageCaptureMode = ImageCapture.CAPTURE_MODE_MAXIMIZE_QUALITY
            bindToLifecycle(owner)
        }
    }
    // Releases the camera when this screen goes, not when the activity is destroyed.
    DisposableEffect(camera) { onDispose { camera.unbind() } }
    // Face photos and free-form material have no document to guide to.
    val guide = remember(kind) { try { CameraGuide(Policy.icpDefault(), kind, Lang.ZH) } catch (e: HexinException) { null } }
    var guidance by remember { mutableStateOf(GuideState()) }
    val shoot = {
        camera.takePicture(ContextCompat.getMainExecutor(context), object : ImageCapture.OnImageCapturedCallback() {
            override fun onCaptureSuccess(image: ImageProxy) {
                val buffer = image.planes[0].buffer
                val jpeg = ByteArray(buffer.remaining()).also { buffer.get(it) }
                val rotation = image.imageInfo.rotationDegrees
                image.close()
                onPhoto(withRotation(jpeg, rotation))
            }

            override fun onError(exception: ImageCaptureException) {}
        })
    }
    DisposableEffect(guide) {
        val frames = Executors.newSingleThreadExecutor()
        guide?.let { g ->
            camera.setImageAnalysisAnalyzer(frames) { image ->
                // The Y plane of YUV_420_888 (pixel stride 1), read in place before the image is closed.
                val y = image.planes[0]
                val state = g.onFrame(PreviewFrame(y.buffer, image.width, image.height, y.rowStride, image.imageInfo.rotationDegrees))
                image.close()
                ContextCompat.getMainExecutor(context).execute {
                    guidance = state
                    if (state.takePhoto) {
                        g.photoTaken()
                        shoot()
                    }
                }
            }
        }
        onDispose {
            camera.clearImageAnalysisAnalyzer()
            frames.shutdown()
            guide?.close()
        }
    }
    Column(Modifier.fillMaxSize()) {
        if (guide != null) Text(guidance.text, Modifier.fillMaxWidth().padding(8.dp))
        Box(Modifier.weight(1f).aspectRatio(3f / 4f)) {
            AndroidView(factory = { PreviewView(it).apply { controller = camera; scaleType = PreviewView.ScaleType.FIT_CENTER } }, modifier = Modifier.matchParentSize())
            Canvas(Modifier.matchParentSize()) {
                val outline = guidance.outline ?: return@Canvas
                val path = Path().apply {
                    outline.forEachIndexed { i, (x, y) -> if (i == 0) moveTo(x.toFloat() * size.width, y.toFloat() * size.height) else lineTo(x.toFloat() * size.width, y.toFloat() * size.height) }
                    close()
                }
                drawPath(path, if (guidance.hint == Hint.READY) Color.Green else Color.Yellow, style = Stroke(width = 4.dp.toPx()))
            }
        }
        Button(onClick = shoot, modifier = Modifier.fillMaxWidth().height(64.dp)) { Text("拍摄 · Shoot") }
    }
}
