"""Reading a document's pages: decode the file, clean up each page, and OCR it into words with boxes.

The engine is Debian's Tesseract through tesserocr, in-process and offline. Raw Tesseract fails on phone
photos (uneven light defeats its binarisation) and is slow with all three languages on a full page, so a page
is read in steps (see docs/decisions/0011-border-document-ai.md):

1. preprocessing: a photographed sheet found by its edges and rectified, light text on dark bands inverted,
   lighting flattened (the page divided by a heavy blur of itself), the page brought to 200-dpi A4 size,
   deskewed; table rules found (they bound cells and boxes) and painted out;
2. the page pass with ``vie`` (Vietnamese and Latin text, digits, layout), or with ``eng`` when the head of
   the page shows an English-only certificate of origin;
3. the runs of words it could not read (Han script comes out as junk with near-zero confidence) re-read as
   single lines with ``vie+chi_sim``, and ink no word covers read the same way.

Boxes are kept in two frames: ``box`` in the cleaned (rectified, rescaled, deskewed) image, where rows are
horizontal and layout rules work, and ``bbox`` in pixels of the page image the caller has (what the API
returns).
"""

from __future__ import annotations

import io
import os
import re
import threading
import time
import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageOps

from langson.border import normalize
from langson.border.schema import PDF_DPI

TESSDATA = os.environ.get("LANGSON_TESSDATA", "/usr/share/tesseract-ocr/5/tessdata/")

# Median height of a glyph's connected component the page is rescaled to: the size at which Tesseract's
# LSTM models read best here (the height of 10-point text at 200 dpi, what scanners produce).
WORK_SCALE = float(os.environ.get("LANGSON_OCR_SCALE", "1.0"))
TARGET_GLYPH_HEIGHT = 19.0 * WORK_SCALE
# The page pass. vie+eng reads a few more English words and codes right but drops the tone marks of
# Vietnamese words the English model claims ("Tân" → "Tan"); measured equal in field F1, vie is kept.
MAIN_LANGUAGES = os.environ.get("LANGSON_OCR_LANGUAGES", "vie")
ENGLISH_LANGUAGES = "eng"
MIN_SCALE, MAX_SCALE = 0.4, 3.0
MAX_SKEW_DEGREES = 6.0
# A word Tesseract's vie model reads with less confidence than this may be in another script.
SUSPECT_CONFIDENCE = 50.0
# Caps on second readings per page, so that a page full of stamps or junk stays within the time budget.
MAX_REREADS, MAX_UNREAD = int(os.environ.get("LANGSON_OCR_REREADS", "30")), 8
# Ink no word covers is read again up to a title's or a bold name's height (about twice the body text's) and a
# whole line's width, in glyph heights.
UNREAD_MAX_HEIGHT, UNREAD_MAX_WIDTH = 2.2, 80
HAN_RUN_SCORE = 0.9  # the recogniser's mean character probability for a run's Han reading to be kept
MAX_HAN_RUNS = 12  # runs of unread words re-read whole by the PP-OCRv4 recogniser per page
MAX_FIGURES = 200  # words re-read by the PP-OCRv4 recogniser per page (a dense invoice has about 120)
UNSURE_LATIN = 50  # Tesseract's confidence under which a word without digits is re-read by it too
UNSURE_SHORT = 90  # …and a word of three characters or fewer, often Han read as letters
HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass
class Word:
    """One OCR word: text (NFC), confidence 0..1, ``box`` in the cleaned image, ``bbox`` in the page image."""

    text: str
    conf: float
    box: tuple[int, int, int, int]
    bbox: tuple[int, int, int, int] = (0, 0, 0, 0)
    line: int = 0
    page: int = 1
    han: bool = False

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]

    @property
    def cy(self) -> float:
        return (self.box[1] + self.box[3]) / 2


@dataclass
class PageText:
    """What was read on one page."""

    page: int
    width: int
    height: int
    words: list[Word] = field(default_factory=list)
    seconds: float = 0.0
    angle: float = 0.0
    scale: float = 1.0
    glyph_height: float = TARGET_GLYPH_HEIGHT
    vertical_rules: list[tuple[int, int, int]] = field(
        default_factory=list
    )  # (x, top, bottom), cleaned frame
    horizontal_rules: list[tuple[int, int, int]] = field(default_factory=list)  # (y, left, right)

    @property
    def text(self) -> str:
        lines: dict[int, list[str]] = {}
        for word in self.words:
            lines.setdefault(word.line, []).append(word.text)
        return "\n".join(" ".join(w) for w in lines.values())


# --- engines: one Tesseract instance per (languages, mode) and process, guarded by a lock -----------------

_engines: dict[tuple[str, int], Any] = {}
_engine_locks: dict[tuple[str, int], threading.Lock] = {}
_registry_lock = threading.Lock()


def _engine(lang: str, psm: int) -> tuple[Any, threading.Lock]:
    """A ready PyTessBaseAPI: creating one loads the models (0.1–0.3 s), so each is made once per process."""
    key = (lang, psm)
    with _registry_lock:
        if key not in _engines:
            # Tesseract's OpenMP threads fight over the cores with the web workers; one thread per reader.
            os.environ.setdefault("OMP_THREAD_LIMIT", "1")
            import tesserocr

            api = tesserocr.PyTessBaseAPI(path=TESSDATA, lang=lang, psm=psm)
            # Inverted (white on black) text is rare on trade documents; trying it doubles the work on
            # every low-confidence line.
            api.SetVariable("tessedit_do_invert", "0")
            _engines[key] = api
            _engine_locks[key] = threading.Lock()
        return _engines[key], _engine_locks[key]


def engines_available() -> bool:
    """Whether Tesseract and the three languages are installed (for a clear error instead of a crash)."""
    return all(os.path.exists(os.path.join(TESSDATA, f"{lang}.traineddata")) for lang in ("vie", "chi_sim"))


# --- decoding -------------------------------------------------------------------------------------------


def render_pdf(data: bytes, *, max_pages: int, max_pixels: int) -> list[Image.Image]:
    """The pages of a PDF rendered at ``PDF_DPI``; ValueError when a page would be absurdly large."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        if len(pdf) > max_pages:
            raise OverflowError(len(pdf))
        scale = PDF_DPI / 72
        images = []
        for index in range(len(pdf)):
            page = pdf[index]
            width, height = page.get_size()
            if width * scale * height * scale > max_pixels:
                raise ValueError("page too large")
            images.append(page.render(scale=scale, grayscale=False).to_pil().convert("RGB"))
            page.close()
        return images
    finally:
        pdf.close()


def open_image(data: bytes, *, max_pixels: int) -> Image.Image:
    """A PNG or JPEG, upright (EXIF orientation applied); ValueError when its pixel count is absurd.

    The size is read from the header before any pixel is decoded, so a decompression bomb costs nothing.
    """
    try:
        with warnings.catch_warnings():
            # Pillow warns above its own limit; ours is lower and refuses the file just below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:  # Pillow's own, larger limit
        raise ValueError("too many pixels") from exc
    width, height = opened.size
    if width * height > max_pixels or width < 1 or height < 1:
        raise ValueError("too many pixels")
    opened.load()
    image: Image.Image = ImageOps.exif_transpose(opened)
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    return image


# --- preprocessing --------------------------------------------------------------------------------------


@dataclass
class Cleaned:
    """A page ready for Tesseract, and the projective map from page-image pixels to it."""

    binary: np.ndarray
    gray: np.ndarray  # the flattened, rescaled, deskewed page the recognisers read (see ``grainy``)
    matrix: np.ndarray  # 3×3, page image → cleaned image
    angle: float
    scale: float
    glyph_height: float
    ink: float  # share of dark pixels: ~0 on a blank page
    vertical_rules: list[tuple[int, int, int]] = field(default_factory=list)
    horizontal_rules: list[tuple[int, int, int]] = field(default_factory=list)
    paper: bool = False  # the sheet was found in a photo and rectified
    grainy: bool = False  # a scan's or a photo's grain: the recognisers read it unblurred


def _flatten(gray: np.ndarray) -> np.ndarray:
    """Divide the page by its own heavy blur: shadows and uneven light vanish, ink stays dark."""
    h, w = gray.shape
    factor = max(1, round(max(h, w) / 500))
    small = cv2.resize(gray, (max(1, w // factor), max(1, h // factor)), interpolation=cv2.INTER_AREA)
    # A closing first lifts the background over the ink, so dense text does not darken its own background.
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5))
    background = cv2.GaussianBlur(cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel), (0, 0), 8)
    background = cv2.resize(background, (w, h), interpolation=cv2.INTER_LINEAR)
    flat = cv2.divide(gray, np.maximum(background, 1), scale=255)
    return flat


def _glyph_height(binary_ink: np.ndarray) -> float:
    """Median height of the glyph-like connected components of an ink mask (ink = 255)."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(binary_ink, connectivity=8)
    if count <= 1:
        return 0.0
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    widths = stats[1:, cv2.CC_STAT_WIDTH]
    areas = stats[1:, cv2.CC_STAT_AREA]
    fill = areas / np.maximum(1, heights * widths)
    h_img = binary_ink.shape[0]
    keep = (
        (heights >= 5)
        & (heights <= h_img / 15)
        & (widths <= heights * 2.5)
        & (widths >= heights * 0.12)
        & (areas >= 8)
        & (fill > 0.12)
        & (fill < 0.9)
    )
    if keep.sum() < 20:
        return 0.0
    return float(np.median(heights[keep]))


def _skew(ink: np.ndarray) -> float:
    """The small rotation (degrees) that makes text rows horizontal: the one whose row profile is sharpest."""
    h, w = ink.shape
    factor = 700 / max(w, 1)
    small = cv2.resize(ink, (max(1, int(w * factor)), max(1, int(h * factor))), interpolation=cv2.INTER_AREA)
    centre = (small.shape[1] / 2, small.shape[0] / 2)

    def sharpness(angle: float) -> float:
        rot = cv2.getRotationMatrix2D(centre, angle, 1.0)
        turned = cv2.warpAffine(small, rot, (small.shape[1], small.shape[0]), flags=cv2.INTER_NEAREST)
        profile = turned.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(profile)).sum())

    angles = np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 0.01, 0.5)
    scores = [sharpness(a) for a in angles]
    best = float(angles[int(np.argmax(scores))])
    fine = np.arange(best - 0.4, best + 0.41, 0.1)
    scores = [sharpness(a) for a in fine]
    best = float(fine[int(np.argmax(scores))])
    return 0.0 if abs(best) < 0.15 else best


# The width pages are brought to when the sheet's edges are seen: A4 at 200 dpi, what scanners deliver.
PAGE_WIDTH = int(1654 * WORK_SCALE)
PAPER_WIDTH = int(PAGE_WIDTH * float(os.environ.get("LANGSON_OCR_PAPER_SCALE", "1.0")))


def _find_paper(gray: np.ndarray) -> np.ndarray | None:
    """The four corners (TL, TR, BR, BL) of a sheet photographed on a background, or None when the image is
    the page itself (scans, renders) or the sheet's edges are not all in view.

    The sheet's outline is the largest four-cornered contour of the edge map: uneven light can make part of
    the desk brighter than part of the paper, so a global threshold is not enough."""
    h, w = gray.shape
    factor = 600 / max(h, w)
    small = cv2.resize(gray, (max(1, int(w * factor)), max(1, int(h * factor))), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    sh, sw = small.shape
    edges = cv2.Canny(small, 30, 90)
    edges = cv2.dilate(edges, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    best: np.ndarray | None = None
    best_area = 0.0
    for contour in contours:
        hull = cv2.convexHull(contour)
        area = cv2.contourArea(hull) / float(sh * sw)
        if not 0.3 < area < 0.97 or area <= best_area:
            continue
        approx = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True).reshape(-1, 2)
        if len(approx) != 4:
            continue
        if not _darker_outside(small, approx):
            continue  # a frame printed on the page, with paper on both sides
        if not _sheet_shaped(approx):
            continue  # part of the sheet cut off by a shadow or a fold: no sheet is square
        best, best_area = approx, area
    if best is None:
        return None
    points = best.astype(np.float64) / factor
    # Order: top-left has the smallest x+y, bottom-right the largest; top-right the smallest y-x.
    total, diff = points.sum(axis=1), points[:, 1] - points[:, 0]
    ordered = np.array(
        [points[np.argmin(total)], points[np.argmin(diff)], points[np.argmax(total)], points[np.argmax(diff)]]
    )
    if len({tuple(p) for p in ordered.tolist()}) < 4:
        return None
    return ordered


# Height over width of a sheet of paper: A4 and A5 (√2), US letter (1.29), upright or turned; a quadrilateral
# whose sides are far from these (a photo's perspective changes them a little) is not a whole sheet.
SHEET_RATIOS = (2**0.5, 11 / 8.5)


def _sheet_shaped(quad: np.ndarray) -> bool:
    """Whether a quadrilateral (corners in order round it) has the proportions of a sheet of paper."""
    sides = [float(np.linalg.norm(quad[k] - quad[(k + 1) % 4])) for k in range(4)]
    across, along = (sides[0] + sides[2]) / 2, (sides[1] + sides[3]) / 2
    if min(across, along) <= 0:
        return False
    ratio = max(across, along) / min(across, along)
    return min(SHEET_RATIOS) / 1.15 <= ratio <= max(SHEET_RATIOS) * 1.15


def _darker_outside(small: np.ndarray, quad: np.ndarray) -> bool:
    """Whether the band just outside the quadrilateral is clearly darker than the band just inside it."""
    mask = np.zeros(small.shape, np.uint8)
    cv2.fillConvexPoly(mask, quad.astype(np.int32), 255)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))
    inside = cv2.subtract(mask, cv2.erode(mask, kernel))
    outside = cv2.subtract(cv2.dilate(mask, kernel), mask)
    if not inside.any() or np.count_nonzero(outside) < 0.2 * np.count_nonzero(inside):
        return False  # the page fills the image: nothing is seen around it
    return float(small[outside > 0].mean()) < float(small[inside > 0].mean()) - 20


GRAY_MODE = os.environ.get("LANGSON_OCR_GRAY", "min")


def _gray(image: Image.Image) -> np.ndarray:
    """One channel for reading. The darkest channel of each pixel rather than the luminance: coloured print
    (red or blue form labels) then stands out from the paper as much as black does."""
    if image.mode == "L" or GRAY_MODE == "luma":
        return np.asarray(image.convert("L"))
    red, green, blue = cv2.split(np.asarray(image.convert("RGB")))
    return np.asarray(cv2.min(cv2.min(red, green), blue))  # numpy's min over the channel axis is ~10× slower


def clean(image: Image.Image) -> Cleaned:
    """Rectify a photographed sheet, flatten the lighting, rescale to the target text height, deskew and
    binarise one page."""
    gray = _gray(image)
    h, w = gray.shape
    corners = _find_paper(gray)
    paper = corners is not None
    if corners is not None:
        top = float(np.linalg.norm(corners[1] - corners[0]))
        bottom = float(np.linalg.norm(corners[2] - corners[3]))
        left = float(np.linalg.norm(corners[3] - corners[0]))
        right = float(np.linalg.norm(corners[2] - corners[1]))
        out_w = PAPER_WIDTH
        out_h = round(PAPER_WIDTH * (left + right) / max(1.0, top + bottom))
        target = np.array([[0, 0], [out_w, 0], [out_w, out_h], [0, out_h]], dtype=np.float32)
        to_sheet = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
        # Two pixels in from the sheet's edge: the desk must not leave a dark frame.
        gray = cv2.warpPerspective(
            gray, to_sheet, (out_w, out_h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
        )
        gray[:3, :], gray[-3:, :], gray[:, :3], gray[:, -3:] = 255, 255, 255, 255
        base = to_sheet.astype(np.float64)
        h, w = gray.shape
    else:
        base = np.eye(3)
    gray = _uninvert(gray)
    flat = _flatten(gray)
    threshold, ink = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    # Otsu on a page with (almost) no ink splits the paper's own noise: what counts as ink is clearly dark.
    ink_share = float(np.count_nonzero(flat < 128)) / flat.size
    glyph = _glyph_height(ink)
    if paper:
        scale = 1.0  # already at the standard width
    elif 1.25 < h / w < 1.6:
        # A whole portrait page (scan, render, PDF): the standard width gives the standard text size.
        scale = PAGE_WIDTH / w
    else:
        scale = TARGET_GLYPH_HEIGHT / glyph if glyph else 1.0
    scale = float(min(MAX_SCALE, max(MIN_SCALE, scale)))
    if 0.9 < scale < 1.12:
        scale = 1.0  # close enough: resampling would only blur
    angle = _skew(ink) if ink_share > 0.001 else 0.0
    out_w, out_h = round(w * scale), round(h * scale)
    affine = cv2.getRotationMatrix2D((w / 2, h / 2), angle, scale)
    affine[0, 2] += (out_w - w) / 2
    affine[1, 2] += (out_h - h) / 2
    if angle == 0.0 and scale == 1.0:
        warped = flat
    else:
        interpolation = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA if angle == 0.0 else cv2.INTER_LINEAR
        warped = cv2.warpAffine(
            flat, affine, (out_w, out_h), flags=interpolation, borderMode=cv2.BORDER_CONSTANT, borderValue=255
        )
    matrix = np.vstack([affine, [0.0, 0.0, 1.0]]) @ base
    # Noise (scans, phone sensors) would become specks in the ink mask: a light blur before the threshold
    # removes them.
    smooth = cv2.GaussianBlur(warped, (0, 0), 0.6 if scale <= 1.2 else 0.9)
    _, binary = cv2.threshold(smooth, min(threshold, 250), 255, cv2.THRESH_BINARY)
    rules, vertical, horizontal = _rules(binary, TARGET_GLYPH_HEIGHT)
    # What the recognisers read. Tesseract's LSTM reads the grey image itself: a rendered page reads best with
    # its hard edges softened, but a scan or a photo is soft already, and blurring it again cost tone marks,
    # decimal points and thin strokes (rules-only F1 on 105 train photos 0.782 → 0.810, on 105 scans 0.897 →
    # 0.908; on 105 rendered pages unblurred 0.969 → 0.960, so those stay blurred).
    grainy = _grainy(warped, binary)
    reading = warped if grainy else smooth
    if rules is not None:
        # Table rules touching the text make Tesseract read "|" and "l", or merge cells: paint them out.
        reading = reading.copy()
        reading[rules > 0] = 255
        binary = binary.copy()
        binary[rules > 0] = 255
    glyph_out = glyph * scale if glyph else 0.0
    return Cleaned(
        binary, reading, matrix, angle, scale, glyph_out, ink_share, vertical, horizontal, paper, grainy
    )


def _grainy(gray: np.ndarray, binary: np.ndarray) -> bool:
    """Whether the paper of a page shows a scanner's or a phone sensor's grain rather than the flat white of a
    page rendered by a computer: the median deviation of the paper's pixels (every fourth row, away from ink)
    from their median is 0 on rendered pages, JPEG-compressed ones included, and 2–5 on scans and photos."""
    rows = slice(None, None, 4)
    near_ink = cv2.dilate(cv2.bitwise_not(binary[rows]), np.ones((3, 7), np.uint8))
    paper = gray[rows][near_ink == 0]
    if paper.size < 1000:
        return False
    deviation = np.abs(paper.astype(np.int16) - int(np.median(paper)))
    return float(np.median(deviation)) >= 1.0


def _uninvert(gray: np.ndarray) -> np.ndarray:
    """Light text on a dark band (table headers, title bars) turned dark on light, as Tesseract reads it.
    Done before the lighting is flattened, which would otherwise turn the band into paper and its text into
    nothing. Only the band's own pixels are inverted (a scanned band is slanted: its bounding box is not)."""
    h, w = gray.shape
    factor = 4
    small = cv2.resize(gray, (max(1, w // factor), max(1, h // factor)), interpolation=cv2.INTER_AREA)
    _, dark = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    # Opening keeps solid areas only (text strokes and rules vanish).
    dark = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    out = gray
    for i in range(1, count):
        x, y, bw, bh, area = (int(v) for v in stats[i])
        # A band: wider than tall, at least a text line high, mostly solid, not the whole image (a desk).
        if bh < 6 or bw < 3 * bh or bw * bh > 0.25 * small.size:
            continue
        points = cv2.findNonZero((labels[y : y + bh, x : x + bw] == i).astype(np.uint8))
        (_, _), (rw, rh), _ = cv2.minAreaRect(points)
        if area < 0.7 * max(1.0, rw * rh) or min(rw, rh) < 6:
            continue  # not a solid (possibly slanted) rectangle
        band = (labels == i).astype(np.uint8) * 255
        # The band's light text makes holes in it: close them, so the text is inverted with its band.
        band = cv2.morphologyEx(band, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9)))
        band = cv2.erode(band, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
        mask = cv2.resize(band, (w, h), interpolation=cv2.INTER_NEAREST) > 0
        darkest, middle, lightest = np.percentile(gray[mask], [3, 50, 97])
        if lightest - middle < 3 * (middle - darkest):
            # Dark text on a grey cell, a shadow or a bold title: what stands out of it is darker, not
            # lighter. Inverted, a photographed grey header cell's words were lost.
            continue
        if out is gray:
            out = gray.copy()
        values = 255 - out[mask].astype(np.int16)
        # Stretch so the band's own background becomes paper-white.
        top = float(np.percentile(values, 60)) or 1.0
        out[mask] = np.clip(values * (235.0 / top), 0, 255).astype(np.uint8)
    return out


Segments = list[tuple[int, int, int]]


def _thick_as_text(ink: np.ndarray, top: int, left: int, thickness: int, length: int, glyph: float) -> bool:
    """Whether a horizontal run of ink (rows ``top``..``top + thickness``, columns ``left``..``left +
    length``) is, in its typical column, part of a stroke of ink as thick as half a line of text: the
    middle of a bold word blurred into one blob, not a line (a blurred rule is a few pixels thick). Pass
    the transposed image for a vertical run."""
    reach = max(2, round(glyph))
    region = ink[max(0, top - reach) : top + thickness + reach, left : left + length] > 0
    if region.size == 0:
        return False
    start = top - max(0, top - reach)
    above = np.cumprod(region[:start][::-1], axis=0).sum(axis=0)  # contiguous ink just over the run
    below = np.cumprod(region[start + thickness :], axis=0).sum(axis=0)  # and just under it
    return float(np.median(above + below + thickness)) >= 0.5 * glyph


def _rules(binary: np.ndarray, glyph: float) -> tuple[np.ndarray | None, Segments, Segments]:
    """The mask of long straight lines (table rules, underlines, frames), slightly thickened, the vertical
    ones as (x, top, bottom) and the horizontal ones as (y, left, right): the boundaries of table columns
    and of the boxes of forms."""
    ink = cv2.bitwise_not(binary)
    length = int(glyph * 4)
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    if not horizontal.any() and not vertical.any():
        return None, [], []
    # A rule is thin. The middle of a bold word blurred into one blob (a photographed heading in a grey
    # cell) has long runs of ink too, but within a stroke as thick as the text: painted out, it was lost.
    segments: list[tuple[int, int, int]] = []
    count, labels, stats, _ = cv2.connectedComponentsWithStats(vertical, connectivity=8)
    for i in range(1, count):
        x, y, w, h, _ = (int(v) for v in stats[i])
        if _thick_as_text(ink.T, x, y, w, h, glyph):
            vertical[labels == i] = 0
        elif w <= glyph:
            segments.append((x + w // 2, y, y + h))
    flat: list[tuple[int, int, int]] = []
    count, labels, stats, _ = cv2.connectedComponentsWithStats(horizontal, connectivity=8)
    for i in range(1, count):
        x, y, w, h, _ = (int(v) for v in stats[i])
        if _thick_as_text(ink, y, x, h, w, glyph):
            horizontal[labels == i] = 0
        elif h <= glyph:
            flat.append((y + h // 2, x, x + w))
    mask = cv2.bitwise_or(horizontal, vertical)
    if not mask.any():
        return None, segments, flat
    return cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))), segments, flat


Box = tuple[int, int, int, int]


def _to_page(box: Box, inverse: np.ndarray, width: int, height: int) -> Box:
    """A box of the cleaned image mapped back to the page image (the box around its four mapped corners)."""
    x0, y0, x1, y1 = box
    corners = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=np.float64)
    mapped = corners @ inverse.T
    if mapped.shape[1] == 3:  # a homography: back from projective coordinates
        mapped = mapped[:, :2] / mapped[:, 2:3]
    xs, ys = mapped[:, 0], mapped[:, 1]
    return (
        int(max(0, min(width, np.floor(xs.min())))),
        int(max(0, min(height, np.floor(ys.min())))),
        int(max(0, min(width, np.ceil(xs.max())))),
        int(max(0, min(height, np.ceil(ys.max())))),
    )


# --- recognition ----------------------------------------------------------------------------------------


@dataclass
class _Symbol:
    text: str
    conf: float
    box: tuple[int, int, int, int]


@dataclass
class _RawWord:
    text: str
    conf: float
    box: tuple[int, int, int, int]
    line: int
    symbols: list[_Symbol]


def _words(api: Any) -> Iterator[_RawWord]:
    """Words of the last recognition, with their symbols, numbered by Tesseract's text line."""
    from tesserocr import RIL

    iterator = api.GetIterator()
    if iterator is None:
        return
    line = -1
    current: _RawWord | None = None
    while True:
        if iterator.Empty(RIL.SYMBOL):
            if not iterator.Next(RIL.SYMBOL):
                break
            continue
        if iterator.IsAtBeginningOf(RIL.TEXTLINE):
            line += 1
        if iterator.IsAtBeginningOf(RIL.WORD):
            if current is not None:
                yield current
            text = iterator.GetUTF8Text(RIL.WORD) or ""
            box = iterator.BoundingBox(RIL.WORD)
            current = _RawWord(text, iterator.Confidence(RIL.WORD), box, max(line, 0), [])
        symbol_box = iterator.BoundingBox(RIL.SYMBOL)
        if current is not None and symbol_box is not None:
            current.symbols.append(
                _Symbol(iterator.GetUTF8Text(RIL.SYMBOL) or "", iterator.Confidence(RIL.SYMBOL), symbol_box)
            )
        if not iterator.Next(RIL.SYMBOL):
            break
    if current is not None:
        yield current


def _recognise(lang: str, psm: int, image: Image.Image) -> list[_RawWord]:
    api, lock = _engine(lang, psm)
    with lock:
        api.SetImage(image)
        api.Recognize()
        return [w for w in _words(api) if w.text.strip()]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


GARBAGE_RE = re.compile(r"[#‡†⁄¿£¥§©®¶\\\]\[}{|~^`<>»«“”„]")


def junk_marks(text: str) -> bool:
    """A reading made of junk marks with few digits ("FR#Ht®", "#6+x"): Han or a stamp the model could not
    read, not a figure with a rule's remnant ("|597")."""
    return bool(GARBAGE_RE.search(text)) and 2 * sum(c.isdigit() for c in text) < len(text)


def _is_suspect(word: _RawWord) -> bool:
    """vie reads Han script as confident-looking symbols in a word it is not sure of, or as junk marks."""
    return word.conf < SUSPECT_CONFIDENCE or bool(GARBAGE_RE.search(word.text))


def _crop(page: np.ndarray, box: tuple[int, int, int, int], pad: int) -> tuple[Image.Image, int, int, float]:
    """The box (rows widened by ``pad``) on a white margin, enlarged when its text is small, and the offset
    and factor that map its pixels back."""
    height_img, width_img = page.shape
    x0, y0, x1, y1 = box
    left, top = max(0, x0), max(0, y0 - pad)
    crop = page[top : min(height_img, y1 + pad), left : min(width_img, x1)]
    if crop.size == 0:
        crop = np.full((2, 2), 255, np.uint8)  # nothing there: Tesseract reads a blank
    margin = max(pad, 6)
    crop = cv2.copyMakeBorder(crop, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=255)
    factor = 1.0
    if 0 < y1 - y0 < 26:
        # Small print (labels of boxed forms) reads far better a little larger.
        factor = min(2.0, 30.0 / (y1 - y0))
        crop = cv2.resize(crop, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
    return Image.fromarray(crop), left - margin, top - margin, factor


def _band(binary: np.ndarray, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """The box narrowed (or widened) in height to the text line through its middle: a neighbour line's ink
    in a crop makes a single-line reading fail."""
    x0, y0, x1, y1 = box
    height = max(4, y1 - y0)
    top, bottom = max(0, y0 - height // 2), min(binary.shape[0], y1 + height // 2)
    profile = (binary[top:bottom, max(0, x0) : max(x0 + 1, x1)] < 128).sum(axis=1)
    if profile.size == 0 or profile.max() == 0:
        return box
    inked = profile > max(1, 0.02 * (x1 - x0))
    middle = min(len(inked) - 1, max(0, (y0 + y1) // 2 - top))
    if not inked[middle]:
        # The middle row may fall between the strokes: take the nearest inked row.
        rows = np.flatnonzero(inked)
        if rows.size == 0:
            return box
        middle = int(rows[np.argmin(np.abs(rows - middle))])
    start = middle
    while start > 0 and inked[start - 1]:
        start -= 1
    end = middle
    while end + 1 < len(inked) and inked[end + 1]:
        end += 1
    if end - start < 0.4 * height:
        return box
    return (x0, top + start, x1, top + end + 1)


def _reread(cleaned: Cleaned, box: tuple[int, int, int, int], line: int) -> tuple[list[_RawWord], float]:
    """``vie+chi_sim`` on one line crop: Tesseract picks the better language per word. Han runs are joined."""
    box = _band(cleaned.binary, box)
    page_h, page_w = cleaned.gray.shape
    box = (max(0, box[0]), max(0, box[1]), min(page_w, box[2]), min(page_h, box[3]))
    if box[2] - box[0] < 2 or box[3] - box[1] < 2:
        return [], 0.0  # a box outside the page (a word at its very edge)
    height = box[3] - box[1]
    image, ox, oy, factor = _crop(cleaned.gray, box, 3)
    reread = _recognise("vie+chi_sim", 7, image)
    words: list[_RawWord] = []

    def back(b: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        return (
            int(b[0] / factor) + ox,
            int(b[1] / factor) + oy,
            round(b[2] / factor) + ox,
            round(b[3] / factor) + oy,
        )

    for w in reread:
        bx = back(w.box)
        text = _join_han(w.text)
        last = words[-1] if words else None
        # chi_sim splits a Han run into several words; printed Chinese has no spaces between them.
        gap = bx[0] - last.box[2] if last is not None else 0
        han_join = last is not None and bool(HAN_RE.search(last.text[-1:])) and bool(HAN_RE.search(text[:1]))
        # Printed Chinese has no spaces, also around a Latin letter or a number inside it ("铺内A工业区").
        mixed_join = (
            last is not None
            and (bool(HAN_RE.search(last.text[-1:])) or bool(HAN_RE.search(text[:1])))
            and re.fullmatch(r"[\w\u3400-\u9fff]+", last.text + text) is not None
            and gap < 0.3 * height
        )
        if last is not None and ((han_join and gap < 0.9 * height) or mixed_join):
            last.text += text
            last.conf = min(last.conf, w.conf)
            last.box = (last.box[0], min(last.box[1], bx[1]), bx[2], max(last.box[3], bx[3]))
            continue
        words.append(_RawWord(text, w.conf, bx, line, []))
    for index, w in enumerate(words):
        # vie+chi_sim sometimes keeps vie's junk for a whole Han run: chi_sim alone gets it.
        # Only for what still looks like junk a Han run leaves (marks, no confidence), a few per crop.
        junk = bool(GARBAGE_RE.search(w.text)) or w.conf < 25
        if junk and not HAN_RE.search(w.text) and w.box[2] - w.box[0] > 0.8 * height and index < 3:
            image, _ox, _oy, _factor = _crop(cleaned.gray, (w.box[0], box[1], w.box[2], box[3]), 2)
            han = _recognise("chi_sim", 7, image)
            text = _join_han(" ".join(h.text for h in han))
            conf = min((h.conf for h in han), default=0.0)
            if HAN_RE.search(text) and conf >= 40:
                words[index] = _RawWord(text, conf, w.box, line, [])
    for w in words:
        w.text = _lexicon(w.text)
    mean = sum(w.conf for w in words) / len(words) if words else 0.0
    return words, mean


# Chinese place names of the Guangxi border that chi_sim reads with one look-alike character.
HAN_LEXICON = {"赁祥": "凭祥", "任祥": "凭祥", "凭样": "凭祥", "赁样": "凭祥", "凭洋": "凭祥", "友宜": "友谊"}


def _lexicon(text: str) -> str:
    for wrong, right in HAN_LEXICON.items():
        if wrong in text:
            text = text.replace(wrong, right)
    return text


def _joins(neighbour: _RawWord, word: _RawWord, line_h: int) -> bool:
    gap = max(word.box[0] - neighbour.box[2], neighbour.box[0] - word.box[2])
    return not (gap > 0.8 * line_h or neighbour.conf >= 85 or neighbour.text.endswith((":", "：", ")")))


VIETNAMESE_MARKS = re.compile("[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]")
ENGLISH_ONLY_TITLES = ("certificate of origin", "form e", "preferential tariff")


def _split_row(binary: np.ndarray) -> int:
    """A blank row near a quarter of the page's height, where the page can be cut without cutting a line."""
    height = binary.shape[0]
    inked = (binary < 128).sum(axis=1) > 0
    target = height // 4
    for offset in range(0, height // 8):
        for y in (target + offset, target - offset):
            if 0 < y < height and not inked[y]:
                return y
    return target


def _main_pass(cleaned: Cleaned) -> list[_RawWord]:
    """The page pass, in two parts: the top of the page with ``vie`` first. When the top is the head of a
    certificate of origin (Form E is printed in English only) and holds no Vietnamese, the page is read with
    the English model, which reads Latin capitals and codes better ("PINGXTANG", "LTMTTED" from vie);
    otherwise the rest of the page is read with ``vie`` too, so no page is read twice."""
    split = _split_row(cleaned.binary)
    top = _read_part(MAIN_LANGUAGES, cleaned, 0, split)
    head = fold(" ".join(w.text for w in top))
    latin = [w.text for w in top if w.conf > 60 and re.search(r"[^\W\d_]{2,}", w.text)]
    marked = sum(1 for text in latin if VIETNAMESE_MARKS.search(text.lower()))
    if any(title in head for title in ENGLISH_ONLY_TITLES) and marked <= max(1, len(latin) // 20):
        return _read_part(ENGLISH_LANGUAGES, cleaned, 0, cleaned.gray.shape[0])
    bottom = _read_part(MAIN_LANGUAGES, cleaned, split, cleaned.gray.shape[0])
    lines = max((w.line for w in top), default=-1) + 1
    for word in bottom:
        _move(word, 0, split)
        word.line += lines
    return top + bottom


def _move(word: _RawWord, dx: int, dy: int) -> None:
    """A word read in a part of the page, and its symbols, placed on the whole page."""
    word.box = (word.box[0] + dx, word.box[1] + dy, word.box[2] + dx, word.box[3] + dy)
    for symbol in word.symbols:
        symbol.box = (symbol.box[0] + dx, symbol.box[1] + dy, symbol.box[2] + dx, symbol.box[3] + dy)


MIN_INK_READ = 0.45  # share of a part's ink inside the words read, under which its layout analysis failed


def _ink_read(binary: np.ndarray, words: list[_RawWord]) -> float:
    """The share of the ink of ``binary`` inside the boxes of ``words`` (a few pixels wider). Rules and stamps
    are never inside: a fully read page is at 0.6–0.9."""
    ink = binary < 128
    inside = np.zeros_like(ink)
    for w in words:
        x0, y0, x1, y1 = w.box
        inside[max(0, y0 - 3) : y1 + 3, max(0, x0 - 3) : x1 + 3] = True
    return float((ink & inside).sum()) / max(1, int(ink.sum()))


def _read_part(lang: str, cleaned: Cleaned, top: int, bottom: int) -> list[_RawWord]:
    """Rows ``top``..``bottom`` of the page read with Tesseract's automatic layout (psm 3). On a photographed
    table with grey cells that analysis can take the whole part for a picture and read nothing, or a few
    words: then the part is read as one block of text lines (psm 6), which is kept if it reads more of the
    ink."""
    image = Image.fromarray(cleaned.gray[top:bottom])
    binary = cleaned.binary[top:bottom]
    words = _recognise(lang, 3, image)
    read = _ink_read(binary, words)
    if read >= MIN_INK_READ or (binary < 128).mean() < 0.001:
        return words
    block = _recognise(lang, 6, image)
    return block if _ink_read(binary, block) > read else words


def _split_by_ink(word: _RawWord, binary: np.ndarray) -> list[_RawWord]:
    """Tesseract sometimes drops the space between two words ("LEDlamps", "ofcombine"): where the ink of a
    word has a blank gap much wider than its letter gaps, the word is cut at the symbol boundary nearest to
    it. The gap is measured on the image (the LSTM's symbol boxes are too loose for that)."""
    text = word.text
    if len(text) < 5 or not text.isalpha() or HAN_RE.search(text) or len(word.symbols) != len(text):
        return [word]
    if text.isupper():
        return [word]  # capitals (titles) stand apart by design: "P A C K I N G" is one word
    x0, y0, x1, y1 = word.box
    height = y1 - y0
    columns = (binary[y0:y1, x0:x1] < 128).any(axis=0)
    gaps: list[tuple[int, int]] = []  # (start, width) of interior blank runs
    start = -1
    for x, inked in enumerate(np.asarray(columns, dtype=bool).tolist()):
        if not inked and start < 0:
            start = x
        elif inked and start >= 0:
            if start > 0:
                gaps.append((start, x - start))
            start = -1
    if len(gaps) < 2:
        return [word]
    widest = max(gaps, key=lambda g: g[1])
    others = sorted(g[1] for g in gaps if g is not widest)
    typical = others[len(others) // 2]
    if widest[1] < max(5, 0.3 * height) or widest[1] < 3 * max(1, typical) or word.conf >= 96:
        return [word]
    centre = x0 + widest[0] + widest[1] / 2
    symbols = word.symbols
    cut = min(
        range(2, len(symbols) - 1),
        key=lambda k: abs((symbols[k - 1].box[2] + symbols[k].box[0]) / 2 - centre),
        default=0,
    )
    if cut < 2 or len(symbols) - cut < 2:
        return [word]
    gap_x0, gap_x1 = x0 + widest[0], x0 + widest[0] + widest[1]
    left = _RawWord(text[:cut], word.conf, (x0, y0, gap_x0, y1), word.line, symbols[:cut])
    right = _RawWord(text[cut:], word.conf, (gap_x1, y0, x1, y1), word.line, symbols[cut:])
    return [left, right]


def _by_line(words: list[_RawWord]) -> dict[int, list[_RawWord]]:
    """The words of each Tesseract line, left to right."""
    by_line: dict[int, list[_RawWord]] = {}
    for word in words:
        by_line.setdefault(word.line, []).append(word)
    for line_words in by_line.values():
        line_words.sort(key=lambda w: w.box[0])
    return by_line


def _reread_suspects(cleaned: Cleaned, words: list[_RawWord]) -> list[_RawWord]:
    """Re-read each run of suspect words, with a close unsure neighbour on each side, as one line crop with
    ``vie+chi_sim``; keep the new reading when it found Han script or is clearly more confident. The runs most
    likely to be another script (junk marks, no confidence) go first, up to ``MAX_REREADS`` per page."""
    by_line = _by_line(words)
    heights = sorted(w.box[3] - w.box[1] for w in words)
    page_h = heights[len(heights) // 2] if heights else 20
    # (priority, line, first, last, crop box) of every run.
    runs: list[tuple[float, int, int, int, Box, list[Box]]] = []
    next_line = max(by_line, default=0) + 1
    for line, line_words in by_line.items():
        line_heights = sorted(w.box[3] - w.box[1] for w in line_words)
        line_h = max(8, line_heights[len(line_heights) // 2])
        i = 0
        taken = 0  # words of this line already in a run
        while i < len(line_words):
            word = line_words[i]
            if not _is_suspect(word):
                i += 1
                continue
            if word.box[3] - word.box[1] > 2.6 * page_h:
                # Two or three lines vie took for one word (a Han name over its address) are read line by
                # line; stamps, signatures and QR codes (no such lines) are not text worth a second look.
                bands = _text_bands(cleaned.binary, word.box, page_h) or _title_band(
                    cleaned.binary, word.box, page_h
                )
                if bands:
                    runs.append((300 - word.conf, line, i, i, bands[0], bands[1:]))
                taken = i = i + 1
                continue
            j = i
            while (
                j + 1 < len(line_words)
                and _is_suspect(line_words[j + 1])
                and line_words[j + 1].box[0] - line_words[j].box[2] < 2.5 * line_h
            ):
                j += 1
            first, last = i, j
            # A close neighbour vie was not sure of either is read again with the run (it is often part of
            # it); a confident one, or a label ending in a colon, only bounds the crop.
            if first > taken and _joins(line_words[first - 1], line_words[first], line_h):
                first -= 1
            if last + 1 < len(line_words) and _joins(line_words[last + 1], line_words[last], line_h):
                last += 1
            span = line_words[first : last + 1]
            left_gap = line_words[first].box[0] - line_words[first - 1].box[2] if first > 0 else line_h
            right_gap = (
                line_words[last + 1].box[0] - line_words[last].box[2]
                if last + 1 < len(line_words)
                else line_h
            )
            x0 = span[0].box[0] - max(1, min(line_h // 2, left_gap // 2))
            x1 = span[-1].box[2] + max(1, min(line_h // 2, right_gap // 2))
            y0 = min(w.box[1] for w in span)
            y1 = max(w.box[3] for w in span)
            # Wide junk is a run of Han (a name, a place); a lone mark is mostly noise.
            junk = sum(1 for w in span if GARBAGE_RE.search(w.text))
            width = (x1 - x0) / line_h
            priority = (
                50 * min(junk, 2) + min(100.0, 15 * width) + sum(100 - w.conf for w in span) / len(span)
            )
            runs.append((priority, line, first, last, (max(0, x0), y0, x1, y1), []))
            taken = i = last + 1
    chosen = sorted(runs, key=lambda r: -r[0])[:MAX_REREADS]
    replaced: dict[tuple[int, int], tuple[int, list[_RawWord]]] = {}
    for _priority, line, first, last, box, more in chosen:
        span = by_line[line][first : last + 1]
        new, new_conf = _reread(cleaned, box, line)
        for band in more:
            extra, extra_conf = _reread(cleaned, band, next_line)
            next_line += 1
            new_conf = (new_conf * len(new) + extra_conf * len(extra)) / max(1, len(new) + len(extra))
            new += extra
        old_conf = sum(w.conf for w in span) / len(span)
        has_han = any(HAN_RE.search(w.text) for w in new)
        if new and ((has_han and new_conf >= 45) or new_conf > old_conf + 10):
            # vie's box for a junk run can reach over confident words beside it: those stay as they were.
            others = [w for k, w in enumerate(by_line[line]) if not first <= k <= last]
            new = [w for w in new if not any(_overlap(w.box, o.box) > 0.5 for o in others)]
            replaced[(line, first)] = (last, new)
    out: list[_RawWord] = []
    for line, line_words in by_line.items():
        i = 0
        while i < len(line_words):
            if (line, i) in replaced:
                last, new = replaced[(line, i)]
                out.extend(new)
                i = last + 1
            else:
                out.append(line_words[i])
                i += 1
    return out


DATE_LIKE_RE = re.compile(r"(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})")


def _possible_date(text: str) -> bool | None:
    """Whether a numeric date in ``text`` could be a real one (None: no numeric date there). Month above 12 or
    a year outside 1990–2100 is a digit misread ("2026-94-02" for 2026-04-02), never a printed date."""
    match = DATE_LIKE_RE.search(text)
    if match is None:
        return None
    first, month, last = (int(g) for g in match.groups())
    year, day = (first, last) if len(match.group(1)) == 4 else (last, first)
    if len(match.group(1)) != 4 and len(match.group(3)) != 4:
        return None  # a two-digit year or not a date at all: nothing to judge
    return 1 <= month <= 12 and 1 <= day <= 31 and 1990 <= year <= 2100


def _reread_impossible_dates(cleaned: Cleaned, words: list[_RawWord]) -> list[_RawWord]:
    """A date that cannot be one is re-read alone, enlarged, with ``eng`` (whose digits are the surest); the
    new reading is kept only when it is a possible date."""
    for word in words:
        if _possible_date(word.text) is not False:
            continue
        box = _band(cleaned.binary, word.box)
        image, _ox, _oy, _factor = _crop(cleaned.gray, box, 3)
        if image.height < 60:  # digits read best at about 30 px: enlarge what _crop left small
            ratio = 60 / image.height
            image = image.resize((round(image.width * ratio), 60), Image.Resampling.LANCZOS)
        text = "".join(w.text for w in _recognise(ENGLISH_LANGUAGES, 7, image))
        if _possible_date(text):
            match = DATE_LIKE_RE.search(text)
            old = DATE_LIKE_RE.search(word.text)
            if match is not None and old is not None:
                word.text = word.text[: old.start()] + match.group(0) + word.text[old.end() :]
    return words


def _reread_figures(cleaned: Cleaned, words: list[_RawWord]) -> list[_RawWord]:
    """Words with a digit and no Vietnamese letter, unsure words without one, and Han words read again by the
    PP-OCRv4 recogniser (``figures``), which reads digits, capitals and Han better; its reading is kept where
    ``figures.merge`` allows."""
    from langson.border import figures

    if not figures.available():
        return words
    chosen: list[_RawWord] = []
    crops: list[np.ndarray] = []
    height, width = cleaned.gray.shape
    for word in words:
        # Han (chi_sim slips: "崇左" → "岩左"), figures and codes, and unsure words with no mark, which may be
        # Han read as Latin ("件" → "tt").
        han = bool(HAN_RE.search(word.text)) and not re.search(r"[A-Za-zÀ-ỹ]", word.text)
        # A short reading is often a Han word vie made letters of ("件" → "ft", "中国" → "nh"): unsure
        # short words are read again up to a higher confidence than longer ones.
        unsure = UNSURE_SHORT if len(word.text) <= 3 else UNSURE_LATIN
        junk = junk_marks(word.text) and word.conf < UNSURE_LATIN  # Han read as marks
        latin = word.text.isascii() and (bool(re.search(r"\d", word.text)) or word.conf < unsure)
        if not (han or junk or latin):
            continue
        x0, y0, x1, y1 = word.box
        pad_y, pad_x = int(0.3 * (y1 - y0)) + 2, int(0.4 * (y1 - y0)) + 2
        crop = cleaned.gray[
            max(0, y0 - pad_y) : min(height, y1 + pad_y), max(0, x0 - pad_x) : min(width, x1 + pad_x)
        ]
        if crop.size:
            chosen.append(word)
            crops.append(crop)
        if len(chosen) >= MAX_FIGURES:
            break
    if not crops:
        return words
    for word, (text, score) in zip(chosen, figures.read_lines(crops), strict=True):
        merged = figures.merge(word.text, text.replace(" ", "")) if score >= figures.MIN_SCORE else None
        if merged:
            word.text = merged
            word.conf = max(word.conf, 100 * score)
    return words


NO_CONFIDENCE = 30  # Tesseract's confidence of a word it could not read at all (Han, bold, a stamp)


def _run_box(run: list[_RawWord]) -> Box:
    """The box round a run of words side by side on one line (left to right)."""
    return run[0].box[0], min(w.box[1] for w in run), run[-1].box[2], max(w.box[3] for w in run)


def _unread_runs(words: list[_RawWord]) -> list[list[_RawWord]]:
    """Runs of words side by side on one line, each unread (next to no confidence) or Han, with one unread
    word at least: the pieces one Han run was read in ("HHRBỊ/ H8 宁市" for bold "中国广西南宁市"). A lone
    unread word counts when a few characters wide (a caption in colour, "3šff0thZR" for "装货地点")."""
    by_line = _by_line(words)
    runs: list[list[_RawWord]] = []

    def close(run: list[_RawWord]) -> None:
        unread = [w for w in run if not HAN_RE.search(w.text)]
        if not unread:
            return
        x0, y0, x1, y1 = _run_box(run)
        if len(run) >= 2 or x1 - x0 >= 2.5 * (y1 - y0):
            runs.append(run)

    for line_words in by_line.values():
        run: list[_RawWord] = []
        for word in line_words:
            member = bool(HAN_RE.search(word.text)) or word.conf < NO_CONFIDENCE
            height = max(1, word.box[3] - word.box[1])
            if member and run and 0 <= word.box[0] - run[-1].box[2] < 1.2 * height:
                run.append(word)
                continue
            if run:
                close(run)
            run = [word] if member else []
        if run:
            close(run)
    # Runs with Han in them first (a Han run read in pieces), then the widest.
    runs.sort(key=lambda r: (not any(HAN_RE.search(w.text) for w in r), -(r[-1].box[2] - r[0].box[0])))
    return runs[:MAX_HAN_RUNS]


def _reread_han_runs(cleaned: Cleaned, words: list[_RawWord]) -> list[_RawWord]:
    """Each run of unread words (``_unread_runs``) read whole by the PP-OCRv4 recogniser, which reads bold
    and coloured Han that Tesseract's vie and chi_sim models break into junk: the run becomes one word when
    it reads Han surely and no Latin letter ("中国广西南宁市"); else it stays as it was."""
    from langson.border import figures

    if not figures.available():
        return words
    runs = _unread_runs(words)
    if not runs:
        return words
    readings: list[tuple[list[_RawWord], str, float]] = []
    for run, (text, score) in zip(runs, figures.read_lines(_run_crops(cleaned, runs, 0.2, 0.3)), strict=True):
        text = text.replace(" ", "")
        han = len(HAN_RE.findall(text))
        if score < HAN_RUN_SCORE or han < 2 or 3 * han < 2 * len(text) or re.search(r"[A-Za-z]", text):
            continue
        readings.append((run, text, score))
    return _runs_replaced(words, readings)


def _run_crops(cleaned: Cleaned, runs: list[list[_RawWord]], pad_y: float, pad_x: float) -> list[np.ndarray]:
    """The grey image of each run of words, widened by shares of its height (``pad_y`` above and below,
    ``pad_x`` at each side) and two pixels, for the figure recogniser."""
    height, width = cleaned.gray.shape
    crops = []
    for run in runs:
        x0, y0, x1, y1 = _run_box(run)
        dy, dx = int(pad_y * (y1 - y0)) + 2, int(pad_x * (y1 - y0)) + 2
        crops.append(
            cleaned.gray[max(0, y0 - dy) : min(height, y1 + dy), max(0, x0 - dx) : min(width, x1 + dx)]
        )
    return crops


def _runs_replaced(
    words: list[_RawWord], readings: list[tuple[list[_RawWord], str, float]]
) -> list[_RawWord]:
    """``words`` with each run of ``readings`` made one word: the recogniser's text, its score (0..1) as the
    confidence, the run's box."""
    replaced: dict[int, _RawWord] = {}
    gone: set[int] = set()
    for run, text, score in readings:
        replaced[id(run[0])] = _RawWord(text, 100 * score, _run_box(run), run[0].line, [])
        gone.update(id(w) for w in run[1:])
    if not replaced:
        return words
    return [replaced.get(id(w), w) for w in words if id(w) not in gone]


# A Chinese plate whose province character vie could not read: junk or letters in its place ("#£F25923",
# "#ÈF 72293"; "lật 56964" with the series letter lost too).
PLATE_WHOLE_RE = re.compile(r"[^\d\s]{1,3}[A-Z]\d{5}")
PLATE_HEAD_RE = re.compile(r"[^\d\s]{1,4}")
PLATE_TAIL_RE = re.compile(r"[A-Z]?\d{5}")
MAX_PLATES = 6  # plate-like runs re-read per page


def _plate_runs(words: list[_RawWord]) -> list[list[_RawWord]]:
    """Runs of one or two words of a line that read as a Chinese plate but for its first character."""
    by_line = _by_line(words)
    runs: list[list[_RawWord]] = []
    for line_words in by_line.values():
        for k, word in enumerate(line_words):
            if HAN_RE.match(word.text):
                continue  # a province character read: the plate reads as it is
            if PLATE_WHOLE_RE.fullmatch(word.text):
                runs.append([word])
            elif k + 1 < len(line_words) and PLATE_HEAD_RE.fullmatch(word.text):
                after = line_words[k + 1]
                height = max(1, word.box[3] - word.box[1])
                if PLATE_TAIL_RE.fullmatch(after.text) and 0 <= after.box[0] - word.box[2] < 1.5 * height:
                    runs.append([word, after])
    return runs[:MAX_PLATES]


def _reread_plates(cleaned: Cleaned, words: list[_RawWord]) -> list[_RawWord]:
    """Each run that reads as a Chinese plate but for its province character (``_plate_runs``) read again by
    the PP-OCRv4 recogniser, which reads the character ("桂F72293"): the run becomes one word when that
    reading is a whole Chinese plate, read surely, ending in the figures Tesseract read."""
    from langson.border import figures

    if not figures.available():
        return words
    runs = _plate_runs(words)
    if not runs:
        return words
    readings: list[tuple[list[_RawWord], str, float]] = []
    for run, (text, score) in zip(runs, figures.read_lines(_run_crops(cleaned, runs, 0.3, 0.4)), strict=True):
        plate = normalize.normalize_plate(text.replace(" ", ""))
        figures_read = re.sub(r"\D", "", run[-1].text)
        if score >= figures.MIN_SCORE and plate and HAN_RE.match(plate) and plate.endswith(figures_read):
            readings.append((run, plate, score))
    return _runs_replaced(words, readings)


def _text_bands(binary: np.ndarray, box: Box, line_h: int) -> list[Box]:
    """The text lines inside a tall box: runs of inked rows separated by blank ones, each of a text line's
    height; none when the box is not a few lines of text."""
    x0, y0, x1, y1 = box
    inked = ((binary[y0:y1, x0:x1] < 128).sum(axis=1) > 0).tolist()
    bands: list[Box] = []
    start = -1
    for y, ink in enumerate([*inked, False]):
        if ink and start < 0:
            start = y
        elif not ink and start >= 0:
            if y - start >= 3:
                bands.append((x0, y0 + start, x1, y0 + y))
            start = -1
    if not 2 <= len(bands) <= 3 or any(not 0.5 * line_h <= b[3] - b[1] <= 2.6 * line_h for b in bands):
        return []
    return [_widen(binary, band, line_h) for band in bands]


def _title_band(binary: np.ndarray, box: Box, line_h: int) -> list[Box]:
    """A title printed large (often Chinese: "装箱单"), which vie reads as one tall junk word: one line of
    text, up to five times the body's height and clearly wider than tall (a stamp or a QR code is not)."""
    x0, y0, x1, y1 = box
    inked = ((binary[y0:y1, x0:x1] < 128).sum(axis=1) > 0).tolist()
    top = next((y for y, ink in enumerate(inked) if ink), None)
    if top is None:
        return []
    bottom = len(inked) - next(y for y, ink in enumerate(reversed(inked)) if ink)
    if not all(inked[top:bottom]):
        return []  # blank rows inside: several lines, or a drawing
    height = bottom - top
    if height > 5 * line_h or (x1 - x0) < 2.5 * height:
        return []
    return [(x0, y0 + top, x1, y0 + bottom)]


def _widen(binary: np.ndarray, box: Box, line_h: int) -> Box:
    """The box stretched sideways over the ink of its rows, up to a blank stretch of two line heights (vie's
    box for junk often stops short of the run's ends)."""
    x0, y0, x1, y1 = box
    columns: list[bool] = np.asarray((binary[y0:y1] < 128).any(axis=0), dtype=bool).tolist()
    limit = 2 * line_h
    right, blank = x1, 0
    while right < len(columns) and blank < limit:
        blank = 0 if columns[right] else blank + 1
        right += 1
    left, blank = x0, 0
    while left > 0 and blank < limit:
        left -= 1
        blank = 0 if columns[left] else blank + 1
    return (max(0, left + (blank if blank >= limit else 0)), y0, right - blank, y1)


def _unread_mask(cleaned: Cleaned, words: list[_RawWord]) -> np.ndarray:
    """The page's ink that no word's box covers (white on black)."""
    ink = cv2.bitwise_not(cleaned.binary)
    for word in words:
        x0, y0, x1, y1 = word.box
        ink[max(0, y0 - 2) : y1 + 3, max(0, x0 - 2) : x1 + 3] = 0
    return ink


def _pieces(ink: np.ndarray, g: int) -> list[Box]:
    """Boxes of the word-sized pieces of ``ink``, top to bottom (rules and blots left out)."""
    # The characters of one word touch after a horizontal closing of about a glyph.
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (g, max(3, g // 3)))
    joined = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, kernel)
    # Outer contours: the shapes' boxes at a fiftieth of the cost of labelling every pixel of the page (a
    # shape inside another's hole, writing inside a stamp's ring, is left out with it).
    contours, _ = cv2.findContours(joined, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    pieces: list[Box] = []
    for x, y, w, h in sorted((cv2.boundingRect(c) for c in contours), key=lambda b: (b[1], b[0])):
        if not (0.7 * g <= h <= UNREAD_MAX_HEIGHT * g and 0.8 * g <= w <= UNREAD_MAX_WIDTH * g):
            continue
        fill = cv2.countNonZero(ink[y : y + h, x : x + w]) / float(w * h)
        if fill < 0.12 or fill > 0.75:  # table rules and blots
            continue
        pieces.append((x, y, x + w, y + h))
    return pieces


def _unread_ink(cleaned: Cleaned, words: list[_RawWord], glyph: float) -> list[_RawWord]:
    """Text Tesseract's layout pass skipped (short Han runs often are): ink no word covers, re-read."""
    found: list[_RawWord] = []
    line_of = _line_finder(words)
    for box in _pieces(_unread_mask(cleaned, words), max(8, int(glyph)))[:MAX_UNREAD]:
        read, conf = _reread(cleaned, box, line_of(box))
        if read and conf >= 60:
            # Ink next to a word whose box was drawn a little short reads as that word again: keep only what
            # no word covers already.
            found.extend(w for w in read if not any(_overlap(w.box, o.box) > 0.3 for o in words))
    return found


UNREAD_BLOCK_PIECES = 4  # unread pieces of ink, on two lines or more, that make a block worth its own reading
UNREAD_BLOCK_FIGURES = 40  # Tesseract's confidence a figure read in such a block needs to be kept


def _unread_blocks(cleaned: Cleaned, words: list[_RawWord], glyph: float) -> list[_RawWord]:
    """Whole columns Tesseract's layout pass left out: on a photographed table it can take the columns of
    figures for a picture while reading the descriptions beside them, and the rest of the page is read well
    enough that the whole-part fallback (``_read_part``) does not start. Unread pieces of ink close together
    form a block; a block of several pieces on two lines or more is read as one block of text lines (psm 6),
    one Tesseract call for the whole column (rules-only F1 on 105 train photos 0.738 → 0.748, 25 fields
    gained, none lost)."""
    g = max(8, int(glyph))
    ink = _unread_mask(cleaned, words)
    # What is left of a table's rules on a photo (bent, broken, not quite painted out) would join a cell's
    # figures to the rule and make them one tall shape: strokes longer than any glyph's go first.
    rules = cv2.bitwise_or(
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 2 * g))),
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (3 * g, 1))),
    )
    rules = cv2.dilate(rules, np.ones((3, 3), np.uint8))
    pieces = _pieces(cv2.subtract(ink, rules), g)
    if len(pieces) < UNREAD_BLOCK_PIECES:
        return []
    # Pieces less than four glyph heights apart, across or down, are one block.
    group = list(range(len(pieces)))

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    for i, a in enumerate(pieces):
        for j in range(i + 1, len(pieces)):
            b = pieces[j]
            if b[0] - a[2] < 4 * g and a[0] - b[2] < 4 * g and b[1] - a[3] < 4 * g and a[1] - b[3] < 4 * g:
                group[root(j)] = root(i)
    members: dict[int, list[Box]] = {}
    for i, box in enumerate(pieces):
        members.setdefault(root(i), []).append(box)
    found: list[_RawWord] = []
    line_of = _line_finder(words)
    height, width = cleaned.gray.shape
    for block in members.values():
        lines = {round(((b[1] + b[3]) / 2) / g) for b in block}
        if len(block) < UNREAD_BLOCK_PIECES or len(lines) < 2:
            continue
        pad = g // 2
        x0, y0 = max(0, min(b[0] for b in block) - pad), max(0, min(b[1] for b in block) - pad)
        x1, y1 = min(width, max(b[2] for b in block) + pad), min(height, max(b[3] for b in block) + pad)
        crop = cleaned.gray[y0:y1, x0:x1].copy()
        crop[rules[y0:y1, x0:x1] > 0] = 255  # the rules' remains would be read as "|" and "l" in the figures
        crop = cv2.copyMakeBorder(crop, g, g, g, g, cv2.BORDER_CONSTANT, value=255)
        read = _recognise(MAIN_LANGUAGES, 6, Image.fromarray(crop))
        for w in read:
            _move(w, x0 - g, y0 - g)
            # Only what it reads with some confidence: its guesses at specks and stray marks would start the
            # suspect re-reading, which has only so many re-reads per page. Figures are read again by the
            # figure recogniser, so a little less confidence does for them.
            floor = UNREAD_BLOCK_FIGURES if re.search(r"\d", w.text) else SUSPECT_CONFIDENCE
            covered = any(_overlap(w.box, o.box) > 0.3 for o in words)
            if w.conf < floor or GARBAGE_RE.search(w.text) or covered:
                continue
            w.line = line_of(w.box)
            found.append(w)
    return found


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """The share of box a that box b covers."""
    dx = min(a[2], b[2]) - max(a[0], b[0])
    dy = min(a[3], b[3]) - max(a[1], b[1])
    if dx <= 0 or dy <= 0:
        return 0.0
    return dx * dy / max(1, (a[2] - a[0]) * (a[3] - a[1]))


def _glyph_in_gap(binary: np.ndarray, left: _RawWord, right: _RawWord) -> bool:
    """Ink between two words of one line, enough for a character Tesseract dropped (chi_sim often drops
    "西" of "广西"): a blank gap is a space the print has, not a missed glyph."""
    y0, y1 = max(left.box[1], right.box[1]), min(left.box[3], right.box[3])
    x0, x1 = left.box[2] + 1, right.box[0] - 1
    if y1 - y0 < 4 or x1 - x0 < 4:
        return False
    return bool((binary[y0:y1, x0:x1] < 128).mean() >= 0.08)


def _merge_han(words: list[_RawWord], binary: np.ndarray | None = None) -> list[_RawWord]:
    """Neighbouring Han words of one line are one: printed Chinese has no spaces ("中国 广西凭祥市"). With
    the page's ``binary``, two Han words a character or two apart with ink between them are one too, and a
    short non-Han reading in that gap goes ("广 Bì 崇左市": chi_sim dropped "西", vie read it as junk): the
    joined word is read again by the figure recogniser, which reads the glyph."""
    by_line = _by_line(words)
    out: list[_RawWord] = []
    for line_words in by_line.values():
        if binary is not None:
            line_words = _without_junk_between_han(line_words)
        for word in line_words:
            last = out[-1] if out and out[-1].line == word.line else None
            height = max(word.box[3] - word.box[1], 1)
            gap = word.box[0] - last.box[2] if last is not None else -1
            if (
                last is not None
                and HAN_RE.search(last.text[-1:])
                and HAN_RE.search(word.text[:1])
                and gap >= 0
                and (
                    gap < 0.9 * height
                    or (binary is not None and gap < 2.2 * height and _glyph_in_gap(binary, last, word))
                )
            ):
                last.text += word.text
                last.conf = min(last.conf, word.conf)
                last.box = (
                    last.box[0],
                    min(last.box[1], word.box[1]),
                    word.box[2],
                    max(last.box[3], word.box[3]),
                )
                continue
            out.append(word)
    return out


def _without_junk_between_han(line_words: list[_RawWord]) -> list[_RawWord]:
    """A line's words (left to right) without the short readings in letters squeezed between two Han words a
    character or two apart: a Han glyph vie read as Latin ("Bì", "Pữ"). Punctuation stays."""
    kept: list[_RawWord] = []
    for k, word in enumerate(line_words):
        before = kept[-1] if kept else None
        after = line_words[k + 1] if k + 1 < len(line_words) else None
        if (
            before is not None
            and after is not None
            and not HAN_RE.search(word.text)
            and len(word.text) <= 3
            and re.fullmatch(r"[^\W\d_]+", word.text)  # letters only: "、" and ":" part label from value
            and HAN_RE.search(before.text[-1:])
            and HAN_RE.search(after.text[:1])
            and after.box[0] - before.box[2] < 2.2 * max(after.box[3] - after.box[1], 1)
        ):
            continue
        kept.append(word)
    return kept


def _drop_shadowed(words: list[_RawWord]) -> list[_RawWord]:
    """vie's junk for a Han run that a second reading found anyway: the junk goes."""
    han = [w for w in words if HAN_RE.search(w.text)]
    if not han:
        return words

    def covered(word: _RawWord) -> bool:
        area = max(1, (word.box[2] - word.box[0]) * (word.box[3] - word.box[1]))
        for other in han:
            dx = min(word.box[2], other.box[2]) - max(word.box[0], other.box[0])
            dy = min(word.box[3], other.box[3]) - max(word.box[1], other.box[1])
            if dx > 0 and dy > 0 and dx * dy > 0.4 * area:
                return True
        return False

    return [w for w in words if HAN_RE.search(w.text) or not _is_suspect(w) or not covered(w)]


def _line_finder(words: list[_RawWord]) -> Any:
    """Maps a box to the Tesseract line it sits on (vertical overlap), or a new line number."""
    lines: dict[int, tuple[int, int]] = {}
    for w in words:
        y0, y1 = lines.get(w.line, (w.box[1], w.box[3]))
        lines[w.line] = (min(y0, w.box[1]), max(y1, w.box[3]))
    next_line = [max(lines, default=-1) + 1]

    def find(box: tuple[int, int, int, int]) -> int:
        best, best_overlap = -1, 0.0
        for line, (y0, y1) in lines.items():
            overlap = min(y1, box[3]) - max(y0, box[1])
            if overlap > best_overlap and overlap > 0.5 * (box[3] - box[1]):
                best, best_overlap = line, overlap
        if best < 0:
            best = next_line[0]
            next_line[0] += 1
            lines[best] = (box[1], box[3])
        return best

    return find


def _join_han(text: str) -> str:
    """chi_sim puts spaces between Han characters; printed Chinese has none."""
    return re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", text)


def read_page(image: Image.Image, *, page: int = 1) -> PageText:
    """The words of one page image: preprocessing, ``vie`` for the page, ``chi_sim`` for what it missed."""
    started = time.perf_counter()
    width, height = image.size
    cleaned = clean(image)
    result = PageText(
        page,
        width,
        height,
        angle=cleaned.angle,
        scale=cleaned.scale,
        glyph_height=cleaned.glyph_height,
        vertical_rules=cleaned.vertical_rules,
        horizontal_rules=cleaned.horizontal_rules,
    )
    if cleaned.ink < 0.0002:
        result.seconds = time.perf_counter() - started
        return result
    raw = _main_pass(cleaned)
    raw += _unread_blocks(cleaned, raw, cleaned.glyph_height or TARGET_GLYPH_HEIGHT)
    raw = [part for word in raw for part in _split_by_ink(word, cleaned.binary)]
    raw = _reread_suspects(cleaned, raw)
    raw += _unread_ink(cleaned, raw, cleaned.glyph_height or TARGET_GLYPH_HEIGHT)
    raw = _merge_han(_drop_shadowed(raw), cleaned.binary)
    raw = _reread_impossible_dates(cleaned, raw)
    raw = _reread_figures(cleaned, raw)
    raw = _reread_han_runs(cleaned, raw)
    raw = _reread_plates(cleaned, raw)
    _opening_brackets(raw)
    inverse = np.linalg.inv(cleaned.matrix)
    page_width = cleaned.gray.shape[1]
    for w in raw:
        text = _capital_o(_nfc(w.text))
        if not text or _in_the_margin_strip(w.box, page_width):
            continue
        han = bool(HAN_RE.search(text))
        result.words.append(
            Word(
                text,
                max(0.0, min(1.0, w.conf / 100)),
                w.box,
                _to_page(w.box, inverse, width, height),
                w.line,
                page,
                han,
            )
        )
    result.seconds = time.perf_counter() - started
    return result


CAPITALS_AND_ZEROS = re.compile(r"([\"'(“]*)([A-Z0]*[A-Z][A-Z0]*)([\"')”:;,.]*)")


def _capital_o(text: str) -> str:
    """A word of capitals with zeros among them is a word with O's: "T0TAL F0B VALUE", "C0DE:", '"W0"'
    (some fonts' O is as narrow as a zero, and the English model favours digits). A word with another
    digit (a code, a number) is left as read."""
    match = CAPITALS_AND_ZEROS.fullmatch(text)
    if match is None or "0" not in match.group(2) or len(match.group(2)) < 2:
        return text
    return match.group(1) + match.group(2).replace("0", "O") + match.group(3)


BRACKET_MISREAD = re.compile(r"[|{\[]{1,2}\(?(?=[A-Za-z])")


def _opening_brackets(words: list[_RawWord]) -> None:
    """An opening bracket read as a rule or a brace ("|{Shelled cashew kernels)", "[Fresh longan)"): the
    word would be dropped as junk, and with it the first word of the English name. It becomes "(" when a
    word further along its line closes the bracket and none opens one in between."""
    by_line = _by_line(words)
    for line_words in by_line.values():
        for i, word in enumerate(line_words):
            match = BRACKET_MISREAD.match(word.text)
            if match is None:
                continue
            for later in line_words[i + 1 :]:
                if "(" in later.text:
                    break
                if later.text.endswith(")"):
                    word.text = "(" + word.text[match.end() :]
                    break


EDGE_STRIP = 0.015  # share of the page width at each side where no printed word stands


def _in_the_margin_strip(box: Box, page_width: int) -> bool:
    """Whether a word lies wholly in the outer strip of the page's left or right edge. Print keeps a margin;
    what is read there is a scanner's or a photo's edge (a dark border read as "E" or ":" beside every
    table line, which then ends up in a description)."""
    return box[2] <= EDGE_STRIP * page_width or box[0] >= (1 - EDGE_STRIP) * page_width


def read_page_raw(image: Image.Image, *, page: int = 1) -> PageText:
    """The baseline: plain Tesseract with all three languages on the untouched page (psm 3)."""
    started = time.perf_counter()
    width, height = image.size
    result = PageText(page, width, height)
    for w in _recognise("vie+chi_sim+eng", 3, image.convert("L")):
        text = _nfc(_join_han(w.text))
        if text:
            result.words.append(
                Word(
                    text,
                    max(0.0, min(1.0, w.conf / 100)),
                    w.box,
                    w.box,
                    w.line,
                    page,
                    bool(HAN_RE.search(text)),
                )
            )
    result.seconds = time.perf_counter() - started
    return result


def read_head(image: Image.Image, *, share: float = 0.3) -> PageText:
    """The head of a page (its top ``share``, where a document prints its title) read with all three
    languages at once, as one page: for telling the document type when the page pass left the title unsure
    (a title in large Han characters or in a script vie reads as junk)."""
    started = time.perf_counter()
    gray = image.convert("L")
    head = gray.crop((0, 0, gray.width, max(1, int(gray.height * share))))
    result = PageText(1, image.width, image.height)
    for w in _recognise("vie+chi_sim+eng", 3, head):
        text = _nfc(_join_han(w.text))
        if text:
            result.words.append(
                Word(
                    text, max(0.0, min(1.0, w.conf / 100)), w.box, w.box, w.line, 1, bool(HAN_RE.search(text))
                )
            )
    result.seconds = time.perf_counter() - started
    return result


# --- layout: rows of words, folded text for matching ------------------------------------------------------


@dataclass
class Row:
    """Words at one height of one page (table cells of one row included), left to right."""

    page: int
    words: list[Word]

    @property
    def top(self) -> int:
        return min(w.box[1] for w in self.words)

    @property
    def bottom(self) -> int:
        return max(w.box[3] for w in self.words)

    @property
    def cy(self) -> float:
        centres = sorted(w.cy for w in self.words)
        return centres[len(centres) // 2]

    @property
    def height(self) -> float:
        heights = sorted(w.height for w in self.words if not w.han) or sorted(w.height for w in self.words)
        return float(heights[len(heights) // 2])

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def rows(page: PageText) -> list[Row]:
    """Tesseract lines merged when they share a height (it splits table rows into one line per cell)."""
    lines: dict[int, list[Word]] = {}
    for word in page.words:
        lines.setdefault(word.line, []).append(word)
    parts = [part for words in lines.values() for part in _stacked_parts(words)]
    ordered = sorted(parts, key=lambda ws: sorted(w.cy for w in ws)[len(ws) // 2])
    out: list[Row] = []
    for words in ordered:
        candidate = Row(page.page, words)
        merged = False
        for row in reversed(out[-3:]):
            overlap = min(row.bottom, candidate.bottom) - max(row.top, candidate.top)
            similar = max(row.height, candidate.height) < 1.6 * max(1.0, min(row.height, candidate.height))
            if (
                similar
                and abs(row.cy - candidate.cy) < 0.45 * min(row.height, candidate.height)
                and overlap > 0
            ):
                row.words.extend(words)
                merged = True
                break
        if not merged:
            out.append(candidate)
    out.sort(key=lambda r: r.cy)
    # A line cut in two because some of its boxes came out taller (a figure with a speck above it, a
    # slanted photo): each part's centre inside the other's band makes them one row.
    joined: list[Row] = []
    for row in out:
        last = joined[-1] if joined else None
        if last is not None and last.top <= row.cy <= last.bottom and row.top <= last.cy <= row.bottom:
            last.words.extend(row.words)
        else:
            joined.append(row)
    for row in joined:
        row.words = _without_doubles(row.words)
    return joined


def _stacked_parts(words: list[Word]) -> list[list[Word]]:
    """A Tesseract line cut where its words stand one above another with no height in common: in a tight
    table it can take a column of item numbers ("2", "3", "4" down the page) or two cells of neighbouring
    rows for one line, and such a line would join the words of several rows into one. Only parts that read
    as something are rows of their own; a remnant of a rule ("一一 ~ -一") or an unread speck goes with the
    part nearest it, and a line with one such part or none stays whole."""
    parts: list[list[Word]] = []
    bottom = -1
    for word in sorted(words, key=lambda w: w.box[1]):
        if parts and word.box[1] < bottom:
            parts[-1].append(word)
            bottom = max(bottom, word.box[3])
        else:
            parts.append([word])
            bottom = word.box[3]
    standing = [part for part in parts if any(_reads(w) for w in part)]
    if len(standing) < 2:
        return [words]
    for part in parts:
        if part not in standing:
            centre = sum(w.cy for w in part) / len(part)
            nearest = min(standing, key=lambda p: min(abs(w.cy - centre) for w in p))
            nearest.extend(part)
    return standing


def _reads(word: Word) -> bool:
    """A word read with some confidence that holds a letter, a digit or a Han character other than 一 (a
    rule's remnant)."""
    return word.conf >= 0.3 and re.search(r"[^\W_一]", word.text) is not None


def _without_doubles(words: list[Word]) -> list[Word]:
    """The row's words left to right, a word read twice on the same ink (the page pass and a second
    reading, "carriage" five times over) kept once: the reading with the higher confidence."""
    kept: list[Word] = []
    for word in sorted(words, key=lambda w: -w.conf):
        if not any(max(_overlap(word.box, o.box), _overlap(o.box, word.box)) > 0.6 for o in kept):
            kept.append(word)
    kept.sort(key=lambda w: w.box[0])
    return kept


def split_phrases(words: list[Word], gap: float) -> list[list[Word]]:
    """Runs of words separated by less than ``gap`` pixels: a row's cells, or a label and its value."""
    phrases: list[list[Word]] = []
    for word in words:
        if phrases and word.box[0] - phrases[-1][-1].box[2] <= gap:
            phrases[-1].append(word)
        else:
            phrases.append([word])
    return phrases


_FOLD_TABLE = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "：": ":", "（": "(", "）": ")"})


CIRCLED_NUMBER = re.compile(r"[\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]")


def fold(text: str) -> str:
    """Text for matching labels: lower case, no diacritics (OCR confuses tones), punctuation as spaces."""
    text = unicodedata.normalize("NFD", text.translate(_FOLD_TABLE))
    text = CIRCLED_NUMBER.sub(" ", text)  # a box's number ("②收货人"), never part of its label
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").lower()
    text = re.sub(r"[^\w\u4e00-\u9fff]+", " ", text).replace("_", " ")
    return " ".join(text.split())
