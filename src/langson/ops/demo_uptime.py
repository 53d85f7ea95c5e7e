"""The uptime part of the demo data (`langson seed`, hence `make run`): the platform itself, checked on
``localhost`` (over IPv6 too, and then IPv6-ready, where /etc/hosts maps ``::1`` to localhost, as Debian's
does), and a few of the province's information systems.

The provincial systems are registered inactive: the demo machine has no route to them, and active they
would only raise outage alerts. An operator activates them on a machine of the data centre.
"""

from __future__ import annotations

import os

from langson.core.models import OrgUnit
from langson.ops.models import MonitoredSystem

TECHNOLOGY = "SO-KHCN"  # Sở Khoa học và Công nghệ runs the provincial data centre


def _systems() -> list[dict[str, object]]:
    port = os.environ.get("PORT", "8000")
    return [
        {
            "code": "nen-tang-tinh-so",
            "name": "Nền tảng tỉnh số Lạng Sơn (IOC)",
            "owner": TECHNOLOGY,
            "kind": "http",
            "url": f"http://localhost:{port}/healthz",
            "public": True,
            "active": True,
        },
        {
            "code": "cong-dich-vu-cong",
            "name": "Cổng dịch vụ công tỉnh",
            "owner": "VP-UBND",
            "kind": "http",
            "url": "https://dichvucong.langson.gov.vn/",
            "public": True,
            "active": False,
        },
        {
            "code": "cong-thong-tin",
            "name": "Cổng thông tin điện tử tỉnh",
            "owner": "VP-UBND",
            "kind": "http",
            "url": "https://langson.gov.vn/",
            "public": True,
            "active": False,
        },
        {
            "code": "quan-ly-van-ban",
            "name": "Hệ thống quản lý văn bản và điều hành",
            "owner": "VP-UBND",
            "kind": "http",
            "url": "https://qlvb.langson.gov.vn/",
            "public": False,
            "active": False,
        },
        {
            "code": "thu-dien-tu",
            "name": "Thư điện tử công vụ (SMTP)",
            "owner": TECHNOLOGY,
            "kind": "tcp",
            "host": "mail.langson.gov.vn",
            "port": 25,
            "public": False,
            "active": False,
        },
        {
            "code": "dns-tinh",
            "name": "Máy chủ tên miền langson.gov.vn",
            "owner": TECHNOLOGY,
            "kind": "dns",
            "host": "ns1.langson.gov.vn",
            "query_name": "langson.gov.vn",
            "record_type": "A",
            "public": False,
            "active": False,
        },
    ]


def load_uptime_demo() -> dict[str, int]:
    created = 0
    for spec in _systems():
        values = dict(spec)
        code = str(values.pop("code"))
        values["owner"] = OrgUnit.objects.get(code=values["owner"])
        if MonitoredSystem.objects.filter(code=code).exists():
            continue  # an operator may have changed it since: the demo never overwrites
        MonitoredSystem(code=code, **values).save()
        created += 1
    return {"systems": len(_systems()), "created": created}
