"""A classic OpenCV document scanner: the peer hexin's document step is scored against.

It does what the tutorials and the well-known pyimagesearch scanner do, with the usual
improvements, so the peer gets a fair chance:

  find      shrink by the least whole factor to long side 640 or less; on the grayscale, 5x5
            Gaussian blur, Canny (thresholds from the median, sigma 0.33, and the tutorial's fixed
            75/200), and the same with median thresholds on the HSV saturation (which separates a
            tinted card from white paper or a grey desk where the luma does not), each edge map
            dilated 3x3; findContours (the 12 largest of each edge map), the convex hull of each,
            approxPolyDP at 2 % of the perimeter. A candidate has 4 vertices, fills at least 85 %
            of its hull (so a scribble of texture edges is not a document) and covers 0.5-92 % of
            the frame; its corners move to where lines fitted to the (undilated) edge pixels along
            its four sides meet.
            The same again with the frame's border drawn into the edge maps, so a document cut by
            the frame closes along it: a 4- or 5-gon with a vertex on the border is a document
            found cut (incomplete). The largest whole quad wins, unless the largest cut one is over
            twice its area (texture closed by the border must not beat a document in view).
  order     corners tl, tr, br, bl: clockwise from the vertex with the least x + y.
  warp      warpPerspective of the full-resolution image to the document, long side 1024 or its
            own where smaller (never enlarged: that would blur it), shrunk by a whole factor with
            INTER_AREA first where the document is over twice that.
  measure   on the warped document: variance of the Laplacian (blur), the fraction of clipped
            pixels and the largest clipped blob, with luma >= 250 and >= 254 (blown out) as the
            two readings of clipped (glare, overexposure; calibration picks), mean luma
            (too dark), HSV saturation mean and share of pixels with S > 40 (colour); on the quad:
            area fraction of the frame (too small), the least distance of a corner from the
            frame's edge (incomplete), the larger opposite-side length ratio - 1 (tilted).

`measure` returns every number; `decide` turns them into codes under a set of thresholds;
`calibrate` chooses each threshold to make the fewest errors on a labelled corpus.
"""

import cv2
import numpy as np
from PIL import Image, ImageOps

PROC_LONG = 640  # long side the document is looked for at
WARP_LONG = 1024  # most long side of the straightened document the quality is measured on
MIN_AREA, MAX_AREA = 0.005, 0.92  # a candidate's share of the frame
MIN_SOLIDITY = 0.85  # contour area / hull area
CLIP_LEVELS = (250, 254)  # luma at or above which a pixel is clipped: the usual 250, and blown out
SAT_COLOURED = 40  # HSV S (0-255) above which a pixel counts as coloured

# code -> [(metric, direction)]: the code is raised when the metric is below ("<") or above
# (">") the threshold; calibration picks the one metric and threshold with the fewest errors.
RULES = {
    "document_too_small": [("area_frac", "<")],
    "document_incomplete": [("edge_px", "<")],
    "document_tilted": [("perspective", ">")],
    "blurry": [("lap_var", "<")],
    "glare": [("blob_250", ">"), ("blob_254", ">"), ("clipped_250", ">"), ("clipped_254", ">")],
    "overexposed": [("clipped_250", ">"), ("clipped_254", ">"), ("mean_luma", ">")],
    "too_dark": [("mean_luma", "<")],
    "not_color": [("sat_mean", "<"), ("sat_share", "<")],
}

# Uncalibrated starting points (the Laplacian-variance 100 is the usual tutorial value), kept
# where a corpus has no measurement to calibrate on.
DEFAULTS = {
    "document_too_small": ("area_frac", "<", 0.10),
    "document_incomplete": ("edge_px", "<", 3.0),
    "document_tilted": ("perspective", ">", 0.25),
    "blurry": ("lap_var", "<", 100.0),
    "glare": ("blob_250", ">", 0.005),
    "overexposed": ("clipped_250", ">", 0.25),
    "too_dark": ("mean_luma", "<", 50.0),
    "not_color": ("sat_mean", "<", 20.0),
}


def load(path):
    """An upright RGB array from an image file (EXIF orientation applied)."""
    im = Image.open(path)
    im.load()
    try:
        im = ImageOps.exif_transpose(im)
    except Exception:  # a broken EXIF block: no rotation
        pass
    return np.asarray(im.convert("RGB"))


def order_corners(pts):
    """Four points as tl, tr, br, bl: clockwise (y down) from the one with the least x + y."""
    pts = np.asarray(pts, dtype=np.float64).reshape(-1, 2)
    c = pts.mean(axis=0)
    pts = pts[np.argsort(np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0]))]  # clockwise on screen
    start = int(np.argmin(pts.sum(axis=1)))
    return np.roll(pts, -start, axis=0)


def auto_canny(gray, sigma=0.33):
    v = float(np.median(gray))
    return cv2.Canny(gray, int(max(0, (1 - sigma) * v)), int(min(255, (1 + sigma) * v)))


def _candidates(edges, frame_area, top=12):
    """(area, polygon, contour) of every contour that reduces to a 4- or 5-gon, solid and of a
    plausible size."""
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    out = []
    for c in sorted(contours, key=cv2.contourArea, reverse=True)[:top]:
        hull = cv2.convexHull(c)
        hull_area = cv2.contourArea(hull)
        if not MIN_AREA * frame_area <= hull_area <= MAX_AREA * frame_area:
            continue
        if cv2.contourArea(c) < MIN_SOLIDITY * hull_area:
            continue
        approx = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True).reshape(-1, 2)
        if len(approx) in (4, 5) and cv2.isContourConvex(approx.reshape(-1, 1, 2)):
            out.append((cv2.contourArea(approx.astype(np.float32)), approx.astype(np.float64), c))
    return out


def refine(quad, pts):
    """The corners of `quad` moved to where lines fitted to the edge pixels `pts` ((n, 2) x, y)
    along its sides meet: on the edges themselves, not on the dilated band's contour, and not
    pulled in by rounded corners or the polygon's vertex snapping. `quad` as it is where a side
    has too few edge pixels near it or a corner would move over 5 % of its side."""
    lines = []
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        length = float(np.linalg.norm(b - a))
        u = (b - a) / length
        rel = pts - a
        along, across = rel @ u, np.abs(rel @ np.array([-u[1], u[0]]))
        near = pts[(along > 0.15 * length) & (along < 0.85 * length) & (across < max(2.0, 0.03 * length))]
        if len(near) < 5:
            return quad
        vx, vy, x0, y0 = cv2.fitLine(near.astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        lines.append((np.array([x0, y0]), np.array([vx, vy])))
    out = []
    for i in range(4):
        (p, d), (q, e) = lines[i - 1], lines[i]
        m = np.array([d, -e]).T
        if abs(np.linalg.det(m)) < 1e-6:
            return quad
        t = np.linalg.solve(m, q - p)[0]
        out.append(p + t * d)
    out = np.array(out)
    sides = side_lengths(quad)
    if any(np.linalg.norm(out[i] - quad[i]) > 0.05 * min(sides[i - 1], sides[i]) for i in range(4)):
        return quad
    return out


def find_document(gray, saturation):
    """The document in a small image, given as its grayscale and HSV saturation planes: (polygon
    as an (n, 2) array, or None; whether the frame's border closed it). A 4-gon found without the
    border is the classic scanner's quad."""
    h, w = gray.shape
    frame_area = float(w * h)
    blurred = cv2.GaussianBlur(gray, (5, 5), 0)
    edges = [auto_canny(blurred), cv2.Canny(blurred, 75, 200), auto_canny(cv2.GaussianBlur(saturation, (5, 5), 0))]
    kernel = np.ones((3, 3), np.uint8)
    maps = [cv2.dilate(e, kernel) for e in edges]
    whole = []
    for e, m in zip(edges, maps):
        pts = np.column_stack(np.nonzero(e)[::-1]).astype(np.float64)
        whole += [(area, refine(poly, pts)) for area, poly, _ in _candidates(m, frame_area) if len(poly) == 4]
    cut = []
    for m in maps:
        m = m.copy()
        cv2.rectangle(m, (0, 0), (w - 1, h - 1), 255, 2)
        cut += [(area, poly) for area, poly, _ in _candidates(m, frame_area) if edge_distance(poly, w, h) <= 3]
    best_whole = max(whole, key=lambda c: c[0], default=None)
    best_cut = max(cut, key=lambda c: c[0], default=None)
    if best_cut and (not best_whole or best_cut[0] > 2 * best_whole[0]):
        return best_cut[1], True
    return (best_whole[1], False) if best_whole else (None, False)


def edge_distance(poly, w, h):
    """The least distance of a vertex from the frame's edge, in pixels of the image given."""
    p = np.asarray(poly)
    return float(min(p[:, 0].min(), p[:, 1].min(), (w - 1 - p[:, 0]).min(), (h - 1 - p[:, 1]).min()))


def side_lengths(quad):
    q = np.asarray(quad)
    return [float(np.linalg.norm(q[(i + 1) % 4] - q[i])) for i in range(4)]


def perspective(quad):
    """The larger opposite-side length ratio, minus 1 (0 for a rectangle seen square on)."""
    top, right, bottom, left = side_lengths(quad)
    ratio = lambda a, b: max(a, b) / max(min(a, b), 1e-9)
    return max(ratio(top, bottom), ratio(left, right)) - 1


def warp(rgb, quad, long_side):
    """The document inside `quad` (tl, tr, br, bl) of `rgb`, straightened, at `long_side`.

    warpPerspective samples bilinearly (it has no area filter), which skips pixels when it shrinks
    more than 2x; so a document over twice the size asked is first shrunk by a whole factor with
    INTER_AREA (OpenCV's fast path), then warped."""
    quad = np.asarray(quad, dtype=np.float64)
    top, right, bottom, left = side_lengths(quad)
    dw, dh = (top + bottom) / 2, (left + right) / 2
    s = long_side / max(dw, dh)
    ow, oh = max(1, round(dw * s)), max(1, round(dh * s))
    k = int(1 / s) if s < 0.5 else 1
    if k > 1:
        h, w = rgb.shape[:2]
        rgb = cv2.resize(rgb, (w // k, h // k), interpolation=cv2.INTER_AREA)
        quad = quad * [(w // k) / w, (h // k) / h]
    dst = np.float32([[0, 0], [ow - 1, 0], [ow - 1, oh - 1], [0, oh - 1]])
    m = cv2.getPerspectiveTransform(np.float32(quad), dst)
    return cv2.warpPerspective(rgb, m, (ow, oh), flags=cv2.INTER_LINEAR)


def small_planes(rgb, long_side=PROC_LONG):
    """The grayscale and HSV saturation planes the document is looked for in (shrunk by the least
    whole factor that brings the long side to `long_side` or less, INTER_AREA's fast path), and
    their x and y scales from `rgb`."""
    h, w = rgb.shape[:2]
    k = -(-max(w, h) // long_side)
    if k > 1:
        rgb = cv2.resize(rgb, (w // k, h // k), interpolation=cv2.INTER_AREA)
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    saturation = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)[:, :, 1]
    return gray, saturation, np.array([(w // k) / w, (h // k) / h])


def locate(rgb):
    """(polygon in full-resolution pixels or None, cut by the frame, polygon in the small image, its size)."""
    gray, saturation, s = small_planes(rgb)
    poly, cut = find_document(gray, saturation)
    if poly is None:
        return None, False, None, gray.shape
    # Pixel centres at integer coordinates on both scales.
    full = (order_corners(poly) if len(poly) == 4 else poly) + 0.5
    full = full / s - 0.5
    return full, cut, poly, gray.shape


def quality(rgb):
    """The quality metrics of an RGB image (the straightened document)."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    m = {"lap_var": float(cv2.Laplacian(gray, cv2.CV_64F).var())}
    for level in CLIP_LEVELS:
        clipped = (gray >= level).astype(np.uint8)
        n, _, stats, _ = cv2.connectedComponentsWithStats(clipped, connectivity=8)
        m[f"clipped_{level}"] = float(clipped.mean())
        m[f"blob_{level}"] = (int(stats[1:, cv2.CC_STAT_AREA].max()) if n > 1 else 0) / gray.size
    sat = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)[:, :, 1]
    return m | {
        "mean_luma": float(gray.mean()),
        "sat_mean": float(sat.mean()),
        "sat_share": float((sat > SAT_COLOURED).mean()),
    }


def measure(rgb):
    """Everything the scanner measures on one upright RGB image, JSON-friendly."""
    poly, cut, small, (sh, sw) = locate(rgb)
    if poly is None:
        return {"found": False, "corners": None, "polygon": None}
    m = {
        "found": True,
        "cut": cut,
        "polygon": [[round(float(x), 1), round(float(y), 1)] for x, y in poly],
        "corners": [[round(float(x), 1), round(float(y), 1)] for x, y in poly] if len(poly) == 4 else None,
        "area_frac": float(cv2.contourArea(np.float32(small))) / (sw * sh),
        "edge_px": edge_distance(small, sw, sh),
    }
    if len(poly) == 4:
        m["perspective"] = perspective(poly)
        native = max(side_lengths(poly))
        m.update(quality(warp(rgb, poly, min(WARP_LONG, round(native)))))
    return m


def decide(m, thresholds):
    """The codes the scanner raises for measurement `m` under `thresholds` (code -> (metric, dir, t))."""
    if not m["found"]:
        return {"document_not_found"}
    codes = set()
    if m["cut"]:
        codes.add("document_incomplete")
    for code, (metric, direction, t) in thresholds.items():
        v = m.get(metric)
        if v is not None and (v < t if direction == "<" else v > t):
            codes.add(code)
    return codes


def best_threshold(values, labels, direction):
    """The threshold on `values` that best separates `labels` (True: the code is expected) when
    the code is raised for values `direction` it; (threshold, errors). Among equally good cuts,
    the middle one; each cut lies halfway between neighbouring values."""
    pairs = sorted(zip(values, labels))
    xs = [v for v, _ in pairs]
    cuts = [xs[0] - 1e-9] + [(a + b) / 2 for a, b in zip(xs, xs[1:]) if a != b] + [xs[-1] + 1e-9]
    scored = []
    for t in cuts:
        errors = sum((v < t if direction == "<" else v > t) != lab for v, lab in pairs)
        scored.append((errors, t))
    least = min(e for e, _ in scored)
    best = [t for e, t in scored if e == least]
    return best[len(best) // 2], least


def calibrate(rows):
    """Thresholds with the fewest errors on `rows`, a list of (measurement, expected codes).

    Each code is calibrated on its own, over the captures where the scanner found the document
    and measured the metric: the one metric of its RULES and the cut that make the fewest false
    accepts plus false rejects. A code no capture expects gets a cut beyond every value (never
    raised on the corpus); one with no measurements keeps its DEFAULTS threshold."""
    thresholds = {}
    for code, options in RULES.items():
        best = None
        for metric, direction in options:
            data = [(m[metric], code in exp) for m, exp in rows if m["found"] and m.get(metric) is not None]
            if not data:
                continue
            t, errors = best_threshold([v for v, _ in data], [lab for _, lab in data], direction)
            if best is None or errors < best[0]:
                best = (errors, (metric, direction, t))
        thresholds[code] = best[1] if best else DEFAULTS[code]
    return thresholds


def reference_crop(rgb, out_long):
    """The document step of the 12 MP reference pipeline: the document found on a downscaled
    copy, the full-resolution image warped to it at long side `out_long`; None when no complete
    4-corner document is found (the caller keeps the whole frame)."""
    poly, cut, _, _ = locate(rgb)
    if poly is None or cut or len(poly) != 4:
        return None
    return warp(rgb, poly, out_long)

