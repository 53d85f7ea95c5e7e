"""One error shape for the whole API: a code, a Vietnamese message and its English twin."""

from __future__ import annotations

from typing import Any

from ninja.errors import HttpError


class ApiError(HttpError):
    def __init__(self, status_code: int, code: str, message_vi: str, message_en: str, **extra: Any) -> None:
        super().__init__(status_code, message_vi)
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en
        self.extra = extra


class _ErrorBody:
    def __call__(self, code: str, message_vi: str, message_en: str, **extra: Any) -> dict[str, Any]:
        return {"code": code, "detail": message_vi, "detail_en": message_en, **extra}

    def from_http_error(self, exc: HttpError) -> dict[str, Any]:
        if isinstance(exc, ApiError):
            return self(exc.code, exc.message_vi, exc.message_en, **exc.extra)
        return self("error", str(exc), str(exc))


error_body = _ErrorBody()


def not_found(what_vi: str = "bản ghi", what_en: str = "record") -> ApiError:
    # 404 rather than 403 for records outside a person's scope: their existence is not disclosed.
    return ApiError(404, "not_found", f"Không tìm thấy {what_vi}.", f"The {what_en} was not found.")


def forbidden() -> ApiError:
    return ApiError(403, "forbidden", "Bạn không có quyền thực hiện thao tác này.", "You may not do this.")
