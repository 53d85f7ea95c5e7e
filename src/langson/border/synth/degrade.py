"""Clean, scanned and photographed versions of a rendered page, with the geometry that maps its boxes.

- clean: the page as rendered (A4 at 200 dpi).
- scan: grey paper, a small rotation (≤ 2°), blur, noise, sometimes a darker band where the lid lets light
  in; still 200 dpi.
- photo: the page on a desk seen in perspective, uneven light with a colour cast, lower resolution (about
  120–150 dpi), slight defocus, noise and JPEG compression (quality 50–70).

Each function returns the new image and a 3×3 matrix taking page pixels to the new image's pixels, so the
ground-truth boxes follow the text exactly.
"""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image

DEGRADATIONS = ("clean", "scan", "photo")

Matrix = np.ndarray


def degrade(page: Image.Image, degradation: str, rng: np.random.Generator) -> tuple[Image.Image, Matrix, int]:
    """``page`` degraded; returns (image, page→image matrix, JPEG quality used or 0)."""
    if degradation == "clean":
        return page, np.eye(3), 0
    if degradation == "scan":
        image, matrix = scan(page, rng)
        return image, matrix, 0
    if degradation == "photo":
        return photo(page, rng)
    raise ValueError(f"unknown degradation {degradation!r}; expected one of {DEGRADATIONS}")


def _add_noise(img: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    """Grey sensor grain added to every channel (uint8 in, uint8 out). Drawn at half resolution and
    enlarged, plus a fine component: grain like a scanner's or a phone's at a fraction of the cost."""
    h, w = img.shape[:2]
    coarse = rng.standard_normal((h // 2 + 1, w // 2 + 1), dtype=np.float32) * np.float32(sigma)
    grain: np.ndarray = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_NEAREST)
    grain = grain + rng.standard_normal((h, w), dtype=np.float32) * np.float32(sigma * 0.5)
    noisy: np.ndarray = img.astype(np.int16)
    noisy += np.asarray(grain, dtype=np.int16)[..., None]
    np.clip(noisy, 0, 255, out=noisy)
    return noisy.astype(np.uint8)


def _tone_lut(low: float, high: np.ndarray) -> np.ndarray:
    """A per-channel lookup table taking 0 → ``low`` (toner) and 255 → ``high`` (paper)."""
    ramp = np.arange(256, dtype=np.float32)[:, None] / 255.0
    table = low + ramp * (high[None, :] - low)
    return np.clip(table, 0, 255).astype(np.uint8).reshape(256, 1, 3)


def scan(page: Image.Image, rng: np.random.Generator) -> tuple[Image.Image, Matrix]:
    img: np.ndarray = np.asarray(page.convert("RGB"), dtype=np.uint8)
    h, w = img.shape[:2]
    paper = np.array([rng.uniform(226, 244)] * 3, dtype=np.float32) * np.array(
        [1.0, rng.uniform(0.985, 1.0), rng.uniform(0.96, 1.0)], dtype=np.float32
    )
    # Paper tone: white becomes grey paper, black becomes a not-quite-black toner.
    img = cv2.LUT(img, _tone_lut(rng.uniform(15, 45), paper))
    angle = float(rng.uniform(0.25, 2.0) * rng.choice((-1, 1)))
    shift = rng.uniform(-12, 12, size=2)
    m: np.ndarray = np.asarray(cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0), dtype=np.float64)
    m[:, 2] += shift
    img = cv2.warpAffine(
        img,
        m,
        (w, h),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=tuple(float(v) for v in paper),
    )
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.5, 1.1))
    if rng.random() < 0.4:  # light leaking at one edge of the scanner lid
        width = int(w * rng.uniform(0.03, 0.07))
        band = np.linspace(rng.uniform(0.55, 0.8), 1.0, width, dtype=np.float32)[None, :, None]
        if rng.random() < 0.5:
            img[:, :width] = (img[:, :width] * band).astype(np.uint8)
        else:
            img[:, w - width :] = (img[:, w - width :] * band[:, ::-1]).astype(np.uint8)
    img = _add_noise(img, rng.uniform(4, 12), rng)
    return Image.fromarray(img, "RGB"), np.vstack([m, [0.0, 0.0, 1.0]])


def photo(page: Image.Image, rng: np.random.Generator) -> tuple[Image.Image, Matrix, int]:
    src = np.asarray(page.convert("RGB"), dtype=np.uint8)
    h, w = src.shape[:2]
    scale = rng.uniform(0.6, 0.75)  # 200 dpi → 120–150 dpi
    margin = rng.uniform(0.03, 0.07)
    out_w = round(w * scale * (1 + 2 * margin))
    out_h = round(h * scale * (1 + 2 * margin))
    pw, ph = w * scale, h * scale
    ox, oy = (out_w - pw) / 2, (out_h - ph) / 2
    j = pw * 0.035
    corners = np.array([[ox, oy], [ox + pw, oy], [ox + pw, oy + ph], [ox, oy + ph]], dtype=np.float32)
    # Perspective: the far edge shrinks a little, each corner moves at random.
    tilt = rng.uniform(-1, 1) * pw * 0.03
    corners[0, 0] += tilt
    corners[1, 0] -= tilt
    corners += rng.uniform(-j, j, size=(4, 2)).astype(np.float32)
    m = cv2.getPerspectiveTransform(np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32), corners)
    # The desk: a flat colour with a soft texture; the page is warped onto it.
    desk_colour = np.array(
        rng.choice([[120, 92, 64], [90, 90, 95], [150, 135, 110], [60, 58, 62]]), dtype=np.float32
    )
    texture = cv2.resize(
        rng.uniform(0.85, 1.15, size=(24, 24, 1)).astype(np.float32),
        (out_w, out_h),
        interpolation=cv2.INTER_CUBIC,
    )
    desk = np.clip(texture[..., None] * desk_colour, 0, 255).astype(np.uint8)
    img: np.ndarray = cv2.warpPerspective(
        src,
        m,
        (out_w, out_h),
        dst=desk,
        flags=cv2.INTER_AREA if scale < 0.7 else cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_TRANSPARENT,
    )
    # Uneven light: a tilted plane times a soft vignette, computed small and enlarged; warm or cold cast.
    gy, gx = np.mgrid[0:32, 0:32].astype(np.float32) / 31.0
    plane = 1 + rng.uniform(-0.25, 0.25) * (gx - 0.5) + rng.uniform(-0.25, 0.25) * (gy - 0.5)
    cx, cy = rng.uniform(0.2, 0.8, size=2)
    vignette = 1 - rng.uniform(0.1, 0.3) * ((gx - cx) ** 2 + (gy - cy) ** 2)
    light = plane * vignette
    light = (light - light.min()) / max(float(light.max() - light.min()), 1e-6)
    low = rng.uniform(0.6, 0.75)
    light = low + (1.0 - low) * light
    cast = np.array([1.0, rng.uniform(0.95, 1.0), rng.uniform(0.82, 0.97)], dtype=np.float32)
    small = (light[..., None] * cast[None, None, :] * 255).astype(np.float32)
    light3 = np.clip(cv2.resize(small, (out_w, out_h), interpolation=cv2.INTER_CUBIC), 0, 255).astype(
        np.uint8
    )
    img = cv2.multiply(img, light3, scale=1 / 255)
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.5, 1.0))
    img = _add_noise(img, rng.uniform(4, 9), rng)
    out = Image.fromarray(img, "RGB")
    quality = int(rng.integers(50, 71))
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    out = Image.open(buf).convert("RGB")
    return out, m.astype(np.float64), quality


def map_box(box: list[int], matrix: Matrix, size: tuple[int, int]) -> list[int]:
    """The axis-aligned box around ``box``'s four corners mapped by ``matrix``, clipped to the image."""
    x0, y0, x1, y1 = box
    pts = np.array([[[x0, y0], [x1, y0], [x1, y1], [x0, y1]]], dtype=np.float64)
    mapped = cv2.perspectiveTransform(pts, matrix)[0]
    w, h = size
    return [
        int(max(0, np.floor(mapped[:, 0].min()))),
        int(max(0, np.floor(mapped[:, 1].min()))),
        int(min(w, np.ceil(mapped[:, 0].max()))),
        int(min(h, np.ceil(mapped[:, 1].max()))),
    ]
