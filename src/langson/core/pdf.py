"""What every PDF of the platform shares (IOC reports, one-stop receipts): the embedded fonts and a canvas
that numbers pages "Trang X/Y".

DejaVu Sans, shipped by the matplotlib wheel, has every precomposed Vietnamese letter (Latin Extended
Additional), so the text of the PDF is real, selectable and extractable, on a machine with no system fonts.
"""

from __future__ import annotations

import threading
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

REGULAR = "LangsonDejaVuSans"
BOLD = "LangsonDejaVuSans-Bold"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
_lock = threading.Lock()


class FontMissingError(RuntimeError):
    pass


def font_dir() -> Path:
    """matplotlib's bundled TTF folder, found without importing matplotlib (which is slow to import)."""
    spec = find_spec("matplotlib")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        folder = Path(location) / "mpl-data" / "fonts" / "ttf"
        if all((folder / name).is_file() for name in _FILES.values()):
            return folder
    raise FontMissingError(
        "Không tìm thấy phông DejaVu Sans (gói matplotlib) để xuất PDF tiếng Việt / "
        "DejaVu Sans (from the matplotlib package) is needed to render Vietnamese PDF reports"
    )


def register_fonts() -> None:
    """Register the two faces once per process (idempotent, thread-safe)."""
    with _lock:
        if REGULAR in pdfmetrics.getRegisteredFontNames():
            return
        folder = font_dir()
        for name, filename in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(folder / filename)))
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 0, 1, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)
        addMapping(REGULAR, 1, 1, BOLD)


class PagedCanvas(Canvas):
    """Keeps each page until the end, so that what is drawn on every page can know the page count.

    Subclasses draw in ``draw_page(number, total)`` (headers, footers, "Trang X/Y").
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.draw_page(number, total)
            super().showPage()
        super().save()

    def draw_page(self, number: int, total: int) -> None:
        raise NotImplementedError
