"""The TrueType fonts embedded in the PDF: DejaVu Sans, shipped by the matplotlib wheel.

DejaVu Sans has every precomposed Vietnamese letter (Latin Extended Additional), so the text of the PDF is
real, selectable and extractable, on a machine with no system fonts at all.
"""

from __future__ import annotations

import threading
from importlib.util import find_spec
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

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
