#!/usr/bin/env python3
"""hexin vs a classic OpenCV document scanner (bench/scanner.py) on the document corpus.

Run it through `bash bench/documents.sh`, which sets up the Python environment, makes the corpus
and builds hexin's `document_report` (hexin-bench):

  documents.py score --corpus DIR --hexin BIN [--hexin-profile P] [--results FILE] [--raw FILE] [--wrong]
  documents.py self-test

The corpus (testing's `corpus` binary) is a directory of JPEGs and labels.json:
  {"recipe": N, "captures": [{"file", "kind", "texture", "case", "corners": [[x,y]*4] | null,
                              "expect": [codes]}]}

Per capture, a side is *right* when the codes it raises, restricted to COMPARED, are exactly the
codes expected (an expected code not raised is a false accept of that code; a code raised but not
expected, a false reject). Severity does not matter: a finding raised as a warning counts as
raised. A capture `check` refuses outright (unreadable bytes) is wrong. Where a document is
expected, the corners each side gives are scored against the labelled ones: the mean distance of
corresponding corners in % of the labelled document's diagonal (the best of the four cyclic
pairings, so a side that starts its corners at another vertex is not penalised for it), and the
IoU of the two polygons (rasterised; the labelled quad as labelled, even where it leaves the frame).
"""

import argparse
import collections
import datetime
import json
import math
import os
import statistics
import subprocess
import sys
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

COMPARED = ["document_not_found", "document_incomplete", "document_too_small", "document_tilted",
            "blurry", "glare", "overexposed", "too_dark", "not_color"]


# --------------------------------------------------------------------------------------------
# Scoring


def corner_error(found, expected):
    """Mean distance between corresponding corners, in % of `expected`'s mean diagonal; the best
    of the four cyclic pairings."""
    e = [tuple(p) for p in expected]
    diag = (math.dist(e[0], e[2]) + math.dist(e[1], e[3])) / 2
    f = [tuple(p) for p in found]
    best = min(sum(math.dist(f[(i + k) % 4], e[i]) for i in range(4)) / 4 for k in range(4))
    return 100 * best / diag


def iou(a, b, resolution=1024):
    """Intersection over union of two polygons, rasterised on a canvas around both."""
    import cv2
    import numpy as np

    pa, pb = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    both = np.vstack([pa, pb])
    lo, span = both.min(axis=0), max(float((both.max(axis=0) - both.min(axis=0)).max()), 1e-9)
    scale = (resolution - 1) / span

    def mask(p):
        m = np.zeros((resolution, resolution), np.uint8)
        cv2.fillPoly(m, [np.round((p - lo) * scale * 16).astype(np.int32)], 1, shift=4)
        return m

    ma, mb = mask(pa), mask(pb)
    union = int((ma | mb).sum())
    return int((ma & mb).sum()) / union if union else 0.0


def score(captures, sides):
    """sides: name -> {file: {"codes": set, "corners": [[x, y]]*4 | None, "polygon": [[x, y]] | None,
    "refused": bool}}. Returns per side: right, per-code false accepts / rejects, corner scores, and
    per-capture rows."""
    result = {}
    for name, got in sides.items():
        fa, fr = collections.Counter(), collections.Counter()
        right, rows, errors, ious = 0, [], [], []
        for c in captures:
            g = got[c["file"]]
            raised = set(g["codes"]) & set(COMPARED)
            expected = set(c["expect"]) & set(COMPARED)
            for code in expected - raised:
                fa[code] += 1
            for code in raised - expected:
                fr[code] += 1
            ok = raised == expected and not g.get("refused")
            right += ok
            row = {"file": c["file"], "case": c["case"], "texture": c.get("texture"), "right": ok,
                   "raised": sorted(raised), "expected": sorted(expected)}
            if c.get("corners"):
                poly = g.get("corners") or g.get("polygon")
                row["iou"] = iou(poly, c["corners"]) if poly else 0.0
                ious.append(row["iou"])
                if g.get("corners"):
                    row["corner_error"] = corner_error(g["corners"], c["corners"])
                    errors.append(row["corner_error"])
            rows.append(row)
        located = sum(1 for c in captures if c.get("corners"))
        result[name] = {
            "right": right, "total": len(captures), "false_accepts": dict(fa), "false_rejects": dict(fr),
            "located": located, "with_corners": len(errors),
            "corner_error_median": statistics.median(errors) if errors else None,
            "corner_error_mean": statistics.mean(errors) if errors else None,
            "iou_mean": statistics.mean(ious) if ious else None,
            "iou_90": sum(v >= 0.9 for v in ious),
            "rows": rows,
        }
    return result


# --------------------------------------------------------------------------------------------
# The two sides


def run_peer(corpus, captures):
    """The scanner's measurements of every capture, and its time per capture (ms)."""
    import scanner

    measured, times = {}, []
    for c in captures:
        start = time.perf_counter()
        measured[c["file"]] = scanner.measure(scanner.load(os.path.join(corpus, c["file"])))
        times.append((time.perf_counter() - start) * 1e3)
    return measured, times


def peer_side(captures, measured, thresholds):
    import scanner

    return {c["file"]: {"codes": scanner.decide(measured[c["file"]], thresholds),
                        "corners": measured[c["file"]]["corners"], "polygon": measured[c["file"]]["polygon"]}
            for c in captures}


def held_out_side(captures, measured):
    """The scanner's codes with each texture's captures decided under thresholds calibrated on
    the other textures only: how much of its calibrated score is fitted to the very captures."""
    import scanner

    side = {}
    for texture in {c.get("texture") for c in captures}:
        rest = [(measured[c["file"]], set(c["expect"])) for c in captures if c.get("texture") != texture]
        thresholds = scanner.calibrate(rest)
        side.update(peer_side([c for c in captures if c.get("texture") == texture], measured, thresholds))
    return side


CORNER_NAMES = [("top_left", "top_right", "bottom_right", "bottom_left"), ("tl", "tr", "br", "bl")]


def corners_of(document):
    """Four [x, y] corners from a report's `document`: its `corners` as hexin's Quad
    ({"top_left": {"x", "y"}, ...}), as {"tl", ...}, or as a list tl, tr, br, bl of [x, y] or
    {"x", "y"}; None if absent."""
    corners = document.get("corners") if isinstance(document, dict) else None
    if isinstance(corners, dict):
        names = next((n for n in CORNER_NAMES if n[0] in corners), CORNER_NAMES[0])
        corners = [corners.get(k) for k in names]
    if not corners or len(corners) != 4 or any(p is None for p in corners):
        return None
    return [[p["x"], p["y"]] if isinstance(p, dict) else list(p[:2]) for p in corners]


def run_hexin(binary, corpus, captures):
    """hexin's report of every capture (one `document_report` process per kind), its time per
    capture (ms, wall time of the process over its files), and whether any report had a document."""
    by_kind = collections.defaultdict(list)
    for c in captures:
        by_kind[c["kind"]].append(c["file"])
    side, elapsed, documents = {}, 0.0, False
    for kind, files in sorted(by_kind.items()):
        start = time.perf_counter()
        out = subprocess.run([binary, "--material", kind] + [os.path.join(corpus, f) for f in files],
                             check=True, capture_output=True, text=True).stdout
        elapsed += time.perf_counter() - start
        for line in out.splitlines():
            r = json.loads(line)
            name = os.path.basename(r["file"])
            if "error" in r:
                side[name] = {"codes": {r["error"]["code"]}, "corners": None, "refused": True}
                continue
            report = r["report"]
            documents |= report.get("document") is not None
            side[name] = {"codes": {f["code"] for f in report["findings"]},
                          "corners": corners_of(report.get("document"))}
    return side, elapsed * 1e3 / len(captures), documents


# --------------------------------------------------------------------------------------------
# The report


def fmt(v, spec):
    return "—" if v is None else format(v, spec)


def report_md(args, captures, scores, thresholds, default_scores, held_out, peer_ms, hexin_ms, hexin_documents, elapsed):
    import cv2

    import scanner

    out = []
    w = out.append
    labels = json.load(open(os.path.join(args.corpus, "labels.json")))
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = bool(subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                                capture_output=True, text=True).stdout.strip())
    w("# hexin vs a classic OpenCV document scanner: the document corpus\n")
    w(f"Generated by `bash bench/documents.sh` on {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, "
      f"hexin {commit}{' (working tree with uncommitted changes)' if dirty else ''}, OpenCV {cv2.__version__}, "
      f"corpus recipe {labels.get('recipe')}: {len(captures)} captures.\n")
    h, p = scores["hexin"], scores["peer"]
    w(f"**Right: hexin {h['right']} / {h['total']}, scanner {p['right']} / {p['total']}** "
      f"(the scanner with its thresholds calibrated on this corpus; with its uncalibrated defaults "
      f"{default_scores['right']} / {default_scores['total']}; calibrated on the other textures for each "
      f"texture's captures, {held_out['right']} / {held_out['total']}).\n")
    if not hexin_documents:
        w("hexin's reports carry no `document` yet: its corner columns are empty, and it is scored on the "
          "codes it raises today.\n")
    w("A capture is *right* when the codes raised among "
      + ", ".join(f"`{c}`" for c in COMPARED)
      + " are exactly the ones its label expects (severity aside; a capture `check` refuses outright is "
      "wrong). *False accept*: an expected code not raised. *False reject*: a code raised but not expected.\n")
    w("## Per code\n")
    w("| code | expected | hexin false accepts | scanner false accepts | hexin false rejects | scanner false rejects |")
    w("|---|---:|---:|---:|---:|---:|")
    expected = collections.Counter(code for c in captures for code in c["expect"])
    for code in COMPARED:
        w(f"| `{code}` | {expected[code]} | {h['false_accepts'].get(code, 0)} | {p['false_accepts'].get(code, 0)} "
          f"| {h['false_rejects'].get(code, 0)} | {p['false_rejects'].get(code, 0)} |")
    w("")
    w("## Per case (right / captures)\n")
    cases = sorted({c["case"] for c in captures})
    w("| case | expects | hexin | scanner |")
    w("|---|---|---:|---:|")
    for case in cases:
        rows = [i for i, c in enumerate(captures) if c["case"] == case]
        exp = sorted({code for i in rows for code in captures[i]["expect"]})
        w(f"| {case} | {', '.join(exp) or 'accept'} | {sum(h['rows'][i]['right'] for i in rows)} / {len(rows)} "
          f"| {sum(p['rows'][i]['right'] for i in rows)} / {len(rows)} |")
    w("")
    w("## Corners\n")
    w(f"Over the {h['located']} captures with a labelled document. Corner error: mean distance of corresponding "
      "corners, % of the labelled document's diagonal (best cyclic pairing), over the captures where the side "
      "gave four corners. IoU: of the side's polygon and the labelled quad, 0 where the side gave none.\n")
    w("| side | gave corners | corner error median % | corner error mean % | IoU mean | IoU ≥ 0.9 |")
    w("|---|---:|---:|---:|---:|---:|")
    for name, s in (("hexin", h), ("scanner", p)):
        w(f"| {name} | {s['with_corners']} | {fmt(s['corner_error_median'], '.1f')} | {fmt(s['corner_error_mean'], '.1f')} "
          f"| {fmt(s['iou_mean'], '.3f')} | {s['iou_90']} |")
    w("")
    w("## The scanner's thresholds\n")
    w("Calibrated on this corpus (`scanner.calibrate`): each code on its own, over the captures where the "
      "scanner found a document, the metric and the cut with the fewest false accepts plus false rejects "
      "(the middle of equally good cuts); a code no capture expects gets a cut beyond every value measured, "
      "so it is never raised here; one with no measurement keeps its default (`scanner.DEFAULTS`). Calibrating "
      "on the corpus it is scored on flatters the scanner; hexin gets no such help from this script.\n")
    w("| code | raised when | default |")
    w("|---|---|---|")
    for code, (metric, direction, t) in thresholds.items():
        dm, dd, dt = scanner.DEFAULTS[code]
        w(f"| `{code}` | `{metric}` {direction} {t:.4g} | `{dm}` {dd} {dt:.4g} |")
    w("")
    w("Metrics: `area_frac` the document's share of the frame; `edge_px` a corner's least distance from the "
      "frame's edge in pixels of the search copy (long side 640 or less); `perspective` the larger opposite-side "
      "ratio − 1; on the straightened document: `lap_var` the variance of its Laplacian, `clipped_L` and `blob_L` "
      "the share of its pixels with luma ≥ L and of its largest such blob, `mean_luma` 0–255, `sat_mean` its mean "
      "HSV saturation 0–255, `sat_share` the share with saturation > 40.\n")
    w("`document_not_found`: no 4-corner contour (nor one closed by the frame's border); "
      "`document_incomplete` is also raised whenever the document was found only by closing it along the frame's "
      "border. The method is in `bench/scanner.py`'s module doc.\n")
    w("## Time\n")
    w(f"Per capture: scanner {statistics.median(peer_ms):.0f} ms median (find, warp, measure, in this process); "
      f"hexin {hexin_ms:.0f} ms mean (`document_report`, {args.hexin_profile} build, the whole `check` including the "
      f"output encode, one process per kind). The whole run took {elapsed:.0f} s. Not pinned to a core; "
      "for speed see RESULTS.md.\n")
    w("## Reproduce\n")
    w("```sh\nbash bench/documents.sh                 # the corpus, both sides, rewrites this file\n"
      "CORPUS=DIR bash bench/documents.sh      # another corpus (JPEGs + labels.json)\n"
      "bash bench/documents.sh --wrong         # and list every capture each side gets wrong\n"
      "bash bench/documents.sh --self-test     # the scoring's own test\n```\n")
    w("It makes or reuses the venv at `${HEXIN_CACHE:-$HOME/.cache/hexin}/pyenv` (as compare.sh), the corpus at "
      "`${HEXIN_CACHE:-$HOME/.cache/hexin}/documents-corpus` (`cargo run -p hexin-testing --bin corpus`), builds "
      "`cargo build -p hexin-bench --bin document_report` and runs `bench/documents.py score`.")
    return "\n".join(out) + "\n"


def print_summary(scores, thresholds):
    print("scanner thresholds (calibrated on the corpus):")
    for code, (metric, direction, t) in thresholds.items():
        print(f"  {code:<20} {metric} {direction} {t:.4g}")
    h, p = scores["hexin"], scores["peer"]
    print(f"\n{'code':<20} {'FA hexin':>9} {'FA peer':>8} {'FR hexin':>9} {'FR peer':>8}")
    for code in COMPARED:
        print(f"{code:<20} {h['false_accepts'].get(code, 0):>9} {p['false_accepts'].get(code, 0):>8} "
              f"{h['false_rejects'].get(code, 0):>9} {p['false_rejects'].get(code, 0):>8}")
    print(f"\nright: hexin {h['right']}/{h['total']}, peer {p['right']}/{p['total']}")
    for name, s in (("hexin", h), ("peer", p)):
        print(f"corners {name}: {s['with_corners']}/{s['located']} given, median error "
              f"{fmt(s['corner_error_median'], '.1f')} % of the diagonal, mean IoU {fmt(s['iou_mean'], '.3f')}")


def cmd_score(args):
    import scanner

    started = time.perf_counter()
    labels = json.load(open(os.path.join(args.corpus, "labels.json")))
    captures = labels["captures"]
    measured, peer_ms = run_peer(args.corpus, captures)
    thresholds = scanner.calibrate([(measured[c["file"]], set(c["expect"])) for c in captures])
    hexin, hexin_ms, hexin_documents = run_hexin(args.hexin, args.corpus, captures)
    scores = score(captures, {"hexin": hexin, "peer": peer_side(captures, measured, thresholds)})
    default_scores = score(captures, {"peer": peer_side(captures, measured, scanner.DEFAULTS)})["peer"]
    held_out = score(captures, {"peer": held_out_side(captures, measured)})["peer"]
    print_summary(scores, thresholds)
    if args.wrong:
        for name, s in scores.items():
            for row in s["rows"]:
                if not row["right"]:
                    print(f"wrong {name:<5} {row['file']}: raised {row['raised']}, expected {row['expected']}")
    print(f"peer with its uncalibrated defaults: {default_scores['right']}/{default_scores['total']}; "
          f"calibrated on the other textures: {held_out['right']}/{held_out['total']}")
    sys.stdout.flush()
    if not hexin_documents:
        print("hexin's reports carry no `document` yet: scored on its codes only", file=sys.stderr)
    elapsed = time.perf_counter() - started
    if args.raw:
        with open(args.raw, "w") as f:
            json.dump({"measured": measured, "thresholds": thresholds, "scores": scores}, f, indent=1, default=list)
    if args.results:
        # Written before the file is opened: opening it truncates it, and the report asks git
        # whether the tree is clean.
        report = report_md(args, captures, scores, thresholds, default_scores, held_out, peer_ms, hexin_ms,
                           hexin_documents, elapsed)
        with open(args.results, "w") as f:
            f.write(report)
        print(f"written to {os.path.relpath(args.results)}", file=sys.stderr)
    if args.must_win and scores["hexin"]["right"] <= scores["peer"]["right"]:
        print("documents: hexin is not right on more captures than the peer", file=sys.stderr)
        return 1
    return 0


# --------------------------------------------------------------------------------------------
# Self-test


def cmd_self_test(_args):
    import numpy as np

    import scanner

    quad = [[100, 100], [500, 120], [480, 400], [90, 380]]
    checks = []

    def check(what, ok):
        checks.append((what, ok))
        print(f"  {'ok  ' if ok else 'FAIL'} {what}")

    check("a quad against itself: IoU 1, corner error 0", iou(quad, quad) == 1.0 and corner_error(quad, quad) == 0.0)
    shifted = [[x + 40, y] for x, y in quad]
    check("a shifted quad: IoU below 1, corner error above 0",
          0.7 < iou(shifted, quad) < 1.0 and corner_error(shifted, quad) > 0)
    check("disjoint quads: IoU 0", iou([[x + 1000, y] for x, y in quad], quad) == 0.0)
    check("corners starting at another vertex: the same quad", corner_error(quad[1:] + quad[:1], quad) == 0.0)
    check("order_corners puts a shuffled quad back to tl, tr, br, bl",
          np.allclose(scanner.order_corners([quad[2], quad[0], quad[3], quad[1]]), quad))

    captures = [
        {"file": "a", "case": "clean", "corners": quad, "expect": []},
        {"file": "b", "case": "glare_on_card", "corners": quad, "expect": ["glare"]},
        {"file": "c", "case": "empty_table", "corners": None, "expect": ["document_not_found"]},
        {"file": "d", "case": "clean", "corners": quad, "expect": []},
    ]
    side = {
        "a": {"codes": {"resolution_too_low"}, "corners": quad},  # not a compared code: still right
        "b": {"codes": set(), "corners": shifted},                 # glare missed: a false accept
        "c": {"codes": {"document_not_found"}, "corners": None},
        "d": {"codes": {"blurry"}, "corners": None},               # a false reject, no corners
    }
    s = score(captures, {"x": side})["x"]
    check("right counts exact matches among the compared codes", s["right"] == 2)
    check("a missing expected code is a false accept", s["false_accepts"] == {"glare": 1})
    check("an extra code is a false reject", s["false_rejects"] == {"blurry": 1})
    check("no corners where a document is expected: IoU 0, no corner error",
          s["rows"][3]["iou"] == 0.0 and "corner_error" not in s["rows"][3] and s["with_corners"] == 2)
    refused = dict(side, c={"codes": {"corrupt_image"}, "corners": None, "refused": True})
    check("a refused capture is wrong", score(captures, {"x": refused})["x"]["right"] == 1)

    as_lists = [[1, 2], [3, 4], [5, 6], [7, 8]]
    as_points = [{"x": x, "y": y} for x, y in as_lists]
    check("hexin's corners read as its Quad, as lists, as {x, y} and as {tl, ...}; absent as None",
          corners_of({"corners": dict(zip(CORNER_NAMES[0], as_points))}) == as_lists
          and corners_of({"corners": as_lists}) == as_lists
          and corners_of({"corners": as_points}) == as_lists
          and corners_of({"corners": dict(zip(CORNER_NAMES[1], as_lists))}) == as_lists
          and corners_of(None) is None and corners_of({"confidence": 0.1}) is None)

    t, errors = scanner.best_threshold([1, 2, 3, 10, 11, 12], [True, True, True, False, False, False], "<")
    check("calibration: a separable metric gets a cut between the classes, no errors", 3 < t < 10 and errors == 0)
    rows = [({"found": True, "cut": False, "lap_var": v, "mean_luma": 120}, {"blurry"} if v < 50 else set())
            for v in (5, 20, 80, 200)]
    rows.append(({"found": False, "cut": False}, {"document_not_found"}))
    th = scanner.calibrate(rows)
    check("calibrate: blurry from lap_var, cut between the classes",
          th["blurry"][:2] == ("lap_var", "<") and 20 < th["blurry"][2] < 80)
    check("calibrate: a code nobody expects is never raised on the corpus; one never measured keeps its default",
          th["too_dark"][2] < 120 and not scanner.decide(rows[0][0], th) - {"blurry"}
          and th["glare"] == scanner.DEFAULTS["glare"])
    check("decide: not found raises document_not_found only", scanner.decide(rows[-1][0], th) == {"document_not_found"})
    values = [("a", 5), ("a", 200), ("b", 20), ("b", 150), ("c", 30), ("c", 300)]
    held = [{"file": str(i), "texture": t, "case": "x", "corners": None, "expect": ["blurry"] if v < 50 else []}
            for i, (t, v) in enumerate(values)]
    measured = {c["file"]: {"found": True, "cut": False, "corners": None, "polygon": None, "lap_var": v}
                for c, (_, v) in zip(held, values)}
    check("held out: textures that agree are each decided right by the others' cut",
          score(held, {"x": held_out_side(held, measured)})["x"]["right"] == 6)
    measured["1"]["lap_var"] = 40  # sharp in texture a, blurry by the others' cut (90)
    fitted = peer_side(held, measured, scanner.calibrate([(measured[c["file"]], set(c["expect"])) for c in held]))
    check("held out: a texture at odds with the others scores below the calibration on all",
          score(held, {"x": held_out_side(held, measured)})["x"]["right"] < score(held, {"x": fitted})["x"]["right"] == 6)

    # The scanner on a drawn card: found, and its corners where they were drawn.
    import cv2

    img = np.full((900, 1200, 3), (90, 60, 40), np.uint8)
    card = np.int32([[300, 200], [900, 230], [880, 640], [290, 600]])
    cv2.fillPoly(img, [card], (235, 235, 230))
    m = scanner.measure(img)
    check("the scanner finds a drawn card within 1 % of its diagonal",
          m["found"] and not m["cut"] and corner_error(m["corners"], card.tolist()) < 1.0)
    check("the reference crop is the card at the size asked", scanner.reference_crop(img, 512).shape[1] == 512)
    img = np.full((900, 1200, 3), (90, 60, 40), np.uint8)
    cv2.fillPoly(img, [np.int32([[700, 200], [1400, 230], [1380, 640], [690, 600]])], (235, 235, 230))
    m = scanner.measure(img)
    check("a card cut by the frame is found cut: document_incomplete, no reference crop",
          m["found"] and m["cut"] and "document_incomplete" in scanner.decide(m, scanner.DEFAULTS)
          and scanner.reference_crop(img, 512) is None)
    # The peer's whole path on a corpus on disk: a card and an empty desk.
    import tempfile

    with tempfile.TemporaryDirectory() as corpus:
        desk = np.full((900, 1200, 3), (90, 60, 40), np.uint8)
        cv2.imwrite(os.path.join(corpus, "empty.jpg"), desk)
        cv2.fillPoly(desk, [card], (230, 190, 120))  # a coloured card: the default not_color is not raised
        cv2.imwrite(os.path.join(corpus, "card.jpg"), desk)
        captures = [{"file": "card.jpg", "case": "clean", "texture": "plain", "corners": card.tolist(), "expect": []},
                    {"file": "empty.jpg", "case": "empty_table", "texture": "plain", "corners": None,
                     "expect": ["document_not_found"]}]
        measured, _ = run_peer(corpus, captures)
        s = score(captures, {"peer": peer_side(captures, measured, scanner.DEFAULTS)})["peer"]
        check("the peer on JPEGs on disk: the card accepted where drawn, the empty desk not found",
              s["right"] == 2 and s["rows"][0]["iou"] > 0.95)
    failed = [w for w, ok in checks if not ok]
    print(f"self-test: {len(checks) - len(failed)} / {len(checks)} passed")
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("score")
    p.add_argument("--corpus", required=True, help="directory with the JPEGs and labels.json")
    p.add_argument("--hexin", required=True, help="path to hexin-bench's document_report binary")
    p.add_argument("--hexin-profile", default="dev", help="the build profile of --hexin, for the report")
    p.add_argument("--results", help="write the report here (bench/DOCUMENTS.md)")
    p.add_argument("--raw", help="write every measurement and score here, as JSON")
    p.add_argument("--wrong", action="store_true", help="list every capture a side gets wrong")
    p.add_argument("--must-win", action="store_true", help="exit 1 unless hexin is right on more captures than the peer")
    p.set_defaults(fn=cmd_score)
    p = sub.add_parser("self-test")
    p.set_defaults(fn=cmd_self_test)
    args = ap.parse_args()
    sys.exit(args.fn(args))


if __name__ == "__main__":
    main()
