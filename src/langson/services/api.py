"""Services API (dịch vụ công): the public catalog and lookup, and the officers' hồ sơ with their actions.

The actions are the office page's (``views_office.dossier_detail``): the same names, the same rule of who
may act, the same workflow calls. The workflow saves every change through the model under the request's
audit context, so each change is audited with the person and the channel "api", as the page's are with
"web".
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import ConfigDict

from langson.core.errors import ApiError, forbidden, not_found
from langson.core.models import OrgUnit, User
from langson.core.pagination import Pages
from langson.core.parsing import InputSchema
from langson.services import indicators, payments, workflow
from langson.services.access import is_officer, may_act, visible_to_officer
from langson.services.forms import ApologyForm, ReasonForm
from langson.services.models import Dossier, DossierDocument, DossierEvent, Procedure, due_in_force
from langson.services.storage import DossierError
from langson.services.views_office import ACTIONS

router = Router(tags=["services"])

# Refusals that are about what was sent (422) rather than about the hồ sơ's state or a colleague's
# concurrent action (409).
INPUT_ERRORS = frozenset({"reason_required", "receipt_required", "not_in_unit", "not_competent"})


# --- Public: the procedure catalog ------------------------------------------------------------------


class DocumentSpecOut(Schema):
    code: str
    name: str
    required: bool
    copies: int


class StepSpecOut(Schema):
    name: str
    days: int


class ProcedureSummaryOut(Schema):
    code: str
    name: str
    field: str
    level: str
    level_label: str
    agency: str | None = Field(description="mã cơ quan có thẩm quyền; null: mỗi xã, phường giải quyết")
    deadline_days: int = Field(description="ngày làm việc; 0 = trong ngày / working days, 0 = same day")
    fee_vnd: int
    online: str
    online_label: str
    anywhere: bool = Field(description="tiếp nhận không phụ thuộc địa giới hành chính / received anywhere")

    @staticmethod
    def resolve_level_label(p: Procedure) -> str:
        return str(p.get_level_display())

    @staticmethod
    def resolve_online_label(p: Procedure) -> str:
        return str(p.get_online_display())

    @staticmethod
    def resolve_agency(p: Procedure) -> str | None:
        return p.agency.code if p.agency else None


class ProcedureOut(ProcedureSummaryOut):
    agency_name: str | None
    fee_note: str
    documents: list[DocumentSpecOut]
    steps: list[StepSpecOut]
    sample: bool = Field(description="dữ liệu mẫu, chưa phải danh mục chính thức / sample data")

    @staticmethod
    def resolve_agency_name(p: Procedure) -> str | None:
        return p.agency.name if p.agency else None


class ProcedureFilter(Schema):
    field: str | None = Field(None, max_length=120, description="lĩnh vực, đúng tên / field, exact")
    level: Procedure.Level | None = None
    q: str | None = Field(None, max_length=100, description="tìm theo tên, mã, lĩnh vực / search")


def _procedures() -> QuerySet[Procedure]:
    # Withdrawn procedures are not offered, as on the public catalog page.
    return Procedure.objects.filter(active=True).select_related("agency").order_by("field", "name")


@router.get(
    "/procedures",
    response=list[ProcedureSummaryOut],
    auth=None,
    summary="Danh mục thủ tục hành chính / procedure catalog",
)
@paginate(Pages)
def list_procedures(request: HttpRequest, filters: Query[ProcedureFilter]) -> QuerySet[Procedure]:
    procedures = _procedures()
    if filters.field:
        procedures = procedures.filter(field=filters.field)
    if filters.level:
        procedures = procedures.filter(level=filters.level)
    query = (filters.q or "").strip()
    if query:
        procedures = procedures.filter(
            Q(name__icontains=query) | Q(code__icontains=query) | Q(field__icontains=query)
        )
    return procedures


@router.get("/procedures/{code}", response=ProcedureOut, auth=None, summary="Một thủ tục / one procedure")
def get_procedure(request: HttpRequest, code: str) -> Procedure:
    procedure = _procedures().filter(code=code).first()
    if procedure is None:
        raise not_found("thủ tục", "procedure")
    return procedure


# --- Public: the lookup by code -----------------------------------------------------------------------


class LookupOut(Schema):
    """What the public lookup page (/dvc/tra-cuu/) shows: nothing about the applicant."""

    code: str
    procedure_code: str
    procedure_name: str
    status: str
    status_label: str
    current_step: str
    submitted_at: datetime
    due_at: datetime | None = Field(description="hẹn trả đang có hiệu lực / the return date in force")
    processing_unit: str
    return_unit: str

    @staticmethod
    def resolve_procedure_code(d: Dossier) -> str:
        return d.procedure.code

    @staticmethod
    def resolve_procedure_name(d: Dossier) -> str:
        return d.procedure.name

    @staticmethod
    def resolve_status_label(d: Dossier) -> str:
        return str(d.get_status_display())

    @staticmethod
    def resolve_due_at(d: Dossier) -> datetime | None:
        return d.extended_due_at or d.due_at

    @staticmethod
    def resolve_processing_unit(d: Dossier) -> str:
        return d.processing_unit.name

    @staticmethod
    def resolve_return_unit(d: Dossier) -> str:
        return d.return_unit.name


@router.get(
    "/lookup/{code}",
    response=LookupOut,
    auth=None,
    summary="Tra cứu hồ sơ (không có thông tin cá nhân) / look a dossier up (no personal data)",
)
def lookup(request: HttpRequest, code: str) -> Dossier:
    # The code as the lookup page reads it: printed codes are upper case; people type them any way.
    wanted = code.strip().upper()[:60]
    dossier = (
        Dossier.objects.select_related("procedure", "processing_unit", "return_unit")
        .filter(code=wanted)
        .first()
    )
    if dossier is None:
        raise not_found("hồ sơ", "dossier")
    return dossier


# --- Officers: the hồ sơ in their scope ---------------------------------------------------------------


class UnitRef(Schema):
    code: str
    name: str


class PersonRef(Schema):
    username: str
    full_name: str


class ProcedureRef(Schema):
    code: str
    name: str


class DossierSummaryOut(Schema):
    code: str
    procedure: ProcedureRef
    channel: str
    status: str
    status_label: str
    received_unit: str
    processing_unit: str
    assignee: str | None
    submitted_at: datetime
    received_at: datetime | None
    due_at: datetime | None = Field(description="hẹn trả đang có hiệu lực / the return date in force")
    overdue: bool = Field(description="đang xử lý và đã quá hẹn trả / open and past its return date")

    @staticmethod
    def resolve_status_label(d: Dossier) -> str:
        return str(d.get_status_display())

    @staticmethod
    def resolve_received_unit(d: Dossier) -> str:
        return d.received_unit.code

    @staticmethod
    def resolve_processing_unit(d: Dossier) -> str:
        return d.processing_unit.code

    @staticmethod
    def resolve_assignee(d: Dossier) -> str | None:
        return d.assignee.username if d.assignee else None

    @staticmethod
    def resolve_due_at(d: Dossier) -> datetime | None:
        return d.extended_due_at or d.due_at


class ApplicantOut(Schema):
    """The applicant as the office page shows them to the officers of the hồ sơ."""

    name: str
    id_number: str
    phone: str


class PlanStepOut(Schema):
    index: int
    name: str
    days: int
    due: datetime | None
    state: str = Field(description="done | current | pending")


class DocumentOut(Schema):
    id: int
    kind: str
    name: str
    content_type: str
    size: int
    round: int = Field(description="0 = lần nộp đầu, 1.. = bổ sung / 0 = first submission, 1.. = supplements")
    uploaded_at: datetime
    url: str

    @staticmethod
    def resolve_url(doc: DossierDocument) -> str:
        return reverse("services:document", args=[doc.dossier.code, doc.pk])


class EventOut(Schema):
    """One line of the phiếu kiểm soát quá trình (BM.05)."""

    action: str
    action_label: str
    at: datetime
    actor: str | None
    from_unit: str | None
    to_unit: str | None
    step: str
    step_due_at: datetime | None
    outcome: str
    note: str

    @staticmethod
    def resolve_action_label(e: DossierEvent) -> str:
        return str(e.get_action_display())

    @staticmethod
    def resolve_actor(e: DossierEvent) -> str | None:
        return e.actor.username if e.actor else None

    @staticmethod
    def resolve_from_unit(e: DossierEvent) -> str | None:
        return e.from_unit.code if e.from_unit else None

    @staticmethod
    def resolve_to_unit(e: DossierEvent) -> str | None:
        return e.to_unit.code if e.to_unit else None


class DossierOut(Schema):
    code: str
    procedure: ProcedureRef
    channel: str
    channel_label: str
    status: str
    status_label: str
    applicant: ApplicantOut
    request: str
    received_unit: UnitRef
    processing_unit: UnitRef
    return_unit: UnitRef
    assignee: PersonRef | None
    step: int
    current_step: str
    next_step: bool = Field(description="còn bước xử lý để chuyển (advance), nếu không thì duyệt (finish)")
    plan: list[PlanStepOut]
    submitted_at: datetime
    received_at: datetime | None
    due_at: datetime | None
    extended_due_at: datetime | None = Field(description="hẹn lại sau phiếu xin lỗi / date after an apology")
    completed_at: datetime | None
    outcome: str
    fee_vnd: int
    fee_owed: int
    rating: int | None
    documents: list[DocumentOut]
    events: list[EventOut]

    @staticmethod
    def resolve_channel_label(d: Dossier) -> str:
        return str(d.get_channel_display())

    @staticmethod
    def resolve_status_label(d: Dossier) -> str:
        return str(d.get_status_display())

    @staticmethod
    def resolve_applicant(d: Dossier) -> dict[str, str]:
        return {"name": d.applicant_name, "id_number": d.applicant_id, "phone": d.applicant_phone}

    @staticmethod
    def resolve_next_step(d: Dossier) -> bool:
        return workflow.has_next_step(d)

    @staticmethod
    def resolve_plan(d: Dossier) -> list[dict[str, Any]]:
        return workflow.step_plan(d)

    @staticmethod
    def resolve_fee_owed(d: Dossier) -> int:
        return payments.fee_owed(d)

    @staticmethod
    def resolve_documents(d: Dossier) -> list[DossierDocument]:
        return list(d.documents.select_related("dossier"))

    @staticmethod
    def resolve_events(d: Dossier) -> list[DossierEvent]:
        return list(d.events.select_related("actor", "from_unit", "to_unit"))


class DossierFilter(Schema):
    status: Dossier.Status | None = None
    procedure: str | None = Field(None, max_length=40, description="mã thủ tục / procedure code")
    unit: str | None = Field(None, max_length=40, description="mã đơn vị xử lý / processing unit code")
    overdue: bool | None = Field(None, description="true: chỉ hồ sơ quá hạn / only overdue dossiers")


def _officer_only(request: HttpRequest) -> None:
    # Citizens and businesses have their own pages; the one-stop office is for officers (as /mot-cua/).
    if not is_officer(request.user):
        raise forbidden()


def _visible_dossier(request: HttpRequest, code: str) -> Dossier:
    _officer_only(request)
    dossier = visible_to_officer(request.user).select_related("assignee").filter(code=code).first()
    if dossier is None:
        raise not_found("hồ sơ", "dossier")  # also outside the scope: codes are not disclosed
    return dossier


@router.get("/dossiers", response=list[DossierSummaryOut], summary="Hồ sơ trong phạm vi / dossiers in scope")
@paginate(Pages)
def list_dossiers(request: HttpRequest, filters: Query[DossierFilter]) -> QuerySet[Dossier]:
    _officer_only(request)
    # Overdue as the IOC counts it (indicators.overdue_open): the clock runs and the date in force passed.
    dossiers = (
        visible_to_officer(request.user)
        .select_related("assignee")
        .annotate(due=due_in_force())
        .annotate(
            overdue=ExpressionWrapper(
                Q(status__in=indicators.OPEN, due__lt=timezone.now()), output_field=BooleanField()
            )
        )
    )
    if filters.status:
        dossiers = dossiers.filter(status=filters.status)
    if filters.procedure:
        dossiers = dossiers.filter(procedure__code=filters.procedure)
    if filters.unit:
        dossiers = dossiers.filter(processing_unit__code=filters.unit)
    if filters.overdue is not None:
        dossiers = dossiers.filter(overdue=filters.overdue)
    return dossiers.order_by("-submitted_at", "-id")


@router.get("/dossiers/{code}", response=DossierOut, summary="Một hồ sơ / one dossier")
def get_dossier(request: HttpRequest, code: str) -> Dossier:
    return _visible_dossier(request, code)


# --- Officers: actions ----------------------------------------------------------------------------------


class ActionIn(InputSchema):
    """``{"action": ..., ...parameters}``; each action takes only its own parameters."""

    model_config = ConfigDict(extra="forbid")  # a misspelt parameter is an error, not silently ignored

    action: str = Field(..., max_length=40, description=", ".join(ACTIONS))
    reason: str | None = Field(
        None, description="supplement_request, refuse, stop, apologise, reassign: lý do / reason"
    )
    extra_days: int | None = Field(None, description="apologise: số ngày làm việc hẹn thêm / extra days")
    officer: str | None = Field(
        None, max_length=150, description="assign (bắt buộc), advance (tùy chọn): tên đăng nhập / username"
    )
    note: str | None = Field(None, max_length=4000, description="advance: ý kiến xử lý / hand-over note")
    unit: str | None = Field(None, max_length=40, description="reassign: mã đơn vị nhận / receiving unit")
    receipt_number: str | None = Field(
        None, max_length=80, description="collect_fee: số biên lai / receipt number"
    )


Run = Callable[[Dossier, Any, ActionIn], object]


@dataclass(frozen=True)
class Action:
    run: Run
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()


def _valid(form: forms.Form) -> dict[str, Any]:
    """The office page's form rules (reason required, ≤ 2000 characters; 1–30 extra days), as a 422."""
    if not form.is_valid():
        raise ApiError(
            422,
            "invalid",
            _("Dữ liệu không hợp lệ."),
            "The data is invalid.",
            errors={name: [str(m) for m in messages] for name, messages in form.errors.items()},
        )
    return dict(form.cleaned_data)


def _reason(body: ActionIn) -> str:
    return str(_valid(ReasonForm({"reason": body.reason}))["reason"])


def _person(username: str | None) -> User | None:
    if username is None:
        return None
    person = User.objects.filter(username=username).first()
    if person is None:
        raise ApiError(
            422,
            "unknown_officer",
            _("Không có cán bộ với tên đăng nhập này."),
            "No officer has this username.",
        )
    return person


def _unit(code: str | None) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise ApiError(422, "unknown_unit", _("Không có đơn vị với mã này."), "No unit has this code.")
    return unit


def _apologise(d: Dossier, user: Any, body: ActionIn) -> object:
    data = _valid(ApologyForm({"reason": body.reason, "extra_days": body.extra_days}))
    return workflow.apologise(d, user, data["reason"], data["extra_days"])


ACTION_TABLE: dict[str, Action] = {
    "receive": Action(lambda d, user, body: workflow.receive(d, user)),
    "claim": Action(lambda d, user, body: workflow.claim(d, user)),
    "assign": Action(lambda d, user, body: workflow.assign(d, user, _person(body.officer)), ("officer",)),
    "reassign": Action(
        lambda d, user, body: workflow.reassign(d, user, _unit(body.unit), _reason(body)), ("unit", "reason")
    ),
    "supplement_request": Action(
        lambda d, user, body: workflow.request_supplement(d, user, _reason(body)), ("reason",)
    ),
    "refuse": Action(lambda d, user, body: workflow.refuse(d, user, _reason(body)), ("reason",)),
    "stop": Action(lambda d, user, body: workflow.stop(d, user, _reason(body)), ("reason",)),
    "apologise": Action(_apologise, ("reason", "extra_days")),
    "advance": Action(
        lambda d, user, body: workflow.advance(d, user, _person(body.officer), body.note or ""),
        optional=("officer", "note"),
    ),
    "finish": Action(lambda d, user, body: workflow.finish(d, user)),
    "hand_back": Action(lambda d, user, body: workflow.hand_back(d, user)),
    "collect_fee": Action(
        lambda d, user, body: payments.pay_at_counter(d, user, body.receipt_number or ""), ("receipt_number",)
    ),
}


def _check_parameters(name: str, action: Action, body: ActionIn) -> None:
    given = {key for key, value in body.model_dump(exclude_unset=True).items() if value is not None}
    given.discard("action")
    missing = [p for p in action.required if p not in given]
    if missing:
        names = ", ".join(missing)
        raise ApiError(
            422,
            "missing_parameter",
            _("Việc “%(action)s” cần thêm: %(names)s.") % {"action": name, "names": names},
            f"The action “{name}” needs: {names}.",
            parameters=missing,
        )
    unexpected = sorted(given - set(action.required) - set(action.optional))
    if unexpected:
        names = ", ".join(unexpected)
        raise ApiError(
            422,
            "unexpected_parameter",
            _("Việc “%(action)s” không dùng: %(names)s.") % {"action": name, "names": names},
            f"The action “{name}” does not take: {names}.",
            parameters=unexpected,
        )


@router.post(
    "/dossiers/{code}/actions",
    response=DossierOut,
    summary="Xử lý hồ sơ / act on a dossier",
    description="Các việc / actions: " + ", ".join(ACTIONS) + ". Trả về hồ sơ sau khi xử lý.",
)
def act(request: HttpRequest, code: str, body: ActionIn) -> Dossier:
    dossier = _visible_dossier(request, code)
    action = ACTION_TABLE.get(body.action) if body.action in ACTIONS else None
    if action is None:
        allowed = ", ".join(ACTIONS)
        raise ApiError(
            422,
            "unknown_action",
            _("Không có việc “%(action)s”. Các việc: %(allowed)s.")
            % {"action": body.action, "allowed": allowed},
            f"There is no action “{body.action}”. Actions: {allowed}.",
            actions=list(ACTIONS),
        )
    if not may_act(request.user, dossier, body.action):  # the office page's rule
        raise forbidden()
    _check_parameters(body.action, action, body)
    try:
        action.run(dossier, request.user, body)
    except DossierError as exc:
        status = 422 if exc.code in INPUT_ERRORS else 409
        raise ApiError(status, exc.code, exc.vi, exc.en) from exc
    # Read back as the detail shows it: the workflow changed the row (and perhaps the assignee or unit).
    return Dossier.objects.select_related(
        "procedure", "processing_unit", "received_unit", "return_unit", "assignee"
    ).get(pk=dossier.pk)
