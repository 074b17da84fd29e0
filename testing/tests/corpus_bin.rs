//! The `corpus` binary writes what the OpenCV peer and the mobile tests read.

use std::process::Command;

#[test]
fn writes_labels_and_frames_that_parse() {
    let dir = tempfile::tempdir().unwrap();
    let (out, frames) = (dir.path().join("corpus"), dir.path().join("frames"));
    let status = Command::new(env!("CARGO_BIN_EXE_corpus"))
        .args(["--width", "320", "--height", "240", "--out"])
        .arg(&out)
        .arg("--frames")
        .arg(&frames)
        .status()
        .unwrap();
    assert!(status.success());

    let labels: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("labels.json")).unwrap()).unwrap();
    assert_eq!(labels["recipe"], hexin_testing::corpus::RECIPE);
    let captures = labels["captures"].as_array().unwrap();
    assert_eq!(captures.len(), hexin_testing::corpus::plans().len());
    for c in captures {
        let jpeg = std::fs::read(out.join(c["file"].as_str().unwrap())).unwrap();
        assert_eq!(image::load_from_memory(&jpeg).unwrap().width(), 320);
        for key in ["kind", "texture", "case"] {
            assert!(c[key].is_string(), "{key} in {c}");
        }
        assert!(c["expect"].as_array().unwrap().iter().all(|e| e.is_string()));
        match &c["corners"] {
            serde_json::Value::Null => assert_eq!(c["case"], "empty_table"),
            q => assert!(q.as_array().unwrap().iter().all(|p| p.as_array().unwrap().iter().filter(|v| v.is_f64()).count() == 2), "{q}"),
        }
    }

    let index: serde_json::Value = serde_json::from_slice(&std::fs::read(frames.join("frames.json")).unwrap()).unwrap();
    let sequences = index["sequences"].as_array().unwrap();
    use hexin_testing::frames::Sequence;
    assert_eq!(sequences.len(), Sequence::ALL.len() + Sequence::FACES.len());
    let kinds: Vec<&str> = sequences.iter().map(|s| s["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.iter().filter(|&&k| k == "face-photo").count(), Sequence::FACES.len(), "{kinds:?}");
    for f in sequences.iter().flat_map(|s| s["frames"].as_array().unwrap()) {
        let bytes = std::fs::read(frames.join(f["file"].as_str().unwrap())).unwrap();
        assert_eq!(bytes.len() as u64, f["stride"].as_u64().unwrap() * f["height"].as_u64().unwrap());
    }

    let refused = Command::new(env!("CARGO_BIN_EXE_corpus")).args(["--width", "12"]).output().unwrap();
    assert_eq!(refused.status.code(), Some(2));
}

#[test]
fn writes_the_face_corpus_with_labels_that_parse() {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_corpus")).arg("--faces").arg(dir.path()).status().unwrap();
    assert!(status.success());
    let labels: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join("labels.json")).unwrap()).unwrap();
    assert_eq!(labels["recipe"], hexin_testing::faces::RECIPE);
    let captures = labels["captures"].as_array().unwrap();
    assert_eq!(captures.len(), hexin_testing::faces::plans().len());
    for c in captures {
        let jpeg = std::fs::read(dir.path().join(c["file"].as_str().unwrap())).unwrap();
        let img = image::load_from_memory(&jpeg).unwrap();
        assert_eq!((img.width() as u64, img.height() as u64), (c["width"].as_u64().unwrap(), c["height"].as_u64().unwrap()), "{c}");
        for key in ["kind", "case", "backdrop"] {
            assert!(c[key].is_string(), "{key} in {c}");
        }
        assert!(c["person"].is_string() || c["person"].is_null(), "{c}");
        assert!(c["roll"].is_f64(), "{c}");
        assert!(c["expect"].as_array().unwrap().iter().all(|e| e.is_string()));
        for b in c["faces"].as_array().unwrap() {
            assert!(b.as_array().unwrap().iter().filter(|v| v.is_f64()).count() == 4, "{b}");
        }
    }
}
