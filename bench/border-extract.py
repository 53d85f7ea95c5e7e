"""Border-gate document AI: how fast and how well trade documents are read, next to plain Tesseract.

Documents come from the project's own generator (`langson.border.synth`) with their ground truth: the four
types (commercial invoice, packing list, Form E, CMR), clean / scanned / photographed, PNG, JPEG and PDF.
Two sets are generated from seeds in this run: the **train** layouts (the ones the rules were written
against) and the **held-out** layouts (never looked at while writing the rules: acceptance).

Measured on one core (the process is pinned to CPU 0 and Tesseract's OpenMP limited to one thread):
pages per second and seconds per page of the whole extraction (decode, preprocessing, OCR, rules, checks),
field precision/recall/F1 (overall, per kind of value, per degradation, per document type) and document-type
accuracy. The peer, in the same run on the same held-out documents: plain Tesseract, the raw page read with
vie+chi_sim+eng (psm 3) and then the same extraction rules, so the difference is the value of the
preprocessing and the two-pass reading. Targets (issue 5): held-out field F1 ≥ 0.95, document-type accuracy
≥ 0.99, ≤ 2 s per page on one core.
"""

from __future__ import annotations

import os

os.environ["OMP_THREAD_LIMIT"] = "1"  # before Tesseract is loaded: one thread, one core

from typing import Any

from langson.border import evaluate, extract, synth
from langson.border.schema import DOCUMENT_TYPES


def _pin_one_core() -> str:
    try:
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
        return "pinned to one CPU"
    except (AttributeError, OSError):
        return "not pinned (no sched_setaffinity)"


def _documents(split: str, per_cell: int, seed: int) -> list[Any]:
    """``per_cell`` documents for every (type, layout of the split, degradation), from fixed seeds."""
    documents = []
    n = seed
    for document_type in DOCUMENT_TYPES:
        for layout in synth.LAYOUTS[document_type][split]:
            for degradation in synth.DEGRADATIONS:
                for _ in range(per_cell):
                    documents.append(
                        synth.generate(document_type, layout=layout, degradation=degradation, seed=n)
                    )
                    n += 1
    return documents


def _quick_documents(split: str, seed: int) -> list[Any]:
    """One document per type, degradations and layouts rotating: a smoke run."""
    documents = []
    for index, document_type in enumerate(DOCUMENT_TYPES):
        layouts = synth.LAYOUTS[document_type][split]
        documents.append(
            synth.generate(
                document_type,
                layout=layouts[index % len(layouts)],
                degradation=synth.DEGRADATIONS[index % len(synth.DEGRADATIONS)],
                seed=seed + index,
            )
        )
    return documents


def _raw_extractor(data: bytes, filename: str) -> dict[str, Any]:
    return extract.extract_pages(extract.read_pages(extract.page_images(data, filename), raw=True))


def run(quick: bool) -> dict[str, Any]:
    pinned = _pin_one_core()
    if quick:
        train_docs = _quick_documents("train", 9100)
        heldout_docs = _quick_documents("heldout", 9200)
        baseline_docs = heldout_docs
    else:
        train_docs = _documents("train", 1, 9100)
        heldout_docs = _documents("heldout", 2, 9200)
        # Plain Tesseract takes 3–4× as long: it reads one held-out document per (type, layout, degradation).
        baseline_docs = heldout_docs[::2]
    # Warm the engines (model loading is a per-process cost, not a per-page one).
    extract.read_pages([train_docs[0].pages[0]])
    extract.read_pages([train_docs[0].pages[0]], raw=True)

    train = evaluate.evaluate(evaluate.samples_from_documents(train_docs))
    heldout = evaluate.evaluate(evaluate.samples_from_documents(heldout_docs))
    baseline = evaluate.evaluate(evaluate.samples_from_documents(baseline_docs), _raw_extractor)
    ours_on_baseline_docs = evaluate.evaluate(evaluate.samples_from_documents(baseline_docs))

    def summary(report: evaluate.Report) -> dict[str, Any]:
        data = report.as_dict()
        return {
            "documents": data["documents"],
            "pages": data["pages"],
            "field_f1": data["field"]["f1"],
            "field_precision": data["field"]["precision"],
            "field_recall": data["field"]["recall"],
            "document_type_accuracy": data["document_type_accuracy"],
            "seconds_per_page": data["seconds_per_page"],
            "pages_per_second": data["pages_per_second"],
            "bbox_accuracy": data["bbox_accuracy"],
            "f1_by_kind": {k: v["f1"] for k, v in data["by_kind"].items()},
            "f1_by_degradation": {k: v["f1"] for k, v in data["by_degradation"].items()},
            "f1_by_document_type": {k: v["f1"] for k, v in data["by_document_type"].items()},
            "errors": data["errors"],
        }

    heldout_summary = summary(heldout)
    metrics: dict[str, Any] = {
        "heldout_field_f1": heldout_summary["field_f1"],
        "heldout_document_type_accuracy": heldout_summary["document_type_accuracy"],
        "seconds_per_page": round((train.seconds + heldout.seconds) / max(1, train.pages + heldout.pages), 3),
        "pages_per_second": round(
            (train.pages + heldout.pages) / max(1e-9, train.seconds + heldout.seconds), 3
        ),
        "train_field_f1": summary(train)["field_f1"],
        "train_document_type_accuracy": summary(train)["document_type_accuracy"],
        "train": summary(train),
        "heldout": heldout_summary,
        "same_documents_as_baseline": summary(ours_on_baseline_docs),
        "cpu": pinned,
    }
    return {
        "metrics": metrics,
        "baseline": {
            "peer": "plain Tesseract 5 (vie+chi_sim+eng, psm 3, raw page) + the same extraction rules, "
            "same run, held-out documents",
            **summary(baseline),
        },
        "targets": [
            {"metric": "heldout_field_f1", "min": 0.95},
            {"metric": "heldout_document_type_accuracy", "min": 0.99},
            {"metric": "seconds_per_page", "max": 2.0},
        ],
    }
