"""Data arriving by upload, push and pull: validated, quarantined with reasons, stored once in the lake."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from openpyxl import Workbook

from langson.core.models import OrgUnit
from langson.ioc.api_auth import issue_dataset_token
from langson.ioc.lake import scan
from langson.ioc.models import Dataset, IngestionRun, PullSource
from langson.ioc.services.pull import pull

pytestmark = pytest.mark.django_db

SCHEMA = {
    "columns": [
        {"name": "month", "type": "date", "required": True},
        {"name": "site", "type": "string", "required": True},
        {"name": "commune_code", "type": "commune", "required": True},
        {"name": "visitors", "type": "integer", "required": True, "min": 0},
    ],
    "key": ["month", "site"],
    "time_column": "month",
}

CSV_WITH_3_BAD_ROWS = """month,site,commune_code,visitors
2026-01-01,Động Tam Thanh,5986,30500
2026-02-01,Động Tam Thanh,5986,52000
2026-03-01,Động Tam Thanh,5986,-4
2026-01-01,Mẫu Sơn,6541,18000
2026-02-01,Mẫu Sơn,6541,27500
2026-03-01,Mẫu Sơn,9999,12000
2026-01-01,Chùa Tiên,5986,9000
2026-02-01,Chùa Tiên,5986,nhiều
2026-03-01,Chùa Tiên,5986,8000
2026-04-01,Chùa Tiên,5986,7600
"""


@pytest.fixture(autouse=True)
def lake_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.LAKE_DIR = tmp_path / "lake"


@pytest.fixture
def tourism() -> Dataset:
    return Dataset.objects.create(
        code="tourism-visits",
        name="Lượt khách du lịch",
        owner=OrgUnit.objects.get(code="SO-VHTTDL"),
        schema=SCHEMA,
    )


@pytest.fixture
def officer(make_user: Any) -> Any:
    return make_user("cb.vhttdl", "department_officer", "SO-VHTTDL")


def lake_count(code: str) -> int:
    table = scan(code)
    return 0 if table is None else int(table.count().execute())


def upload(client: Client, name: str, content: bytes) -> Any:
    return client.post("/api/ioc/datasets/tourism-visits/uploads", {"file": _file(name, content)})


def _file(name: str, content: bytes) -> Any:
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def test_csv_upload_keeps_three_rejections_with_reasons_and_stores_the_rest(tourism, officer, api_client):
    client = api_client(officer)
    response = upload(client, "khach-du-lich.csv", CSV_WITH_3_BAD_ROWS.encode())
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["rows_received"], body["rows_accepted"], body["rows_rejected"]) == (10, 7, 3)
    by_row = {r["row_number"]: r["reasons"][0] for r in body["rejections"]}
    assert by_row[3]["code"] == "below_min" and by_row[6]["code"] == "unknown_commune"
    assert by_row[8]["vi"] == "visitors = 'nhiều' không phải số nguyên."
    assert lake_count("tourism-visits") == 7
    csv_text = client.get(f"/api/ioc/runs/{body['id']}/quarantine.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0] == "dong_so,month,site,commune_code,visitors,ly_do"
    assert "không phải mã xã, phường của tỉnh Lạng Sơn" in csv_text and len(csv_text.splitlines()) == 4


def test_the_same_file_twice_stores_nothing_new(tourism, officer, api_client):
    client = api_client(officer)
    assert upload(client, "a.csv", CSV_WITH_3_BAD_ROWS.encode()).status_code == 201
    again = upload(client, "a-lan-2.csv", CSV_WITH_3_BAD_ROWS.encode())
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert lake_count("tourism-visits") == 7


def test_xlsx_upload(tourism, officer, api_client):
    book = Workbook()
    sheet = book.active
    sheet.append(["month", "site", "commune_code", "visitors"])
    sheet.append([__import__("datetime").datetime(2026, 5, 1), "Động Tam Thanh", 5986, 21000])
    sheet.append([__import__("datetime").datetime(2026, 6, 1), "Động Tam Thanh", "5986", 33000])
    out = io.BytesIO()
    book.save(out)
    body = upload(api_client(officer), "bao-cao.xlsx", out.getvalue()).json()
    assert (body["rows_accepted"], body["rows_rejected"]) == (2, 0)


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("a.pdf", b"%PDF", "Chỉ nhận tệp CSV hoặc XLSX."),
        ("a.csv", b"month,site\n2026-01-01,x\n", "Tệp thiếu cột bắt buộc: commune_code, visitors."),
        ("a.csv", "month,site".encode("utf-16"), "Tệp CSV phải mã hóa UTF-8."),
        ("a.xlsx", b"not a workbook", "Không đọc được tệp XLSX."),
    ],
)
def test_unusable_files_are_refused_whole(tourism, officer, api_client, name, content, message):
    response = upload(api_client(officer), name, content)
    assert response.status_code == 422 and response.json()["detail"] == message
    assert lake_count("tourism-visits") == 0


def test_another_department_cannot_see_or_upload(tourism, make_user, api_client):
    other = api_client(make_user("cb.yte", "department_officer", "SO-YT"))
    assert other.get("/api/ioc/datasets/tourism-visits").status_code == 404
    assert upload(other, "a.csv", CSV_WITH_3_BAD_ROWS.encode()).status_code == 404


def push(key: str | None, code: str, body: dict[str, Any]) -> Any:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return Client(headers=headers).post(
        f"/api/ioc/datasets/{code}/batches", data=json.dumps(body), content_type="application/json"
    )


def test_push_with_dataset_keys(tourism):
    trucks = Dataset.objects.create(
        code="border-trucks",
        name="Xe qua cửa khẩu",
        owner=OrgUnit.objects.get(code="BQL-KKT"),
        schema={
            "columns": [
                {"name": "date", "type": "date", "required": True},
                {"name": "trucks", "type": "integer", "required": True},
            ],
            "key": ["date"],
            "time_column": "date",
        },
    )
    _, tourism_key = issue_dataset_token(tourism, "Hệ thống bán vé")
    _, trucks_key = issue_dataset_token(trucks, "Hệ thống cửa khẩu")
    batch = {
        "batch_id": "2026-11-27",
        "rows": [{"month": "2026-11-01", "site": "Mẫu Sơn", "commune_code": 6541, "visitors": 15000}],
    }
    assert push(None, "tourism-visits", batch).status_code == 401
    assert push("ls_ds_sai-khoa", "tourism-visits", batch).status_code == 401
    wrong = push(trucks_key, "tourism-visits", batch)
    assert wrong.status_code == 403 and wrong.json()["code"] == "wrong_dataset"
    first = push(tourism_key, "tourism-visits", batch)
    assert first.status_code == 201 and first.json()["rows_accepted"] == 1
    repeat = push(tourism_key, "tourism-visits", batch)
    assert repeat.status_code == 200 and repeat.json()["status"] == "duplicate"
    # Same rows under a new batch id: stored again as a run, but the lake counts each key once.
    assert push(tourism_key, "tourism-visits", {**batch, "batch_id": "2026-11-28"}).status_code == 201
    assert lake_count("tourism-visits") == 1
    assert IngestionRun.objects.filter(dataset=tourism, status="done").count() == 2


class _Api(BaseHTTPRequestHandler):
    """A sector system with 5 records, 2 per page, filtered by an 'updated since' cursor."""

    records = [
        {
            "month": f"2026-0{i}-01",
            "site": "Động Tam Thanh",
            "commune_code": "5986",
            "visitors": 1000 * i,
            "updated": f"2026-0{i}-15T00:00:00",
        }
        for i in range(1, 6)
    ]
    seen_auth: list[str] = []

    def do_GET(self) -> None:
        query = parse_qs(urlparse(self.path).query)
        _Api.seen_auth.append(self.headers.get("Authorization", ""))
        since = query.get("since", [""])[0]
        page = int(query.get("page", ["1"])[0])
        items = [r for r in self.records if r["updated"] > since]
        body = json.dumps({"data": {"items": items[(page - 1) * 2 : page * 2]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def sector_api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Api)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/visits"
    server.shutdown()


def test_pull_follows_pages_and_the_cursor(tourism, sector_api):
    _Api.seen_auth.clear()
    source = PullSource.objects.create(
        dataset=tourism,
        url=sector_api,
        auth_header="Authorization: Bearer so-du-lich",
        items_path="data.items",
        pagination="page",
        page_param="page",
        cursor_param="since",
        cursor_field="updated",
    )
    run = pull(source)
    assert run is not None and run.rows_accepted == 5
    assert source.last_cursor == "2026-05-15T00:00:00"
    assert (
        set(_Api.seen_auth) == {"Bearer so-du-lich"} and len(_Api.seen_auth) == 4
    )  # pages 1,2,3 and the empty 4th
    _Api.records.append(
        {
            "month": "2026-06-01",
            "site": "Động Tam Thanh",
            "commune_code": "5986",
            "visitors": 7000,
            "updated": "2026-06-15T00:00:00",
        }
    )
    try:
        second = pull(source)
    finally:
        _Api.records.pop()
    assert second is not None and second.rows_received == 1  # only what changed since the cursor
    assert lake_count("tourism-visits") == 6
    assert pull(source) is None  # nothing new


def test_pull_from_a_dead_endpoint_raises_a_clear_error(tourism):
    from langson.ioc.services.pull import PullError

    source = PullSource.objects.create(dataset=tourism, url="http://127.0.0.1:1/none")
    with pytest.raises(PullError):
        pull(source)


def test_an_operator_declares_a_dataset_in_the_admin_and_a_broken_schema_is_refused(make_user):
    from langson.core.models import AuditEntry

    operator = make_user("vanhanh.dataset", "operator", "SO-VHTTDL")
    operator.is_staff = True
    operator.save()
    client = Client()
    client.force_login(operator)
    form = {
        "code": "du-lich-luot-khach",
        "name": "Lượt khách theo điểm",
        "name_en": "Visitors by site",
        "owner": OrgUnit.objects.get(code="SO-VHTTDL").pk,
        "expected_every_hours": "744",
        "retention_days": "0",
    }
    good = {"columns": [{"name": "ngay", "type": "date", "required": True}], "time_column": "ngay"}
    broken = {"columns": [{"name": "ngay", "type": "ngày"}], "time_column": "ngay"}
    no_time = {"columns": [{"name": "ngay", "type": "date"}]}
    for schema in (broken, no_time):
        page = client.post("/admin/ioc/dataset/add/", {**form, "schema": json.dumps(schema)})
        assert page.status_code == 200 and not Dataset.objects.filter(code=form["code"]).exists()
    page = client.post("/admin/ioc/dataset/add/", {**form, "code": "_tmp", "schema": json.dumps(good)})
    assert page.status_code == 200 and "chữ, số" in page.content.decode()  # lake folders starting _ are ours
    other_unit = OrgUnit.objects.get(code="SO-YT").pk
    page = client.post("/admin/ioc/dataset/add/", {**form, "owner": other_unit, "schema": json.dumps(good)})
    assert page.status_code == 200 and not Dataset.objects.filter(code=form["code"]).exists()
    page = client.post("/admin/ioc/dataset/add/", {**form, "schema": json.dumps(good)})
    assert page.status_code == 302
    dataset = Dataset.objects.get(code=form["code"])
    assert AuditEntry.objects.filter(
        model="ioc.dataset", object_pk=str(dataset.pk), actor=operator.username
    ).exists()
