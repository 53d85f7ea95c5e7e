"""The public parking page (/do-thi/bai-do-xe/): free spaces of each car park now and in an hour (figures
at most 30 seconds old, ``parking.public_lots``).

For citizens, without login; phone-first, works on a 360 px screen without JavaScript (the commune filter is
a plain GET form). Shows what the public API shows (``city.api_parking``), nothing about sensors or owners.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from langson.city import parking


def parking_page(request: HttpRequest) -> HttpResponse:
    chosen = request.GET.get("xa", "").strip()[:10]
    computed_at, every = parking.public_lots()
    communes = sorted({(lot.commune_code, lot.commune_name) for lot in every}, key=lambda c: c[1])
    shown = [lot for lot in every if not chosen or lot.commune_code == chosen]
    free_total = sum(lot.free or 0 for lot in shown)
    return render(
        request,
        "city/parking.html",
        {
            "lots": shown,
            "communes": communes,
            "chosen": chosen,
            "free_total": free_total,
            "now": computed_at,
        },
    )
