"""BM.04 Phiếu xin lỗi và hẹn lại ngày trả kết quả as a real PDF, and who may open it."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from pypdf import PdfReader
from reportlab.lib.pagesizes import A5

from langson.core.models import OrgUnit
from langson.services import workflow
from langson.services.letters import apology_letter_pdf, issuer_lines
from langson.services.models import Dossier, Procedure
from langson.services.storage import DossierError
from langson.services.tests import test_receipt as receipt_tests
from langson.services.tests.test_receipt import (
    APPLICANT,
    DONG_DANG,
    IDENTITY,
    OFFICER,
    at,
    files,
    in_order,
    pdf_text,
)
from langson.services.tests.test_workflow import LUONG_VAN_TRI

pytestmark = pytest.mark.django_db

# The receipt tests' fixtures: files in a temporary folder, the procedure (Đăng ký khai sinh, kept at the
# commune) and the officer of Đồng Đăng.
files_in_tmp = receipt_tests.files_in_tmp
birth = receipt_tests.birth
officer = receipt_tests.officer
REASON = "Chờ kết quả xác minh nơi cư trú của người mẹ tại xã Tân Thanh."


@pytest.fixture
def citizen(make_user: Any) -> Any:
    return make_user("nguoidan.pac", "citizen")


@pytest.fixture
def received(birth: Procedure, officer: Any, citizen: Any) -> Dossier:
    """Submitted online by the citizen's account on Tue 01/12/2026 08:00, received at 09:30 (due Fri 04/12
    17:00), claimed at 10:15."""
    dossier = workflow.submit(
        birth,
        APPLICANT,
        files("TK", "GCS"),
        channel="online",
        received_unit=OrgUnit.objects.get(code=DONG_DANG),
        account=citizen,
        now=at(1, 8),
    )
    workflow.receive(dossier, officer, now=at(1, 9, 30))
    workflow.claim(dossier, officer, now=at(1, 10, 15))
    return dossier


@pytest.fixture
def apologised(received: Dossier, officer: Any) -> Dossier:
    """The apology of Thu 03/12 14:00 moves the return date by two working days, to Tue 08/12 17:00."""
    return workflow.apologise(received, officer, REASON, 2, now=at(3, 14))


def test_the_letter_is_an_a5_page_with_every_field_of_bm04(apologised: Dossier) -> None:
    with translation.override("en"):  # a legal form: Vietnamese whatever the page's language
        data = apology_letter_pdf(apologised)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (round(A5[0]), round(A5[1]))
    text = pdf_text(data)
    assert in_order(
        text,
        [
            "ỦY BAN NHÂN DÂN XÃ ĐỒNG ĐĂNG",  # the processing body issues the letter
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Lạng Sơn, ngày 03 tháng 12 năm 2026",  # the day of the apology
            "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
            "Kính gửi: Ông/bà Hoàng Văn Pác",
            "Số định danh cá nhân/tổ chức: ********1234",
            "Trung tâm Phục vụ hành chính công xã Đồng Đăng đã tiếp nhận hồ sơ",
            "Thủ tục: Thủ tục đăng ký khai sinh (mã thủ tục 1.001193)",
            f"Mã số hồ sơ: {apologised.code}",
            "Thời gian nhận hồ sơ: 09:30 ngày 01/12/2026",
            "Thời gian hẹn trả kết quả: 17:00 ngày 04/12/2026",
            "chưa trả kết quả giải quyết hồ sơ của Ông/bà đúng thời hạn",
            f"Lý do: {REASON}",
            "xin lỗi Ông/bà",
            "vào lúc 17:00 ngày 08/12/2026",
            "THỦ TRƯỞNG CƠ QUAN",
            "ký số đối với văn bản điện tử",
        ],
    )
    assert f"Cán bộ lập phiếu: {OFFICER}" in text
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" not in text  # the centre does not sign for the body
    assert IDENTITY not in text and IDENTITY[:8] not in text
    assert all(IDENTITY not in str(value) for value in (reader.metadata or {}).values())
    title = (reader.metadata or {}).get("/Title")
    assert title == f"Phiếu xin lỗi và hẹn lại ngày trả kết quả {apologised.code}"


def test_a_reason_on_several_lines_keeps_its_lines_and_its_markup_characters(
    received: Dossier,
    officer: Any,
) -> None:
    workflow.apologise(received, officer, "Chờ ý kiến Sở Tư pháp\n<về hộ tịch> & cư trú", 1, now=at(2, 9))
    text = pdf_text(apology_letter_pdf(received))
    assert "Lý do: Chờ ý kiến Sở Tư pháp <về hộ tịch> & cư trú" in text
    assert "17:00 ngày 07/12/2026" in text  # Fri 04/12 + 1 working day


def test_no_letter_without_an_apology(received: Dossier) -> None:
    with pytest.raises(DossierError) as error:
        apology_letter_pdf(received)
    assert error.value.code == "no_apology"
    assert error.value.vi and error.value.en


def test_a_department_signs_under_the_provinces_peoples_committee() -> None:
    department = OrgUnit.objects.filter(kind=OrgUnit.Kind.DEPARTMENT, parent__kind="province").first()
    assert department is not None
    assert issuer_lines(department) == ("Ủy ban nhân dân tỉnh Lạng Sơn", department.name)
    assert issuer_lines(OrgUnit.objects.get(code=DONG_DANG)) == ("", "Ủy ban nhân dân xã Đồng Đăng")


# --- Who may open it ----------------------------------------------------------------------------------------


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(dossier: Dossier) -> str:
    return f"/dvc/ho-so/{dossier.code}/phieu-xin-loi.pdf"


def test_the_applicant_and_the_units_officers_open_the_letter_others_do_not(
    apologised: Dossier,
    citizen: Any,
    officer: Any,
    make_user: Any,
) -> None:
    for user in (citizen, officer):
        answer = client_of(user).get(url(apologised))
        assert answer.status_code == 200
        assert answer["Content-Type"] == "application/pdf"
        assert answer["Content-Disposition"] == f'inline; filename="xin-loi-{apologised.code}.pdf"'
        assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in pdf_text(answer.content)
    assert client_of(make_user("nguoidan.khac", "citizen")).get(url(apologised)).status_code == 404
    other_commune = make_user("cb.lvt", "commune_officer", LUONG_VAN_TRI)
    assert client_of(other_commune).get(url(apologised)).status_code == 404
    anonymous = Client().get(url(apologised))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/")
    assert "next=" in anonymous["Location"]
    assert (
        Client().get(f"/dvc/ho-so/{apologised.code}/phieu-tiep-nhan.pdf").status_code == 302
    )  # as the receipt


def test_the_link_appears_once_the_date_is_moved(received: Dossier, citizen: Any, officer: Any) -> None:
    pages = {citizen: f"/dvc/ho-so/{received.code}/", officer: f"/mot-cua/ho-so/{received.code}/"}
    for user, page in pages.items():
        assert client_of(user).get(url(received)).status_code == 404  # no apology, no letter
        assert url(received) not in client_of(user).get(page).content.decode()
    workflow.apologise(received, officer, REASON, 2, now=at(3, 14))
    for user, page in pages.items():
        content = client_of(user).get(page).content.decode()
        assert url(received) in content
        assert "Phiếu xin lỗi và hẹn lại ngày trả kết quả (PDF)" in content
