"""Departments (主管部门 / 权属单位 / 养护单位) of the sample cities.

Codes are short placeholders, not 统一社会信用代码 (GB/T 47678.5 ZGBMDM is C18):
the demo cities are fictitious administrations.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass

KINDS = ("enforcement", "sanitation", "landscaping", "utility", "traffic", "police", "street-office")


@dataclass(frozen=True)
class Department:
    code: str
    name_zh: str
    name_en: str
    kind: str


# City-level departments shared by every sample city (order = CSV order).
CITY_DEPARTMENTS = (
    Department("CGZF", "城市管理综合行政执法局", "Urban Management and Law Enforcement Bureau", "enforcement"),
    Department("HW", "环境卫生管理处", "Sanitation Department", "sanitation"),
    Department("YL", "园林绿化局", "Parks and Landscaping Bureau", "landscaping"),
    Department("SW", "水务集团", "Water Supply and Drainage Company", "utility"),
    Department("RQ", "燃气集团", "Gas Company", "utility"),
    Department("DL", "供电公司", "Power Supply Company", "utility"),
    Department("TX", "通信管线管理中心", "Telecommunications Network Operator", "utility"),
    Department("RL", "热力公司", "District Heating Company", "utility"),
    Department("LD", "路灯管理所", "Street Lighting Office", "utility"),
    Department("YZ", "邮政分公司", "Postal Service Branch", "utility"),
    Department("JT", "交通运输局", "Transport Bureau", "traffic"),
    Department("GA", "公安分局", "Public Security Bureau (police)", "police"),
)

# Placeholder that component type rules use for "the street office of the
# street the component lies in" (属地管理: the locality is the fallback owner).
STREET_OFFICE = "JD"


def street_office_code(street_code: str) -> str:
    """JD001 for street 990101001 (last three digits of the 9-digit street code)."""
    return STREET_OFFICE + street_code[-3:]


def street_offices(streets: list[tuple[str, str, str]]) -> list[Department]:
    """streets: (code, name_zh, name_en) -> one street office each."""
    out = []
    for code, zh, en in streets:
        out.append(Department(street_office_code(code), zh + "办事处", en + " street office", "street-office"))
    return out


def write_csv(path: str, departments: list[Department]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["code", "name_zh", "name_en", "kind"])
        for d in departments:
            assert d.kind in KINDS, d
            w.writerow([d.code, d.name_zh, d.name_en, d.kind])
