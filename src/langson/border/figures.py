"""A second reading of figures and codes with PP-OCRv4's text-line recogniser.

Tesseract confuses 0 and 9 in small or blurred digits, drops decimal points and reads "年月日" of a Chinese
date as Latin junk, most of all in phone photos. PaddleOCR's PP-OCRv4 recognition model (Apache-2.0) reads
digits, Latin capitals and Han far better, but it knows no Vietnamese tone marks and drops the spaces between
words. So it only re-reads the words Tesseract read with a digit and no Vietnamese letter, one word crop at a
time, and its reading is taken only where the two agree in shape (``merge``).

The model ships inside the PyPI wheel ``rapidocr-onnxruntime`` (installed with ``--no-deps``: only its model
file is used, not its code); ``onnxruntime`` runs it on one thread. Without the wheel the pass is skipped and
the extraction is Tesseract's alone (decision 0011).
"""

from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from langson.border import normalize
from langson.border.ocr import HAN_RE, junk_marks

MODEL_FILE = "ch_PP-OCRv4_rec_infer.onnx"
HEIGHT = 48  # the model's input height
MIN_SCORE = 0.9  # mean probability of the characters read


def model_path() -> Path | None:
    spec = importlib.util.find_spec("rapidocr_onnxruntime")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "models" / MODEL_FILE
    return path if path.is_file() else None


@functools.lru_cache(maxsize=1)
def available() -> bool:
    return model_path() is not None and importlib.util.find_spec("onnxruntime") is not None


@functools.lru_cache(maxsize=1)
def _session() -> tuple[Any, list[str]]:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1  # one core per worker, as Tesseract
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(model_path()), options, providers=["CPUExecutionProvider"])
    # The character set is in the model's metadata; index 0 is CTC's blank and the last class a space.
    characters = session.get_modelmeta().custom_metadata_map["character"].splitlines()
    return session, ["", *characters, " "]


def _prepared(crop: np.ndarray, width: int) -> np.ndarray:
    """A grey crop resized to the model's height, scaled to -1..1 in three channels, padded to ``width``."""
    h, w = crop.shape[:2]
    scaled_w = min(width, max(1, round(w * HEIGHT / max(1, h))))
    resized = cv2.resize(crop, (scaled_w, HEIGHT), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    out = np.zeros((3, HEIGHT, width), dtype=np.float32)
    out[:, :, :scaled_w] = (resized / 255.0 - 0.5) / 0.5
    return out


def read_lines(crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """(text, score) of each grey crop holding one line of text; score is the mean probability of the
    characters read (0 when nothing was). One crop per run, at its own width: padded in a batch, a crop was
    read differently by what it was batched with (153 of 1,377 readings changed), and batches were slower on
    one core (0.60 against 0.40 s/page)."""
    session, labels = _session()
    name = session.get_inputs()[0].name
    results: list[tuple[str, float]] = []
    for crop in crops:
        width = max(HEIGHT, int(np.ceil(HEIGHT * crop.shape[1] / max(1, crop.shape[0]))))
        probabilities = session.run(None, {name: _prepared(crop, width)[None]})[0][0]
        best, confidence = probabilities.argmax(axis=1), probabilities.max(axis=1)
        chars: list[str] = []
        scores: list[float] = []
        previous = 0
        for step, label in enumerate(best):
            if label != 0 and label != previous:  # CTC: a repeat or a blank is no new character
                chars.append(labels[label])
                scores.append(float(confidence[step]))
            previous = label
        results.append(("".join(chars), float(np.mean(scores)) if scores else 0.0))
    return results


def _alnum(text: str) -> str:
    return re.sub(r"[\W_]", "", text)


LATIN_CORE_RE = re.compile(r"^([\W_]*)(.*?)([\W_]*)$")


def _latin_letters(tesseract: str, read: str) -> str | None:
    """An unsure Latin word without digits or Vietnamese marks (only those are re-read): the recogniser's
    letters with Tesseract's punctuation around them, when the two differ by a slip or two ("Cootract" →
    "Contract", "HUYER" → "BUYER", "Coosignee:" → "Consignee:"). The recogniser drops colons and brackets,
    which end labels, so Tesseract's stay; a change of case only, or a word changed more than a slip per
    three letters ("nature" → "Signare"), keeps Tesseract's."""
    if not tesseract.isascii() or not read.isascii() or re.search(r"\d", read):
        return None
    lead, core, trail = LATIN_CORE_RE.fullmatch(tesseract).groups()  # type: ignore[union-attr]
    new = LATIN_CORE_RE.fullmatch(read).group(2)  # type: ignore[union-attr]
    if (
        len(core) < 4
        or not re.fullmatch(r"[A-Za-z][A-Za-z'&.\-/]*[A-Za-z]", new)
        or new.lower() == core.lower()
    ):
        return None
    if normalize.edit_distance(core.lower(), new.lower()) > max(1, len(core) // 3):
        return None
    return lead + new + trail


def merge(tesseract: str, read: str) -> str | None:
    """The word to keep when Tesseract read ``tesseract`` and the recogniser ``read`` (spaces dropped), or
    None to keep Tesseract's. A Han word becomes the recogniser's Han reading ("中国广广西岩左市" →
    "中国广西崇左市"). A word without digits (Tesseract unsure of it) becomes what the recogniser read
    when that is Han and nothing Latin ("tt" → "件"), or takes its letters when both are Latin and a slip
    or two apart (``_latin_letters``). A figure or code: the same length → the
    recogniser's letters and digits with Tesseract's punctuation where both read punctuation ("74.973,60"
    stays, "8.41" is not made "8,41"); the same letters and digits → the recogniser's punctuation ("4815" →
    "481.5", "|597" → "597"); else only a date that Tesseract's reading is not ("2025ff10B6H" →
    "2025年10月6日")."""
    if read == tesseract:
        return None
    if junk_marks(tesseract) and HAN_RE.search(read) and not re.search(r"[A-Za-z\d]", read):
        return read  # junk marks where the recogniser reads Han only ("FR#Ht®" → "联系电话")
    if HAN_RE.search(tesseract):
        return read if HAN_RE.search(read) and not re.search(r"[A-Za-z]", read) else None
    if not re.search(r"\d", tesseract):
        if HAN_RE.search(read):
            return read if not re.search(r"[A-Za-z\d]", read) else None
        return _latin_letters(tesseract, read)
    if not re.search(r"\d", read):
        return None
    if len(read) == len(tesseract):
        return "".join(
            t if not t.isalnum() and not r.isalnum() else r for t, r in zip(tesseract, read, strict=True)
        )
    if _alnum(read) == _alnum(tesseract):
        return read
    if normalize.normalize_date(read) and not normalize.normalize_date(tesseract):
        return read
    return None
