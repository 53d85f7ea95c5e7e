"""Synthetic Lạng Sơn–Guangxi trade documents with ground truth, for training and honest evaluation.

``generate`` draws one document (commercial invoice, packing list, Form E, CMR) in a named layout, degrades
it (clean / scan / photo) and returns its pages and the extraction it should yield: canonical values (the
forms of ``langson.border.normalize``) with the box of the printed value on the final page image.
``generate_shipment`` gives the four consistent documents of one shipment, optionally with one injected
disagreement. Train layouts live in ``layouts`` and ``layouts_more``, held-out layouts in ``heldout``
(never tune extraction on those: they measure how it does on layouts it has not seen).
"""

from __future__ import annotations

import io
import json
import random
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from langson.border.schema import DOCUMENT_TYPES, PDF_DPI
from langson.border.synth import (  # noqa: F401 - importing registers them
    heldout,
    layouts,
    layouts_fresh3_ci_pl,
    layouts_fresh3_fe_cmr,
    layouts_fresh4_ci_pl,
    layouts_fresh4_fe_cmr,
    layouts_fresh_ci,
    layouts_fresh_cmr,
    layouts_fresh_fe_pl,
    layouts_more,
    layouts_wrapped,
    layouts_wrapped_cmr,
)
from langson.border.synth.degrade import DEGRADATIONS, degrade, map_box
from langson.border.synth.facts import MISMATCHES, ShipmentFacts, make_shipment
from langson.border.synth.render import REGISTRY, Builder

__all__ = [
    "DEGRADATIONS",
    "FILE_FORMATS",
    "LAYOUTS",
    "MISMATCHES",
    "ShipmentFacts",
    "SynthDocument",
    "generate",
    "generate_shipment",
    "make_shipment",
    "write_set",
]

FILE_FORMATS = ("png", "jpeg", "pdf")
SPLITS = ("train", "heldout")

LAYOUTS: dict[str, dict[str, list[str]]] = {
    doc_type: {
        split: sorted(name for (t, name), lay in REGISTRY.items() if t == doc_type and lay.split == split)
        for split in SPLITS
    }
    for doc_type in DOCUMENT_TYPES
}

# Which file a degradation usually arrives as: phone photos as JPEG, scans as PDF.
_FORMAT_WEIGHTS = {"clean": (4, 2, 4), "scan": (2, 3, 5), "photo": (1, 7, 2)}


@dataclass
class SynthDocument:
    """One generated document: its page images, the extraction it should yield, how it was made."""

    pages: list[Image.Image]
    truth: dict[str, Any]
    document_type: str
    layout: str
    degradation: str
    file_format: str
    split: str
    seed: int
    printed: dict[str, str] = field(default_factory=dict)  # field → text as printed (for debugging)
    jpeg_quality: int = 90

    def to_bytes(self) -> bytes:
        """The document as a file in ``file_format``; PDFs are image-only, one page per image, at 200 dpi
        so that rendering them at ``PDF_DPI`` gives back the page images' pixel grid."""
        buf = io.BytesIO()
        if self.file_format == "png":
            self.pages[0].save(buf, "PNG", compress_level=3)
        elif self.file_format == "jpeg":
            self.pages[0].save(buf, "JPEG", quality=self.jpeg_quality)
        else:
            first, *rest = self.pages
            first.save(
                buf,
                "PDF",
                resolution=float(PDF_DPI),
                save_all=True,
                append_images=rest,
                quality=self.jpeg_quality,
                # No timestamps: the same seed must give the same bytes (Pillow stamps the current second).
                creationDate=None,
                modDate=None,
            )
        return buf.getvalue()

    @property
    def extension(self) -> str:
        return {"png": "png", "jpeg": "jpg", "pdf": "pdf"}[self.file_format]


def _layout(document_type: str, name: str) -> Any:
    try:
        return REGISTRY[(document_type, name)]
    except KeyError:
        known = ", ".join(
            LAYOUTS.get(document_type, {}).get("train", [])
            + LAYOUTS.get(document_type, {}).get("heldout", [])
        )
        raise ValueError(f"unknown layout {name!r} for {document_type!r}; known: {known}") from None


def _mix(*parts: object) -> int:
    return zlib.crc32("|".join(str(p) for p in parts).encode())


def generate(
    document_type: str,
    *,
    layout: str | None = None,
    degradation: str = "clean",
    seed: int = 0,
    shipment: ShipmentFacts | None = None,
    file_format: str | None = None,
) -> SynthDocument:
    """One document of ``document_type`` drawn in ``layout`` (a train layout chosen by ``seed`` when None),
    degraded, with its ground truth. Deterministic for its arguments. ``shipment`` gives the facts (else
    ``make_shipment(seed)``); ``file_format`` is chosen by seed and degradation when None. A long Form E
    gets a continuation sheet (two pages, so a PDF) unless a single-image format is asked for, in which
    case its items are typed smaller to fit one page."""
    if document_type not in DOCUMENT_TYPES:
        raise ValueError(f"unknown document type {document_type!r}")
    if degradation not in DEGRADATIONS:
        raise ValueError(f"unknown degradation {degradation!r}; expected one of {DEGRADATIONS}")
    if file_format is not None and file_format not in FILE_FORMATS:
        raise ValueError(f"unknown file format {file_format!r}; expected one of {FILE_FORMATS}")
    rng = random.Random(f"render-{seed}-{document_type}-{layout}-{degradation}")  # noqa: S311 - not security
    if layout is None:
        layout = rng.choice(LAYOUTS[document_type]["train"])
    spec = _layout(document_type, layout)
    facts = (shipment if shipment is not None else make_shipment(seed)).view(document_type)
    builder = Builder(document_type, facts, rng, spec.family, spec.style(rng, facts))
    builder.single_page = file_format in ("png", "jpeg")
    spec.draw(builder)
    truth = builder.truth()
    np_rng = np.random.default_rng([seed & 0xFFFFFFFF, _mix(document_type, layout, degradation)])
    pages: list[Image.Image] = []
    quality = 0
    for canvas in builder.pages:
        image, matrix, q = degrade(canvas.image, degradation, np_rng)
        quality = max(quality, q)
        _move_boxes(truth, canvas.page, matrix, image.size)
        pages.append(image)
    if file_format is None:
        file_format = rng.choices(FILE_FORMATS, weights=_FORMAT_WEIGHTS[degradation])[0]
    if len(pages) > 1:
        file_format = "pdf"  # only a PDF holds several pages
    return SynthDocument(
        pages=pages,
        truth=truth,
        document_type=document_type,
        layout=layout,
        degradation=degradation,
        file_format=file_format,
        split=spec.split,
        seed=seed,
        printed=builder.printed,
        jpeg_quality=quality or rng.randint(82, 92),
    )


def _move_boxes(truth: dict[str, Any], page: int, matrix: np.ndarray, size: tuple[int, int]) -> None:
    if np.allclose(matrix, np.eye(3)):
        return
    cells = list(truth["fields"].values()) + [cell for item in truth["line_items"] for cell in item.values()]
    for cell in cells:
        if cell["page"] == page:
            cell["bbox"] = map_box(cell["bbox"], matrix, size)


def generate_shipment(seed: int, *, split: str = "train", mismatch: str | None = None) -> list[SynthDocument]:
    """The four documents of one shipment (invoice, packing list, Form E, CMR) in layouts of ``split``,
    each with its own degradation and file format; ``mismatch`` (one of ``MISMATCHES``) injects one
    disagreement, recorded in each document's truth as printed."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    facts = make_shipment(seed, mismatch=mismatch)
    rng = random.Random(f"shipment-docs-{seed}-{split}")  # noqa: S311 - not security
    documents = []
    for document_type in DOCUMENT_TYPES:
        layout = rng.choice(LAYOUTS[document_type][split])
        degradation = rng.choices(DEGRADATIONS, weights=(3, 4, 3))[0]
        documents.append(
            generate(document_type, layout=layout, degradation=degradation, seed=seed, shipment=facts)
        )
    return documents


def write_set(directory: str | Path, *, count: int, split: str = "train", seed: int = 1) -> int:
    """``count`` shipments of ``split`` layouts (so ``count`` documents of each type) written to
    ``directory`` as ``<n>-<type>-<layout>-<degradation>.<ext>`` plus ``<same>.json`` holding
    {"truth", "layout", "degradation", "split", ...}; returns the number of documents written."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    base = seed * 1_000_000 + (500_000 if split == "heldout" else 0)
    written = 0
    for i in range(count):
        for doc in generate_shipment(base + i, split=split):
            stem = f"{written:05d}-{doc.document_type}-{doc.layout}-{doc.degradation}"
            (out / f"{stem}.{doc.extension}").write_bytes(doc.to_bytes())
            meta = {
                "truth": doc.truth,
                "layout": doc.layout,
                "degradation": doc.degradation,
                "split": doc.split,
                "document_type": doc.document_type,
                "file_format": doc.file_format,
                "seed": doc.seed,
                "shipment": i,
                "pages": len(doc.pages),
                "size": list(doc.pages[0].size),
            }
            (out / f"{stem}.json").write_text(
                json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8"
            )
            written += 1
    return written
