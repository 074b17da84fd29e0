//! Writes the generated document corpus, the face corpus and the preview-frame sequences to disk.
//!
//! `corpus --out DIR [--width W --height H] [--faces DIR] [--frames DIR]`
//!
//! - `--out DIR`: the captures as JPEGs and `labels.json` (default size 1600 × 1200);
//! - `--faces DIR`: the face corpus (`hexin_testing::faces`), its JPEGs and `labels.json`;
//! - `--frames DIR`: each sequence's frames (the document guide's and the face guide's) as raw
//!   luma buffers `NAME/NNN.y` (`stride * height` bytes) and `frames.json`, an index of them:
//!   `{"recipe", "sequences": [{"name", "kind", "frames": [{"file", "width", "height", "stride",
//!   "rotation", "corners", "expect"}]}]}`, `kind` the material whose guide replays them.

use hexin_testing::corpus::{corpus, labels_json, RECIPE};
use hexin_testing::faces;
use hexin_testing::frames::Sequence;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

struct Args {
    out: Option<PathBuf>,
    faces: Option<PathBuf>,
    frames: Option<PathBuf>,
    width: u32,
    height: u32,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args { out: None, faces: None, frames: None, width: 1600, height: 1200 };
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--out" => parsed.out = Some(value()?.into()),
            "--faces" => parsed.faces = Some(value()?.into()),
            "--frames" => parsed.frames = Some(value()?.into()),
            "--width" | "--height" => {
                let v = value()?;
                let n: u32 = v.parse().ok().filter(|n| (64..=8192).contains(n)).ok_or(format!("{flag} {v}: not a size from 64 to 8192"))?;
                if flag == "--width" { parsed.width = n } else { parsed.height = n }
            }
            _ => return Err(format!("unknown argument {flag}")),
        }
    }
    if parsed.width.max(parsed.height) > 2 * parsed.width.min(parsed.height) {
        return Err(format!("{}x{}: one side more than twice the other", parsed.width, parsed.height));
    }
    if parsed.out.is_none() && parsed.faces.is_none() && parsed.frames.is_none() {
        return Err("nothing to write: give --out DIR, --faces DIR and/or --frames DIR".into());
    }
    Ok(parsed)
}

fn write_corpus(dir: &Path, width: u32, height: u32) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let captures = corpus(width, height);
    for c in &captures {
        std::fs::write(dir.join(&c.file), &c.jpeg)?;
    }
    std::fs::write(dir.join("labels.json"), labels_json(&captures))?;
    Ok(captures.len())
}

fn write_faces(dir: &Path) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let captures = faces::corpus();
    for c in &captures {
        std::fs::write(dir.join(&c.file), &c.jpeg)?;
    }
    std::fs::write(dir.join("labels.json"), faces::labels_json(&captures))?;
    Ok(captures.len())
}

fn write_frames(dir: &Path) -> std::io::Result<usize> {
    let mut sequences = Vec::new();
    let mut count = 0;
    for sequence in Sequence::ALL.into_iter().chain(Sequence::FACES) {
        std::fs::create_dir_all(dir.join(sequence.name()))?;
        let mut index = Vec::new();
        for (i, f) in sequence.frames().into_iter().enumerate() {
            let file = format!("{}/{i:03}.y", sequence.name());
            std::fs::write(dir.join(&file), &f.luma)?;
            index.push(serde_json::json!({
                "file": file, "width": f.width, "height": f.height, "stride": f.stride,
                "rotation": f.rotation, "corners": f.corners, "expect": f.expect,
            }));
            count += 1;
        }
        sequences.push(serde_json::json!({ "name": sequence.name(), "kind": sequence.kind(), "frames": index }));
    }
    let json = serde_json::json!({ "recipe": RECIPE, "sequences": sequences });
    std::fs::write(dir.join("frames.json"), serde_json::to_string_pretty(&json).expect("index serializes"))?;
    Ok(count)
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("corpus: {e}\nusage: corpus --out DIR [--width W --height H] [--faces DIR] [--frames DIR]");
            return ExitCode::from(2);
        }
    };
    let run = || -> std::io::Result<()> {
        if let Some(dir) = &args.out {
            let n = write_corpus(dir, args.width, args.height)?;
            println!("{n} captures at {}x{} in {}", args.width, args.height, dir.display());
        }
        if let Some(dir) = &args.faces {
            let n = write_faces(dir)?;
            println!("{n} face captures in {}", dir.display());
        }
        if let Some(dir) = &args.frames {
            let n = write_frames(dir)?;
            println!("{n} frames of {} sequences in {}", Sequence::ALL.len() + Sequence::FACES.len(), dir.display());
        }
        Ok(())
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("corpus: {e}");
            ExitCode::FAILURE
        }
    }
}
