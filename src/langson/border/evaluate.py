"""How well the extractor reads documents whose truth is known: field precision, recall and F1, document-type
accuracy, where the boxes point, and the time per page.

A field counts as a true positive when the extracted value equals the true canonical value (both in the
forms of ``normalize``), a false positive when a value was extracted that is wrong or should not be there, a
false negative when the true value was not extracted; a wrong value is both (the usual rule for key
information extraction). Line-item cells count as fields (``line_items.<column>``), items being paired with
the true ones by most cells in common. A document the extractor refused, or read as another type, has all
its true fields missed. Tallies are kept overall, per kind of value, per degradation, per document type and
per layout.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langson.border import normalize
from langson.border.extract import ExtractionError, extract_bytes
from langson.border.schema import DATE_FIELDS, NUMBER_FIELDS, PLATE_FIELDS

Extractor = Callable[[bytes, str], dict[str, Any]]

NAME_FIELDS = frozenset(
    {"seller_name", "buyer_name", "exporter_name", "importer_name", "consignor_name", "consignee_name"}
)
ID_FIELDS = frozenset({"invoice_number", "packing_list_number", "certificate_number", "cmr_number"})


def kind_of(name: str) -> str:
    """The kind of value a field holds, for the per-kind tallies."""
    column = name.rsplit(".", 1)[-1]
    if column in DATE_FIELDS:
        return "date"
    if column in NUMBER_FIELDS:
        return "number"
    if column in PLATE_FIELDS:
        return "plate"
    if column in ID_FIELDS:
        return "identifier"
    if column in NAME_FIELDS:
        return "name"
    if column in {"currency", "incoterm", "hs_code", "origin_criterion", "unit"}:
        return "code"
    return "text"


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Tally) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def _canonical(name: str, value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    column = name.rsplit(".", 1)[-1]
    # Truth values are canonical already; normalising both sides only forgives formatting, never content.
    if column in NUMBER_FIELDS and normalize.is_canonical_number(text):
        return text
    return normalize.normalize_field(column, text) or normalize.normalize_text(text) or None


def _bbox_hit(predicted: list[float] | None, truth: list[float] | None) -> bool:
    """The extracted box points at the printed value: the centre of one lies in the other."""
    if not predicted or not truth:
        return False
    px, py = (predicted[0] + predicted[2]) / 2, (predicted[1] + predicted[3]) / 2
    tx, ty = (truth[0] + truth[2]) / 2, (truth[1] + truth[3]) / 2
    inside = truth[0] <= px <= truth[2] and truth[1] <= py <= truth[3]
    return inside or (predicted[0] <= tx <= predicted[2] and predicted[1] <= ty <= predicted[3])


@dataclass
class Outcome:
    """One field's comparison."""

    name: str
    truth: str | None
    predicted: str | None
    bbox_ok: bool | None = None

    @property
    def tally(self) -> Tally:
        correct = self.truth is not None and self.predicted == self.truth
        return Tally(
            tp=int(correct),
            fp=int(self.predicted is not None and not correct),
            fn=int(self.truth is not None and not correct),
        )


def _entries(fields: dict[str, Any]) -> dict[str, tuple[str | None, Any]]:
    return {
        name: (_canonical(name, entry.get("value")), entry.get("bbox"))
        for name, entry in (fields or {}).items()
        if isinstance(entry, dict)
    }


def _pair_items(predicted: list[dict[str, Any]], truth: list[dict[str, Any]]) -> list[tuple[int | None, int]]:
    """Pairs (predicted index or None, true index; -1 for a predicted item with no true one): the pairs
    sharing most cells first, then the items left over by position."""
    t_values = [{k: v for k, (v, _) in _entries(item).items()} for item in truth]
    p_values = [{k: v for k, (v, _) in _entries(item).items()} for item in predicted]
    scored = []
    for t_index, t_item in enumerate(t_values):
        for p_index, p_item in enumerate(p_values):
            score = sum(1 for k, v in t_item.items() if v is not None and p_item.get(k) == v)
            if score:
                scored.append((-score, abs(t_index - p_index), t_index, p_index))
    pair_of: dict[int, int] = {}
    used: set[int] = set()
    for _score, _distance, t_index, p_index in sorted(scored):
        if t_index not in pair_of and p_index not in used:
            pair_of[t_index] = p_index
            used.add(p_index)
    free = [i for i in range(len(predicted)) if i not in used]
    pairs: list[tuple[int | None, int]] = []
    for t_index in range(len(truth)):
        if t_index not in pair_of and free:
            # Nothing in common: compare with the nearest item left, so its wrong cells count as wrong.
            nearest = min(free, key=lambda i: abs(i - t_index))
            pair_of[t_index] = nearest
            free.remove(nearest)
        pairs.append((pair_of.get(t_index), t_index))
    pairs.extend((p_index, -1) for p_index in free)
    return pairs


def compare(predicted: dict[str, Any] | None, truth: dict[str, Any]) -> list[Outcome]:
    """Field by field comparison of an extraction with the truth (``None``: the extractor refused)."""
    outcomes: list[Outcome] = []
    same_type = predicted is not None and predicted.get("document_type") == truth.get("document_type")
    t_fields = _entries(truth.get("fields", {}))
    p_fields = _entries(predicted.get("fields", {})) if predicted is not None and same_type else {}
    for name in sorted(set(t_fields) | set(p_fields)):
        t_value, t_box = t_fields.get(name, (None, None))
        p_value, p_box = p_fields.get(name, (None, None))
        outcome = Outcome(name, t_value, p_value)
        if t_value is not None and p_value == t_value:
            outcome.bbox_ok = _bbox_hit(p_box, t_box)
        outcomes.append(outcome)
    t_items = truth.get("line_items", []) or []
    p_items = (predicted.get("line_items", []) or []) if predicted is not None and same_type else []
    for p_index, t_index in _pair_items(p_items, t_items):
        t_cells = _entries(t_items[t_index]) if t_index >= 0 else {}
        p_cells = _entries(p_items[p_index]) if p_index is not None else {}
        for column in sorted(set(t_cells) | set(p_cells)):
            t_value, t_box = t_cells.get(column, (None, None))
            p_value, p_box = p_cells.get(column, (None, None))
            outcome = Outcome(f"line_items.{column}", t_value, p_value)
            if t_value is not None and p_value == t_value:
                outcome.bbox_ok = _bbox_hit(p_box, t_box)
            outcomes.append(outcome)
    return outcomes


@dataclass
class Sample:
    """One document to evaluate: its file, its truth and how it was made."""

    data: bytes
    filename: str
    truth: dict[str, Any]
    layout: str = ""
    degradation: str = ""
    pages: int = 1


@dataclass
class Report:
    overall: Tally = field(default_factory=Tally)
    by_kind: dict[str, Tally] = field(default_factory=dict)
    by_degradation: dict[str, Tally] = field(default_factory=dict)
    by_document_type: dict[str, Tally] = field(default_factory=dict)
    by_layout: dict[str, Tally] = field(default_factory=dict)
    by_field: dict[str, Tally] = field(default_factory=dict)
    documents: int = 0
    type_correct: int = 0
    pages: int = 0
    seconds: float = 0.0
    bbox_checked: int = 0
    bbox_ok: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    misses: list[dict[str, Any]] = field(default_factory=list)

    def add(self, sample: Sample, predicted: dict[str, Any] | None, seconds: float, error: str = "") -> None:
        self.documents += 1
        self.pages += sample.pages
        self.seconds += seconds
        document_type = sample.truth.get("document_type", "")
        if predicted is not None and predicted.get("document_type") == document_type:
            self.type_correct += 1
        if error:
            self.errors[error] = self.errors.get(error, 0) + 1
        for outcome in compare(predicted, sample.truth):
            tally = outcome.tally
            self.overall.add(tally)
            for table, key in (
                (self.by_kind, kind_of(outcome.name)),
                (self.by_degradation, sample.degradation),
                (self.by_document_type, document_type),
                (self.by_layout, f"{document_type}/{sample.layout}"),
                (self.by_field, f"{document_type}.{outcome.name}"),
            ):
                table.setdefault(key, Tally()).add(tally)
            if outcome.bbox_ok is not None:
                self.bbox_checked += 1
                self.bbox_ok += int(outcome.bbox_ok)
            if tally.fn or tally.fp:
                self.misses.append(
                    {
                        "file": sample.filename,
                        "field": outcome.name,
                        "truth": outcome.truth,
                        "predicted": outcome.predicted,
                    }
                )

    @property
    def type_accuracy(self) -> float:
        return self.type_correct / self.documents if self.documents else 0.0

    @property
    def seconds_per_page(self) -> float:
        return self.seconds / self.pages if self.pages else 0.0

    def as_dict(self, *, misses: int = 0) -> dict[str, Any]:
        def table(tallies: dict[str, Tally]) -> dict[str, Any]:
            return {key: tallies[key].as_dict() for key in sorted(tallies)}

        out: dict[str, Any] = {
            "documents": self.documents,
            "pages": self.pages,
            "field": self.overall.as_dict(),
            "document_type_accuracy": round(self.type_accuracy, 4),
            "seconds_per_page": round(self.seconds_per_page, 3),
            "pages_per_second": round(self.pages / self.seconds, 3) if self.seconds else 0.0,
            "bbox_accuracy": round(self.bbox_ok / self.bbox_checked, 4) if self.bbox_checked else 0.0,
            "by_kind": table(self.by_kind),
            "by_degradation": table(self.by_degradation),
            "by_document_type": table(self.by_document_type),
            "by_layout": table(self.by_layout),
            "errors": dict(sorted(self.errors.items())),
        }
        if misses:
            out["misses"] = self.misses[:misses]
        return out


def evaluate(samples: Iterable[Sample], extractor: Extractor = extract_bytes) -> Report:
    """Run ``extractor`` on every sample and tally the comparisons with the truth."""
    report = Report()
    for sample in samples:
        started = time.perf_counter()
        predicted: dict[str, Any] | None
        error = ""
        try:
            predicted = extractor(sample.data, sample.filename)
        except ExtractionError as exc:
            predicted, error = None, exc.code
        report.add(sample, predicted, time.perf_counter() - started, error)
    return report


def samples_from_directory(directory: str | Path) -> list[Sample]:
    """The documents written by ``synth.write_set``: each file beside its ``.json`` truth."""
    directory = Path(directory)
    samples: list[Sample] = []
    for meta_path in sorted(directory.glob("*.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        files = [p for p in directory.glob(meta_path.stem + ".*") if p.suffix != ".json"]
        if not files:
            continue
        truth = meta.get("truth", meta)
        pages = max([int(e.get("page", 1)) for e in truth.get("fields", {}).values()] + [1])
        samples.append(
            Sample(
                files[0].read_bytes(),
                files[0].name,
                truth,
                layout=str(meta.get("layout", "")),
                degradation=str(meta.get("degradation", "")),
                pages=int(meta.get("pages", pages)),
            )
        )
    return samples


def samples_from_documents(documents: Iterable[Any]) -> Iterable[Sample]:
    """Samples from ``synth.SynthDocument`` objects (generated on the fly)."""
    for document in documents:
        yield Sample(
            document.to_bytes(),
            f"{document.document_type}-{document.layout}-{document.degradation}.{document.file_format}",
            document.truth,
            layout=document.layout,
            degradation=document.degradation,
            pages=len(document.pages),
        )


def evaluate_directory(directory: str | Path, extractor: Extractor = extract_bytes) -> Report:
    return evaluate(samples_from_directory(directory), extractor)
