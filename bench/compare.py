#!/usr/bin/env python3
"""hexin vs a Pillow + OpenCV reference: the whole pipeline on 12 MP camera JPEGs, on one core.

Run it through `bash bench/compare.sh`, which sets up the Python environment, builds hexin's
`bench_pipeline` binary (hexin-bench), pins everything to one core and calls the subcommands below:

  compare.py prepare --out DIR --hexin BIN [--real DIR]   make the test photos (idempotent)
  compare.py run --hexin BIN --photos DIR [...]            the comparison; writes bench/RESULTS.md
  compare.py reference [--repeat N] [--warmup W] FILE      the reference pipeline (a worker process)
  compare.py reference --once [--save-output OUT] FILE     one run, for peak memory
  compare.py reference --document FILE                     the same with the document step
  compare.py reference --imports-only                      the interpreter + imports, for memory
  compare.py memory -- CMD...                              CMD's peak RSS, from a lean launcher

Each photo carries its material kind. A photo of a document (the synthetic ID card on a table)
runs hexin's `check` as that kind (`bench_pipeline --material id-card-front`: find the card,
straighten it, measure it, output it) and the reference with its document step; a photo with no
document (the real camera photos) runs as `other` (the whole frame) on both sides. `run` stops
when either side does not find the document of a document photo: the times would not measure
the same work.

The reference does, per photo: decode (Pillow, libjpeg-turbo), ImageOps.exif_transpose; for a
document photo, the document step: the document looked for as bench/scanner.py does, on a copy
shrunk to long side 640 or less, and the full-resolution image warped to it at long side 2048
(instead of resizing the whole frame); then the variance of the Laplacian of the grayscale image
(cv2.Laplacian), for a photo with no document a LANCZOS resize to long side 2048 (the policy
cap), a bisection over JPEG quality 50..92 for the highest quality under 2,000,000 bytes
(baseline, 4:2:0, Huffman tables of the kind hexin writes), and SHA-256.
"""

import argparse
import datetime
import hashlib
import io
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# Keep every library single-threaded before numpy / OpenCV load.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS", "RAYON_NUM_THREADS"):
    os.environ[_var] = "1"

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# The policy values the reference mirrors (core/policies/icp-default.toml).
LONG_SIDE = 2048
BUDGET = 2_000_000
Q_MIN, Q_MAX = 50, 92

# Bump when the recipe below changes, so cached photos are rebuilt.
PHOTO_RECIPE = 2


# --------------------------------------------------------------------------------------------
# The reference pipeline


def fit_within(w, h, long_side):
    """Same rounding as hexin's analysis::fit_within."""
    long = max(w, h)
    if long <= long_side:
        return w, h
    scale = lambda v: max(1, (v * long_side + long // 2) // long)
    return scale(w), scale(h)


def reference(data, optimize, budget=BUDGET, timings=None, document=False):
    """The reference pipeline on one JPEG's bytes; returns ((quality, jpeg) or None, encodes,
    laplacian variance, digest). `document`: crop to the document found, as the module doc says."""
    import cv2
    import numpy as np
    from PIL import Image, ImageOps

    lap = time.perf_counter
    t = lap()
    stages = {}
    found = None

    def mark(name):
        nonlocal t
        now = lap()
        stages[name] = (now - t) * 1e3
        t = now

    im = Image.open(io.BytesIO(data))
    im.load()
    mark("decode")
    try:
        ImageOps.exif_transpose(im, in_place=True)
    except Exception:  # a broken EXIF block: no rotation, as hexin does
        pass
    if im.mode != "RGB":
        im = im.convert("RGB")
    mark("orient")
    if document:
        import scanner

        crop = scanner.reference_crop(np.asarray(im), LONG_SIDE)
        mark("document")
        found = crop is not None
        if found:
            im = Image.fromarray(crop)
    gray = np.asarray(im.convert("L"))
    # CV_16S holds every value of the 3x3 Laplacian of 8-bit input exactly, so the variance is
    # the same as with CV_64F, without a 97 MB float plane.
    _, std = cv2.meanStdDev(cv2.Laplacian(gray, cv2.CV_16S))
    variance = float(std[0][0]) ** 2
    del gray
    mark("laplacian")
    w, h = im.size
    tw, th = fit_within(w, h, LONG_SIDE)
    if (tw, th) != (w, h):
        im = im.resize((tw, th), Image.LANCZOS)
    mark("resize")
    lo, hi, best, encodes = Q_MIN, Q_MAX, None, 0
    while lo <= hi:
        q = lo + (hi - lo + 1) // 2  # the same bisection as hexin_testing::quality::bisect
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=q, subsampling=2, optimize=optimize)
        encodes += 1
        jpeg = buf.getvalue()
        if len(jpeg) <= budget:
            best, lo = (q, jpeg), q + 1
        else:
            if q == Q_MIN:
                break
            hi = q - 1
    mark("search")
    digest = hashlib.sha256(best[1]).hexdigest() if best else None
    mark("sha256")
    if timings is not None:
        timings.append(stages)
    return best, encodes, variance, digest, {"found": found, "output": list(im.size)}


def cmd_reference(args):
    import cv2

    cv2.setNumThreads(1)
    if args.imports_only:
        import numpy  # noqa: F401
        from PIL import Image, ImageOps  # noqa: F401
        print(json.dumps({"imports_only": True}))
        return 0
    data = open(args.file, "rb").read()
    optimize = bool(args.optimize)
    runs, stages = [], []
    n = 1 if args.once else args.warmup + args.repeat
    for i in range(n):
        timings = []
        start = time.perf_counter()
        best, encodes, variance, digest, shape = reference(data, optimize, args.budget, timings, args.document)
        elapsed = (time.perf_counter() - start) * 1e3
        if args.once or i >= args.warmup:
            runs.append(elapsed)
            stages.append(timings[0])
    if args.save_output and best:
        with open(args.save_output, "wb") as f:
            f.write(best[1])
    print(json.dumps({
        "file": args.file,
        "median_ms": statistics.median(runs),
        "runs_ms": [round(r, 3) for r in runs],
        "stages_ms": {k: statistics.median(s[k] for s in stages) for k in stages[0]},
        "quality": best[0] if best else None,
        "bytes": len(best[1]) if best else None,
        "encodes": encodes,
        "laplacian_var": round(variance, 3),
        "sha256": digest,
        # With --document: whether the scanner found the document whole (None: not asked).
        "document_found": shape["found"],
        "output": shape["output"],
    }))
    return 0


# --------------------------------------------------------------------------------------------
# Test photos


# The material kind of the synthetic photos: `--write-synthetic` draws an ID-1 card (85.6 x 54 mm,
# aspect 1.586), the aspect the policy expects of id-card-front.
DOCUMENT_KIND = "id-card-front"


def photo_list(out_dir, real_dir):
    """(name, path, source, kind, description); the source says whether the pixels are a real
    camera's, the kind what `check` runs as (`other`: no document in the photo)."""
    photos = []
    if real_dir:
        photos += [
            ("HMD_Nokia_8.3_5G", os.path.join(real_dir, "HMD_Nokia_8.3_5G.jpg"), "real", "other",
             "phone camera, 4608x1976 (9.1 MP), as shot"),
            # corrupted.jpg (10 MP) is left out: its scan data is damaged, and hexin refuses it as
            # corrupt_image where the reference decodes it, so the two do different work.
            ("jolla-12mp", os.path.join(out_dir, "jolla-12mp.jpg"), "upscaled", "other",
             "jolla.jpg (3264x2448) upscaled to 4032x3024, q92, EXIF kept"),
            ("HMD_Nokia-12mp", os.path.join(out_dir, "HMD_Nokia-12mp.jpg"), "upscaled", "other",
             "HMD_Nokia centre 4:3 crop (2635x1976) upscaled to 4032x3024, q92, EXIF kept"),
        ]
    photos += [
        ("synthetic", os.path.join(out_dir, "synthetic.jpg"), "synthetic", DOCUMENT_KIND,
         "4032x3024: an ID card (3024x1907 px) on a grey table, sensor noise 3, q92 (bench_pipeline --write-synthetic)"),
        ("synthetic-rot90", os.path.join(out_dir, "synthetic-rot90.jpg"), "synthetic", DOCUMENT_KIND,
         "the same, tagged EXIF orientation 6 (a portrait-held phone): exercises the orient step"),
    ]
    return photos


def cmd_prepare(args):
    from PIL import Image

    os.makedirs(args.out, exist_ok=True)
    stamp = os.path.join(args.out, "recipe")
    # The synthetic photos come from testing/src/synthetic.rs: a change there remakes them too.
    support = os.path.join(ROOT, "testing", "src", "synthetic.rs")
    recipe = f"{PHOTO_RECIPE} {hashlib.sha256(open(support, 'rb').read()).hexdigest()[:16]}"
    fresh = not os.path.exists(stamp) or open(stamp).read().strip() != recipe
    real = args.real if args.real and os.path.isdir(args.real) else None
    if not real:
        print(f"compare: no real photos at {args.real!r}; benchmarking synthetic photos only", file=sys.stderr)

    def needed(path):
        return fresh or not os.path.exists(path)

    def upscale(src, dst, crop_to_4_3):
        im = Image.open(src)
        exif = im.info.get("exif")
        im = im.convert("RGB")
        if crop_to_4_3:
            w, h = im.size
            cw = min(w, h * 4 // 3)
            ch = cw * 3 // 4
            left, top = (w - cw) // 2, (h - ch) // 2
            im = im.crop((left, top, left + cw, top + ch))
        im = im.resize((4032, 3024), Image.LANCZOS)
        tmp = dst + ".tmp"
        im.save(tmp, "JPEG", quality=92, exif=exif or b"")
        os.replace(tmp, dst)

    if real:
        jolla = os.path.join(args.out, "jolla-12mp.jpg")
        if needed(jolla):
            upscale(os.path.join(real, "jolla.jpg"), jolla, crop_to_4_3=False)
        nokia = os.path.join(args.out, "HMD_Nokia-12mp.jpg")
        if needed(nokia):
            upscale(os.path.join(real, "HMD_Nokia_8.3_5G.jpg"), nokia, crop_to_4_3=True)
    for name, orientation in (("synthetic.jpg", 1), ("synthetic-rot90.jpg", 6)):
        path = os.path.join(args.out, name)
        if needed(path):
            subprocess.run([args.hexin, "--write-synthetic", path + ".tmp", "--orientation", str(orientation)], check=True)
            os.replace(path + ".tmp", path)
    with open(stamp, "w") as f:
        f.write(recipe + "\n")
    manifest = [dict(zip(("name", "path", "source", "kind", "description"), p)) for p in photo_list(args.out, real)]
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    for p in manifest:
        im = Image.open(p["path"])
        print(f"  {p['name']:<18} {im.size[0]}x{im.size[1]} {os.path.getsize(p['path']) / 1e6:5.2f} MB  {p['source']}")
    return 0


# --------------------------------------------------------------------------------------------
# The comparison


def run_json(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def wait4_maxrss(cmd):
    """Runs `cmd` as a fresh process; returns (its stdout, its ru_maxrss in bytes, from wait4)."""
    with tempfile.TemporaryFile() as err:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err)
        out = p.stdout.read()
        p.stdout.close()
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{cmd} failed ({p.returncode}): {err.read().decode(errors='replace')}")
    return out.decode(), usage.ru_maxrss * 1024  # kilobytes on Linux


def cmd_memory(args):
    """Runs one command and prints its peak RSS: the lean launcher `peak_rss` goes through."""
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    out, maxrss = wait4_maxrss(command)
    print(json.dumps({"maxrss": maxrss, "stdout": out}))
    return 0


def peak_rss(cmd):
    """Runs `cmd` as a fresh process; returns (its JSON lines, its own peak RSS in bytes).

    Linux carries the forking process's resident size into the child's ru_maxrss (exec records
    the old address space's high-water mark, and fork/vfork start from the parent's), so a
    child forked straight from this driver, grown large by numpy and decoded images, would
    report the driver's size. A fresh, lean interpreter (standard library only, about 10 MB)
    launches it instead and reads wait4's ru_maxrss.
    """
    launcher = [sys.executable, "-S", os.path.abspath(__file__), "memory", "--"]
    out, _ = wait4_maxrss(launcher + cmd)
    res = json.loads(out)
    lines = [json.loads(line) for line in res["stdout"].splitlines() if line.strip()]
    return lines, res["maxrss"]


def image_size(path):
    from PIL import Image

    with Image.open(path) as im:
        return list(im.size)


def mean_abs_diff(a, b):
    """Mean absolute RGB difference between two images, compared at 256 px wide; infinite when
    their shapes differ by over 1 % (two document finders may crop a few pixels apart, but a
    different shape is a different picture)."""
    import numpy as np
    from PIL import Image

    ia, ib = Image.open(a).convert("RGB"), Image.open(b).convert("RGB")
    ra, rb = ia.size[1] / ia.size[0], ib.size[1] / ib.size[0]
    if abs(ra - rb) > 0.01 * ra:
        return float("inf")
    size = (256, max(1, round(256 * ra)))
    xa = np.asarray(ia.resize(size, Image.BOX), dtype=np.int16)
    xb = np.asarray(ib.resize(size, Image.BOX), dtype=np.int16)
    return float(np.abs(xa - xb).mean())


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def machine():
    model = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": model, "kernel": platform.release()}


def versions(hexin):
    import cv2
    import numpy
    import PIL
    from PIL import features

    def cmd(c):
        try:
            return subprocess.run(c, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return "unknown"

    return {
        "rustc": cmd(["rustc", "--version"]),
        "python": platform.python_version(),
        "pillow": PIL.__version__,
        "libjpeg-turbo": features.version("libjpeg_turbo") or "no",
        "opencv": cv2.__version__,
        "numpy": numpy.__version__,
        "commit": cmd(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]),
        "dirty": bool(cmd(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"])),
    }


def huffman_tables(jpeg):
    """The set of Huffman tables (class, id, counts, symbols) in a JPEG's DHT segments."""
    tables, i = set(), 2
    while i + 4 <= len(jpeg) and jpeg[i] == 0xFF:
        marker, length = jpeg[i + 1], int.from_bytes(jpeg[i + 2:i + 4], "big")
        if marker == 0xDA:
            break
        if marker == 0xC4:
            j, stop = i + 4, i + 2 + length
            while j < stop:
                counts = jpeg[j + 1:j + 17]
                n = sum(counts)
                tables.add((jpeg[j], bytes(counts), bytes(jpeg[j + 17:j + 17 + n])))
                j += 17 + n
        i += 2 + length
    return tables


def writes_optimized_huffman(jpeg):
    """Whether `jpeg` carries tables other than the standard (Annex K) ones libjpeg writes by default."""
    import numpy as np
    from PIL import Image

    buf = io.BytesIO()
    noise = np.random.default_rng(1).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    Image.fromarray(noise).save(buf, "JPEG", quality=75, optimize=False)
    return not huffman_tables(jpeg) <= huffman_tables(buf.getvalue())


def is_document(photo):
    return photo["kind"] != "other"


def hexin_cmd(args, photo):
    """bench_pipeline as the photo's kind."""
    return [args.hexin, "--material", photo["kind"]]


def ref_cmd(photo, ref_flags):
    """The reference, with its document step for a document photo."""
    me = [sys.executable, os.path.abspath(__file__), "reference"]
    return me + ref_flags + (["--document"] if is_document(photo) else [])


def found_both(photo, hexin_row, ref_row):
    """Raises unless both sides found the document of a document photo (and hexin none in a photo
    of another kind): otherwise the times do not measure the same work."""
    doc = hexin_row.get("document")
    if not is_document(photo):
        return
    if not (doc and doc["complete"]) or not hexin_row.get("output"):
        raise SystemExit(f"compare: hexin did not find the document in {photo['name']} as {photo['kind']}: "
                         f"{doc}, findings {hexin_row.get('findings')}")
    if not ref_row.get("document_found"):
        raise SystemExit(f"compare: the reference did not find the document in {photo['name']}")


def timed(args, photos, budgets, rounds, ref_flags):
    """Alternating timed runs of both sides; budgets: photo name -> byte budget (None: the policy's)."""
    reps = ["--repeat", str(args.repeat), "--warmup", str(args.warmup)]
    rows = {p["name"]: {"hexin": [], "ref": []} for p in photos}
    started = time.time()
    # Each round runs both sides on each photo, the first side swapping every time, so a busy
    # neighbour on the shared machine slows both, not one.
    for r in range(rounds):
        for i, p in enumerate(photos):
            b = budgets.get(p["name"])
            budget = ["--budget", str(b)] if b else []
            sides = [("hexin", hexin_cmd(args, p) + reps + budget), ("ref", ref_cmd(p, ref_flags) + reps + budget)]
            if (r + i) % 2:
                sides.reverse()
            for side, cmd in sides:
                (res,) = run_json(cmd + [p["path"]])
                rows[p["name"]][side].extend(res["runs_ms"])
                rows[p["name"]][side + "_last"] = res
            found_both(p, rows[p["name"]]["hexin_last"], rows[p["name"]]["ref_last"])
        print(f"  round {r + 1}/{rounds} done ({time.time() - started:.0f} s)", file=sys.stderr)
    for row in rows.values():
        row["hexin_ms"] = statistics.median(row["hexin"])
        row["ref_ms"] = statistics.median(row["ref"])
        row["ratio"] = row["hexin_ms"] / row["ref_ms"]
    return rows


def cmd_run(args):
    photos = json.load(open(os.path.join(args.photos, "manifest.json")))
    if args.only:
        photos = [p for p in photos if p["name"] in args.only.split(",")]
    affinity = sorted(os.sched_getaffinity(0))
    if len(affinity) != 1:
        print(f"compare: warning: running on CPUs {affinity}, not one core; use bench/compare.sh "
              f"(or taskset -c 0)", file=sys.stderr)
    me = [sys.executable, os.path.abspath(__file__), "reference"]
    tmp = tempfile.mkdtemp(prefix="hexin-bench-")
    try:
        # The reference writes the same kind of Huffman tables as hexin does.
        if args.ref_optimize == "auto":
            probe = os.path.join(tmp, "probe.jpg")
            run_json(hexin_cmd(args, photos[0]) + ["--once", "--save-output", probe, photos[0]["path"]])
            optimize = writes_optimized_huffman(open(probe, "rb").read())
        else:
            optimize = args.ref_optimize == "1"
        ref_flags = ["--optimize", str(int(optimize))]

        rows = timed(args, photos, {}, args.rounds, ref_flags)
        tight = {}
        if args.tight_rounds:
            # A budget that binds: half of hexin's quality-92 output, the same on both sides.
            budgets = {p["name"]: int(rows[p["name"]]["hexin_last"]["bytes"] * 0.5) for p in photos}
            tight = timed(args, photos, budgets, args.tight_rounds, ref_flags)
            for name, b in budgets.items():
                tight[name]["budget"] = b

        # Peak memory: fresh processes, each one's own ru_maxrss via wait4. The same run can
        # peak a few MB apart from one process to the next (where the allocator's large blocks
        # land), so each side runs `mem_runs` times and the highest counts.
        _, ref_base = peak_rss(me + ["--imports-only"])
        _, floor = peak_rss(["true"])
        for p in photos:
            row = rows[p["name"]]
            hx_out, ref_out = os.path.join(tmp, "hexin.jpg"), os.path.join(tmp, "ref.jpg")
            row["hexin_rss_all"], row["ref_rss_all"], row["hexin_hwm_all"] = [], [], []
            for _ in range(args.mem_runs):
                (res,), rss = peak_rss(hexin_cmd(args, p) + ["--once", "--save-output", hx_out, p["path"]])
                row["hexin_rss_all"].append(rss)
                row["hexin_hwm_all"].append((res.get("vm_hwm_mb") or 0) * 1e6)
                row["ref_rss_all"].append(peak_rss(ref_cmd(p, ref_flags) + ["--once", "--save-output", ref_out, p["path"]])[1])
            row["hexin_rss"], row["ref_rss"] = max(row["hexin_rss_all"]), max(row["ref_rss_all"])
            same = os.path.exists(hx_out) and os.path.exists(ref_out)
            row["diff"] = mean_abs_diff(hx_out, ref_out) if same else float("inf")
            row["outputs"] = [image_size(f) if os.path.exists(f) else None for f in (hx_out, ref_out)]
            for f in (hx_out, ref_out):
                if os.path.exists(f):
                    os.remove(f)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    # Where hexin's time goes, and what the quality search costs each way.
    # One process per photo, so each photo's peak-memory readings are its own.
    stages = {}
    for p in photos:
        (s,) = run_json(hexin_cmd(args, p) + ["--stages", "--repeat", "3", "--warmup", "1", p["path"]])
        stages[s["file"]] = s
    searches = []
    for p in photos:
        q92 = rows[p["name"]]["hexin_last"]["bytes"] or BUDGET
        budgets = [BUDGET] + [int(q92 * f) for f in (0.75, 0.5, 0.3)]
        for s in run_json(hexin_cmd(args, p) + ["--encodes", "--budget", ",".join(map(str, budgets)), p["path"]]):
            s["photo"] = p["name"]
            searches.append(s)

    if args.raw:
        with open(args.raw, "w") as f:
            json.dump({"photos": photos, "rows": rows, "tight": tight, "stages": stages, "searches": searches,
                       "ref_base": ref_base, "floor": floor, "ref_optimize": optimize}, f, indent=1)
    report = summarize(args, optimize, photos, rows, tight, stages, searches, ref_base, floor, affinity)
    print(report)
    if args.results:
        with open(args.results, "w") as f:
            f.write(report)
        print(f"\nwritten to {os.path.relpath(args.results, os.getcwd())}", file=sys.stderr)
    return 0


MAX_DIFF = 4.0  # mean |RGB difference| above which the two outputs are not the same picture

# Why a photo's outputs differ, when the reason is known.
KNOWN_DIFFERENCES = {}


def summarize(args, optimize, photos, rows, tight, stages, searches, ref_base, floor, affinity):
    mb = lambda b: b / 1e6
    m, v = machine(), versions(args.hexin)
    same = [p for p in photos if rows[p["name"]]["diff"] <= MAX_DIFF]
    out = []
    w = out.append
    w("# hexin vs Pillow + OpenCV: the whole pipeline, one core\n")
    w(f"Generated by `bash bench/compare.sh` on {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC.\n")
    w(f"- Machine: {m['cpu']}, `nproc` = {m['nproc']}, Linux {m['kernel']}; both sides pinned to CPU "
      f"{','.join(map(str, affinity))} (taskset), one thread each. The machine is shared with other work.")
    w(f"- hexin {v['commit']}{' (working tree with uncommitted changes)' if v['dirty'] else ''}, {v['rustc']}, "
      f"release build of `bench_pipeline` (hexin-bench).")
    w(f"- Reference: Python {v['python']}, Pillow {v['pillow']} (libjpeg-turbo {v['libjpeg-turbo']}), "
      f"OpenCV {v['opencv']}, numpy {v['numpy']}.")
    w(f"- {args.rounds} rounds; each round runs both sides on each photo, alternating which goes first; each "
      f"run is {args.warmup} warm-up + {args.repeat} timed calls in one process. Times are medians of the "
      f"{args.rounds * args.repeat} timed calls per side, the file already in memory.\n")

    w("## Time and memory per 12 MP photo (policy budget 2,000,000 bytes)\n")
    w("| photo | source | hexin kind | reference document step | hexin ms | reference ms | ratio | hexin peak MB "
      "| reference peak MB | quality (hexin / ref) | encodes (hexin / ref) | output px (hexin / ref) | output diff |")
    w("|---|---|---|---|---:|---:|---:|---:|---:|---|---|---|---:|")
    for p in photos:
        r = rows[p["name"]]
        ok = r["diff"] <= MAX_DIFF
        hl, rl = r["hexin_last"], r["ref_last"]
        enc = stages.get(p["path"], {}).get("encodes", "?")
        dims = " / ".join("x".join(map(str, d)) if d else "—" for d in r["outputs"])
        w(f"| {p['name']} | {p['source']} | {p['kind']} | {'yes, found' if rl.get('document_found') else 'no'} "
          f"| {r['hexin_ms']:.0f} | {r['ref_ms']:.0f} | **{r['ratio']:.2f}** "
          f"| {mb(r['hexin_rss']):.0f} | {mb(r['ref_rss']):.0f} | {dash(hl['quality'])} / {dash(rl['quality'])} "
          f"| {enc} / {rl['encodes']} | {dims} | {r['diff']:.1f}{'' if ok else ' ⚠'} |")
    w("")
    docs = [p for p in photos if is_document(p)]
    if docs:
        names = ", ".join(f"`{p['name']}`" for p in docs)
        conf = ", ".join(f"{rows[p['name']]['hexin_last']['document']['confidence']:.2f}" for p in docs)
        w(f"*hexin kind*: the material `check` ran as (`bench_pipeline --material`); {names} ran as "
          f"`{docs[0]['kind']}`: hexin found the card whole in each (the report's `document` present and complete; "
          f"confidence {conf}) and output the straightened card, and the reference's document step found it too "
          "and warped to it. The other "
          "photos hold no document: `other` on hexin's side (the whole frame, no document step), no document "
          "step on the reference's. A run in which either side misses the document of a document photo stops.\n")

    g_same = geomean([rows[p["name"]]["ratio"] for p in same])
    g_all = geomean([rows[p["name"]]["ratio"] for p in photos])
    groups = [(label, [p for p in same if is_document(p) == doc]) for label, doc in
              (("without a document (`other`)", False), ("with the document step", True))]
    by_group = "; ".join(f"{label}: {geomean([rows[p['name']]['ratio'] for p in g]):.2f} over {len(g)}"
                         for label, g in groups if g)
    w(f"**Geometric-mean ratio (hexin / reference): {g_same:.2f}** over the {len(same)} photos whose outputs "
      f"match (all {len(photos)}: {g_all:.2f}; {by_group}). Goal: at most 0.50.\n")
    worst = max(mb(rows[p["name"]]["hexin_rss"]) for p in photos)
    every = [mb(v) for p in photos for v in rows[p["name"]]["hexin_rss_all"]]
    hwm = max(mb(v) for p in photos for v in rows[p["name"]]["hexin_hwm_all"])
    w(f"**hexin's peak memory: at most {worst:.0f} MB** (ru_maxrss from wait4 of a fresh `bench_pipeline --once` "
      f"process, which also holds the file's bytes; the highest of {args.mem_runs} processes per photo, which "
      f"ranged {min(every):.0f}–{max(every):.0f} MB over all photos). Goal: under 100 MB. The reference's "
      f"figure includes {mb(ref_base):.0f} MB for the interpreter with numpy, OpenCV and Pillow loaded. "
      f"MB = 10^6 bytes. Linux counts the spawning process's size into a child's ru_maxrss, so each process is "
      f"spawned from a lean interpreter; the floor this leaves is {mb(floor):.0f} MB (`true` measured the "
      f"same way). Cross-check: hexin's own VmHWM (/proc/self/status at exit) peaked at {hwm:.0f} MB.\n")
    w("Sources: *real* = a real camera file as shot; *upscaled* = a real photo upscaled with Pillow LANCZOS "
      "to 12.2 MP (smoother than a real 12 MP sensor's pixels); *synthetic* = drawn by `testing/src/synthetic.rs`. "
      "Photos are made at run time; none is committed.\n")
    for p in photos:
        w(f"- `{p['name']}` ({p['source']}): {p['description']}")
    w("")
    w(f"*Output diff*: mean absolute RGB difference (0–255) between hexin's and the reference's output "
      f"JPEGs, compared at 256 px wide. Above {MAX_DIFF:.0f} (⚠) the two did not produce the same picture, so "
      f"the times do not measure the same work and the row stays out of the headline ratio. On a document photo "
      f"both outputs are the straightened card, so the diff also compares where the two finders put its "
      f"corners: hexin's output takes the policy's aspect (1.585 for an ID card), the reference's its own quad's "
      f"(the *output px* column), and a corner a pixel or two apart at full resolution shifts the card's fine "
      f"guilloche by a fraction of a pixel at 256 px wide; a wrong or missed card gives a far larger diff or "
      f"stops the run.")
    for p in photos:
        if rows[p["name"]]["diff"] > MAX_DIFF and p["name"] in KNOWN_DIFFERENCES:
            w(f"⚠ `{p['name']}`: {KNOWN_DIFFERENCES[p['name']]}")
    w("")
    # What the reference's time is made of, for reading the ratio.
    def share(group, key):
        return statistics.median(rows[p["name"]]["ref_last"]["stages_ms"].get(key, 0.0)
                                 / rows[p["name"]]["ref_last"]["median_ms"] for p in group)

    hx_enc = statistics.median(stages[p["path"]]["encode_search"] / stages[p["path"]]["encodes"]
                               for p in same if p["path"] in stages) if same else float("nan")
    ref_enc = statistics.median(rows[p["name"]]["ref_last"]["stages_ms"]["search"] / rows[p["name"]]["ref_last"]["encodes"]
                                for p in same) if same else float("nan")
    frames, documents = ([p for p in same if is_document(p) == d] for d in (False, True))
    if same:
        text = "Reading the ratio: of the reference's time, "
        if frames:
            text += (f"on the photos without a document its Pillow LANCZOS resize (plain C, no SIMD) is a median "
                     f"{share(frames, 'resize'):.0%}, its quality search {share(frames, 'search'):.0%} and decode "
                     f"{share(frames, 'decode'):.0%}")
        if documents:
            text += ("; " if frames else "") + (
                f"on the document photos, which skip that resize, its document step (find on a 640-px copy, "
                f"`cv2.warpPerspective` from the full-resolution image) is {share(documents, 'document'):.0%}, "
                f"decode {share(documents, 'decode'):.0%} and the quality search {share(documents, 'search'):.0%}")
        w(text + ". hexin decodes with zune-jpeg (after walking the entropy-coded data to refuse a truncated "
          "file) and resizes with fast_image_resize (AVX2 here, NEON on phones); its JPEG encoder (jpeg-encoder) is "
          f"the slower side: a median {hx_enc:.0f} ms per encode against libjpeg-turbo's {ref_enc:.0f} ms on the "
          "same 2048-px image, which is why the ratio rises when the budget binds and hexin needs several "
          "encodes too.\n")

    if tight:
        w("## When the budget binds\n")
        w("The same, with the byte budget set (on both sides) to half of hexin's quality-92 output, so the "
          f"quality search has to work ({args.tight_rounds} rounds).\n")
        w("| photo | budget bytes | hexin ms | reference ms | ratio | quality (hexin / ref) | encodes (hexin / ref) |")
        w("|---|---:|---:|---:|---:|---|---|")
        for p in photos:
            t = tight[p["name"]]
            hl, rl = t["hexin_last"], t["ref_last"]
            w(f"| {p['name']} | {t['budget']:,} | {t['hexin_ms']:.0f} | {t['ref_ms']:.0f} | **{t['ratio']:.2f}** "
              f"| {dash(hl['quality'])} / {dash(rl['quality'])} | {search_encodes(searches, p['name'], t['budget'])} / "
              f"{rl['encodes']} |")
        w("")
        w(f"Geometric-mean ratio with a binding budget: **{geomean([tight[p['name']]['ratio'] for p in same]):.2f}** "
          f"over the {len(same)} photos whose outputs match.\n")

    w("## Where the time goes (medians, ms)\n")
    w("hexin (`bench_pipeline --stages`, as each photo's kind), in the order `check` runs them; measured after the "
      "timed rounds, alone, and checked to produce `check`'s output byte for byte. *decode*: sniff, the JPEG "
      "walk that refuses truncated data, zune-jpeg (*of which zune_jpeg*, the decoder alone on the same bytes, "
      "timed apart: the rest of *decode* is the walk); *analysis*: the 1024-px analysis copy (shrunk from the decoded "
      "pixels, then turned upright); *metrics*: the checks on it (the whole frame). For a document kind: "
      "*place*: the document search on the analysis copy's luma (*of which locate_luma*, the search alone, "
      "timed apart; further searches, in colour planes, run only when the luma finds nothing), refining the corners "
      "on the analysis copy, and the straightened 1024-px copy; *document_metrics*: the checks on that; "
      "*warp_output*: the full-resolution pixels warped into the output (the straightened document at long side "
      "2048). For `other`: *upright_within*: resize + orient to long side 2048. Then *encode_search*: the quality "
      "search; *output_redecode* + *output_blur*: the post-compression blur re-check; *sha256*.\n")
    for kind_photos in ([p for p in photos if not is_document(p)], [p for p in photos if is_document(p)]):
        rows_here = [(p, stages[p["path"]]) for p in kind_photos if p["path"] in stages]
        if not rows_here:
            continue
        names = rows_here[0][1]["stages"]
        w(f"| photo (`{kind_photos[0]['kind']}`) | " + " | ".join(names) + " | sum | peak MB after decode / all |")
        w("|---|" + "---:|" * (len(names) + 2))
        for p, st in rows_here:
            pk = st.get("peak_mb_after") or {}
            peaks = " / ".join(f"{pk[k]:.0f}" if pk.get(k) else "?" for k in ("decode", "sha256"))
            cells = [f"({st[n]:.1f})" if n in APART else f"{st[n]:.1f}" for n in names]
            w(f"| {p['name']} | " + " | ".join(cells) + f" | {st['sum_of_medians_ms']:.0f} | {peaks} |")
        w("")
    found_in_luma = [p["name"] for p in photos if stages.get(p["path"], {}).get("luma_found")]
    w("(zune_jpeg) is part of decode, (locate_luma) part of place; neither is added to the sum."
      + (f" The luma search found the card in {', '.join(found_in_luma)}, so place searched no further there."
         if found_in_luma else "") + "\n")
    rnames = ["decode", "orient", "document", "laplacian", "resize", "search", "sha256"]
    w("Reference (medians over its last run of each photo; *document*: bench/scanner.py's find on a 640-px copy "
      "and the warp to long side 2048, only on the document photos, which then skip *resize*):\n")
    w("| photo | " + " | ".join(rnames) + " | per encode |")
    w("|---|" + "---:|" * (len(rnames) + 1))
    for p in photos:
        rl = rows[p["name"]]["ref_last"]
        st = rl["stages_ms"]
        w(f"| {p['name']} | " + " | ".join(f"{st[n]:.1f}" if n in st else "—" for n in rnames)
          + f" | {st['search'] / rl['encodes']:.1f} |")
    w("")
    # What the ratio would be if the reference encoded as few times as hexin did.
    fair = []
    for p in same:
        r = rows[p["name"]]
        rl, enc = r["ref_last"], stages.get(p["path"], {}).get("encodes")
        if enc:
            per = rl["stages_ms"]["search"] / rl["encodes"]
            fair.append(r["hexin_ms"] / (r["ref_ms"] - per * (rl["encodes"] - enc)))
    if fair:
        w(f"At the policy budget much of the gap is the quality search: the reference bisects (5–6 encodes), "
          f"hexin starts at the top quality (1 encode when 92 fits). Against a reference that encoded as few "
          f"times as hexin (its per-encode cost taken off), the geometric-mean ratio would be "
          f"**{geomean(fair):.2f}**.\n")

    w("## Quality search: interpolation vs bisection (`bench_pipeline --encodes`)\n")
    w("hexin's two strategies on the 2048-px image `check` encodes (the upright frame, or the straightened "
      "document for a document kind), at the policy budget and at "
      "budgets that bind (75 %, 50 % and 30 % of the quality-92 size). Both must pick the same quality "
      "(— : none in 50..92 fits).\n")
    w("| photo | budget bytes | interpolate: encodes | bisect: encodes | quality | output bytes | agree |")
    w("|---|---:|---:|---:|---:|---:|---|")
    ti = tb = bi = bb = 0
    for s in searches:
        i, b = s["interpolate"], s["bisect"]
        ti, tb = ti + i["encodes"], tb + b["encodes"]
        if s["budget"] != BUDGET:
            bi, bb = bi + i["encodes"], bb + b["encodes"]
        q = i["quality"] if i["quality"] is not None else "—"
        w(f"| {s['photo']} | {s['budget']:,} | {i['encodes']} | {b['encodes']} | {q} | "
          f"{i['bytes'] if i['bytes'] is not None else '—'} | {'yes' if s['agree'] else '**NO**'} |")
    w("")
    w(f"Total: {ti} encodes interpolating, {tb} bisecting; on the binding budgets alone {bi} and {bb}.\n")

    w("## The reference, exactly\n")
    w("`bench/compare.py reference`: `Image.open` + `load()` (libjpeg-turbo), "
      "`ImageOps.exif_transpose(in_place=True)` (skipped if the EXIF is unreadable); on a document photo "
      "(`--document`) the document step: the document looked for on a copy at long side 640 or less "
      "(bench/scanner.py: Canny on its luma and saturation, contours, a 4-corner hull, corners refitted to the "
      "edge pixels) and the full-resolution image warped to it at long side 2048 (`cv2.warpPerspective`, "
      "bilinear, after a whole-factor INTER_AREA shrink where the document is over twice that size), which "
      "replaces the resize; then `convert('L')` and `cv2.Laplacian(gray, CV_16S)` with `cv2.meanStdDev` (the "
      "same variance as `CV_64F`, without a 97 MB float plane) on the document or the frame, on a photo with "
      "no document `resize` with `Image.LANCZOS` to long side 2048, bisection over quality 50..92 "
      f"(`quality=q, subsampling=4:2:0, optimize={optimize}`: Huffman tables of the same kind as hexin's, "
      "detected from its output) for the highest under the budget, `hashlib.sha256`; `cv2.setNumThreads(1)`, "
      "OMP/OpenBLAS threads 1. hexin runs `hexin_core::check(bytes, kind, &Policy::icp_default())` with the "
      "photo's kind: on the whole frame it measures blur four ways, exposure, glare and colour; for a document "
      "kind it also finds, judges and straightens the document and measures it too, and it re-decodes its "
      "output to re-check blur.\n")
    w("## Reproduce\n")
    w("```sh\nbash bench/compare.sh      # ROUNDS=5 REPEAT=3 TIGHT_ROUNDS=3 CPU=0 by default\n```\n")
    w("It makes or reuses a venv at `${HEXIN_CACHE:-$HOME/.cache/hexin}/pyenv` (pillow, "
      "opencv-python-headless, numpy), builds `cargo build --release -p hexin-bench --bin bench_pipeline`, "
      "makes the photos under `${HEXIN_CACHE:-$HOME/.cache/hexin}/bench-photos` from "
      "`../shared/fixtures/real-photos/camera` (override with `HEXIN_REAL_PHOTOS`), and rewrites this file. "
      "`cargo bench -p hexin-bench --bench pipeline` times the hot functions one by one.")
    return "\n".join(out) + "\n"


# Stages bench_pipeline --stages times apart from the ones that contain them.
APART = ("zune_jpeg", "locate_luma")


def dash(v):
    return "—" if v is None else v


def search_encodes(searches, photo, budget):
    """hexin's encodes at `budget` (interpolation), from --encodes, or '?'."""
    for s in searches:
        if s["photo"] == photo and abs(s["budget"] - budget) <= 1:
            return s["interpolate"]["encodes"]
    return "?"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--out", required=True)
    p.add_argument("--hexin", required=True, help="path to the bench_pipeline binary (hexin-bench)")
    p.add_argument("--real", help="directory with the real camera photos")
    p.set_defaults(fn=cmd_prepare)
    p = sub.add_parser("run")
    p.add_argument("--hexin", required=True)
    p.add_argument("--photos", required=True)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--mem-runs", type=int, default=3, help="fresh processes per side per photo for peak memory")
    p.add_argument("--tight-rounds", type=int, default=3, help="rounds with a binding budget (0: skip)")
    p.add_argument("--ref-optimize", choices=["auto", "0", "1"], default="auto",
                   help="optimized Huffman tables in the reference; auto: as hexin writes them")
    p.add_argument("--only", help="comma-separated photo names")
    p.add_argument("--results", help="write the report here too")
    p.add_argument("--raw", help="write every measurement here, as JSON")
    p.set_defaults(fn=cmd_run)
    p = sub.add_parser("memory")
    p.add_argument("command", nargs=argparse.REMAINDER)
    p.set_defaults(fn=cmd_memory)
    p = sub.add_parser("reference")
    p.add_argument("file", nargs="?")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--once", action="store_true")
    p.add_argument("--imports-only", action="store_true")
    p.add_argument("--optimize", type=int, default=0, help="1: optimized Huffman tables")
    p.add_argument("--budget", type=int, default=BUDGET)
    p.add_argument("--save-output")
    p.add_argument("--document", action="store_true", help="the document step: warp to the document found")
    p.set_defaults(fn=cmd_reference)
    args = ap.parse_args()
    if args.cmd == "reference" and not args.imports_only and not args.file:
        ap.error("reference needs a FILE")
    sys.exit(args.fn(args))


if __name__ == "__main__":
    main()
