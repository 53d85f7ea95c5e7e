"""The evaluation of the extractor: how values are compared and counted, over a directory of synthetic
documents. The extractor is replaced by stand-ins here (the real one is measured by the benchmark)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from langson.border import evaluate, synth
from langson.border.extract import ExtractionError
from langson.border.schema import COMMERCIAL_INVOICE, PACKING_LIST

pytestmark = pytest.mark.nodb


def cell(value: str, bbox: list[int] | None = None) -> dict[str, Any]:
    return {"value": value, "confidence": 1.0, "bbox": bbox or [10, 10, 50, 30], "page": 1}


def invoice(**fields: str) -> dict[str, Any]:
    return {
        "document_type": COMMERCIAL_INVOICE,
        "fields": {name: cell(value) for name, value in fields.items()},
        "line_items": [],
        "issues": [],
    }


def test_a_right_value_is_a_true_positive_and_a_wrong_one_both_errors():
    truth = invoice(invoice_number="INV-1", total_amount="1250.5", currency="USD")
    predicted = invoice(invoice_number="INV-1", total_amount="1250.4")
    tally = evaluate.Tally()
    for outcome in evaluate.compare(predicted, truth):
        tally.add(outcome.tally)
    assert (tally.tp, tally.fp, tally.fn) == (1, 1, 2)  # wrong total: fp and fn; currency missed: fn
    assert tally.precision == pytest.approx(0.5)
    assert tally.recall == pytest.approx(1 / 3)
    assert tally.f1 == pytest.approx(2 * 0.5 * (1 / 3) / (0.5 + 1 / 3))


def test_values_are_compared_in_canonical_form():
    truth = invoice(total_amount="1250.5", invoice_date="2026-11-28", currency="USD")
    predicted = invoice(total_amount="1.250,50", invoice_date="28/11/2026", currency="US$")
    outcomes = evaluate.compare(predicted, truth)
    assert all(o.tally.tp for o in outcomes)


def test_a_value_that_should_not_be_there_is_a_false_positive():
    outcomes = evaluate.compare(invoice(incoterm="FOB"), invoice())
    assert [(o.tally.tp, o.tally.fp, o.tally.fn) for o in outcomes] == [(0, 1, 0)]


def test_a_refused_document_or_the_wrong_type_misses_every_true_field():
    truth = invoice(invoice_number="INV-1", currency="USD")
    refused = evaluate.compare(None, truth)
    assert sum(o.tally.fn for o in refused) == 2 and not any(o.tally.tp for o in refused)
    wrong_type = copy.deepcopy(truth)
    wrong_type["document_type"] = PACKING_LIST
    outcomes = evaluate.compare(wrong_type, truth)
    assert sum(o.tally.fn for o in outcomes) == 2 and not any(o.tally.tp for o in outcomes)


def test_line_items_are_paired_by_content_not_by_position():
    first = {"description": cell("Vải thiều"), "quantity": cell("2000")}
    second = {"description": cell("Thanh long"), "quantity": cell("1250")}
    truth = invoice()
    truth["line_items"] = [first, second]
    predicted = invoice()
    predicted["line_items"] = [second, first]  # read in the other order
    outcomes = evaluate.compare(predicted, truth)
    assert len(outcomes) == 4 and all(o.tally.tp for o in outcomes)
    predicted["line_items"] = [second]  # one item missed
    outcomes = evaluate.compare(predicted, truth)
    assert sum(o.tally.tp for o in outcomes) == 2 and sum(o.tally.fn for o in outcomes) == 2


def test_the_box_must_point_at_the_printed_value():
    truth = invoice(invoice_number="INV-1")
    truth["fields"]["invoice_number"]["bbox"] = [100, 100, 300, 130]
    near = invoice(invoice_number="INV-1")
    near["fields"]["invoice_number"]["bbox"] = [104, 98, 296, 133]
    far = invoice(invoice_number="INV-1")
    far["fields"]["invoice_number"]["bbox"] = [800, 900, 900, 930]
    assert evaluate.compare(near, truth)[0].bbox_ok is True
    assert evaluate.compare(far, truth)[0].bbox_ok is False


def test_kinds_of_values():
    assert evaluate.kind_of("invoice_date") == "date"
    assert evaluate.kind_of("line_items.gross_weight_kg") == "number"
    assert evaluate.kind_of("trailer_plate") == "plate"
    assert evaluate.kind_of("cmr_number") == "identifier"
    assert evaluate.kind_of("consignee_name") == "name"
    assert evaluate.kind_of("line_items.hs_code") == "code"
    assert evaluate.kind_of("place_of_loading") == "text"


@pytest.fixture(scope="module")
def written_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("synth")
    synth.write_set(directory, count=1, split="train", seed=3)
    return directory


def test_a_perfect_extractor_scores_one_on_a_written_set(written_set: Path):
    truths = {
        path.with_suffix("").name: json.loads(path.read_text(encoding="utf-8"))["truth"]
        for path in written_set.glob("*.json")
    }

    def oracle(data: bytes, filename: str) -> dict[str, Any]:
        return truths[Path(filename).with_suffix("").name]

    report = evaluate.evaluate_directory(written_set, oracle)
    assert report.documents == 4
    assert report.overall.f1 == 1.0 and report.type_accuracy == 1.0
    assert report.bbox_ok == report.bbox_checked > 0
    summary = report.as_dict()
    assert set(summary["by_degradation"]) <= set(synth.DEGRADATIONS)
    assert len(summary["by_document_type"]) == 4
    assert summary["field"]["f1"] == 1.0


def test_refusals_are_counted_and_every_field_missed(written_set: Path):
    def refuses(data: bytes, filename: str) -> dict[str, Any]:
        raise ExtractionError("blank_page", "Trang trống")

    report = evaluate.evaluate_directory(written_set, refuses)
    assert report.errors == {"blank_page": 4}
    assert report.overall.tp == 0 and report.overall.fn > 0
    assert report.type_accuracy == 0.0
