"""OSM street furniture -> GB/T 47678.5-2026 管理部件 type codes (2 major + 3 minor).

Each rule: (type code, zh type name, tag test, (主管部门, 权属单位, 养护单位)).
"JD" in a department triple means the street office of the street containing
the component (属地兜底).  A node yields one component per distinct type code
whose rule matches, so a street lamp carrying a traffic sign gives a 路灯 and a
交通标志牌 (the sign plate is a separate 部件 mounted on the lamp post).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

Tags = dict[str, str]


@dataclass(frozen=True)
class Rule:
    code: str
    name_zh: str
    osm: str                      # human-readable OSM tag condition (README)
    test: Callable[[Tags], bool]
    depts: tuple[str, str, str]   # 主管, 权属, 养护
    matched_tag: Callable[[Tags], str]  # "key=value" shown in the note


def _eq(key: str, *values: str):
    return lambda t: t.get(key) in values


def _has(key: str):
    return lambda t: key in t


def _show(*keys: str):
    def f(t: Tags) -> str:
        for k in keys:
            if k in t:
                return f"{k}={t[k]}"
        return ""
    return f


_MANHOLE_KNOWN = {
    "water": "01001", "sewer": "01002", "drain": "01003", "storm": "01003",
    "power": "01005", "electricity": "01005", "telecom": "01007",
    "heat": "01010", "gas": "01011",
}


def _manhole(code: str):
    if code == "01023":
        return lambda t: "manhole" in t and t["manhole"] not in _MANHOLE_KNOWN
    return lambda t: _MANHOLE_KNOWN.get(t.get("manhole", "")) == code


def _cabinet_power(t: Tags) -> bool:
    return t.get("man_made") == "street_cabinet" and t.get("street_cabinet") == "power"


def _cabinet_other(t: Tags) -> bool:
    return t.get("man_made") == "street_cabinet" and t.get("street_cabinet") != "power"


RULES: tuple[Rule, ...] = (
    # 01 市政公用设施
    Rule("01001", "供水井盖", "manhole=water", _manhole("01001"), ("SW", "SW", "SW"), _show("manhole")),
    Rule("01002", "污水井盖", "manhole=sewer", _manhole("01002"), ("SW", "SW", "SW"), _show("manhole")),
    Rule("01003", "雨水井盖", "manhole=drain / storm", _manhole("01003"), ("SW", "SW", "SW"), _show("manhole")),
    Rule("01005", "电力井盖", "manhole=power / electricity", _manhole("01005"), ("DL", "DL", "DL"), _show("manhole")),
    Rule("01007", "通信井盖", "manhole=telecom", _manhole("01007"), ("TX", "TX", "TX"), _show("manhole")),
    Rule("01010", "热力井盖", "manhole=heat", _manhole("01010"), ("RL", "RL", "RL"), _show("manhole")),
    Rule("01011", "燃气井盖", "manhole=gas", _manhole("01011"), ("RQ", "RQ", "RQ"), _show("manhole")),
    Rule("01013", "消防设施", "emergency=fire_hydrant", _eq("emergency", "fire_hydrant"), ("SW", "SW", "SW"), _show("emergency")),
    Rule("01023", "不明井盖", "manhole=* (any other value: unknown, suspected_*, missing_*, tram_point…)", _manhole("01023"), ("CGZF", "JD", "JD"), _show("manhole")),
    Rule("01027", "通信交接箱", "man_made=street_cabinet (street_cabinet≠power)", _cabinet_other, ("TX", "TX", "TX"), _show("street_cabinet", "man_made")),
    Rule("01030", "电力立杆", "power=pole, man_made=utility_pole", lambda t: t.get("power") == "pole" or t.get("man_made") == "utility_pole", ("DL", "DL", "DL"), _show("power", "man_made")),
    Rule("01035", "旗杆", "man_made=flagpole", _eq("man_made", "flagpole"), ("CGZF", "JD", "JD"), _show("man_made")),
    Rule("01037", "路灯", "highway=street_lamp", _eq("highway", "street_lamp"), ("CGZF", "LD", "LD"), _show("highway")),
    Rule("01041", "电话亭", "amenity=telephone", _eq("amenity", "telephone"), ("TX", "TX", "TX"), _show("amenity")),
    Rule("01042", "邮筒", "amenity=post_box", _eq("amenity", "post_box"), ("YZ", "YZ", "YZ"), _show("amenity")),
    Rule("01045", "自动售货机", "amenity=vending_machine", _eq("amenity", "vending_machine"), ("CGZF", "JD", "JD"), _show("amenity")),
    Rule("01048", "变压器(箱)", "man_made=street_cabinet + street_cabinet=power", _cabinet_power, ("DL", "DL", "DL"), _show("street_cabinet")),
    Rule("01050", "监控电子眼设施", "man_made=surveillance", _eq("man_made", "surveillance"), ("GA", "GA", "GA"), _show("man_made")),
    Rule("01054", "充电桩", "amenity=charging_station", _eq("amenity", "charging_station"), ("DL", "DL", "DL"), _show("amenity")),
    Rule("01069", "水域附属设施", "amenity=life_ring, emergency=life_ring", lambda t: t.get("amenity") == "life_ring" or t.get("emergency") == "life_ring", ("SW", "SW", "SW"), _show("amenity", "emergency")),
    # 02 交通设施
    Rule("02001", "停车场", "amenity=parking (nodes only)", _eq("amenity", "parking"), ("JT", "JT", "JT"), _show("amenity")),
    Rule("02004", "公交站设施", "highway=bus_stop", _eq("highway", "bus_stop"), ("JT", "JT", "JT"), _show("highway")),
    Rule("02010", "交通标志牌及标线", "traffic_sign=*", _has("traffic_sign"), ("JT", "JT", "JT"), _show("traffic_sign")),
    Rule("02014", "交通信号灯", "highway=traffic_signals", _eq("highway", "traffic_signals"), ("JT", "JT", "JT"), _show("highway")),
    Rule("02021", "便道桩", "barrier=bollard", _eq("barrier", "bollard"), ("JT", "JT", "JT"), _show("barrier")),
    Rule("02025", "非机动车停放点", "amenity=bicycle_parking", _eq("amenity", "bicycle_parking"), ("JT", "JD", "JD"), _show("amenity")),
    Rule("02026", "自行车租赁点", "amenity=bicycle_rental", _eq("amenity", "bicycle_rental"), ("JT", "JT", "JT"), _show("amenity")),
    Rule("02032", "轨道交通设施", "railway=tram_stop", _eq("railway", "tram_stop"), ("JT", "JT", "JT"), _show("railway")),
    # 03 市容环卫设施
    Rule("03001", "公共厕所", "amenity=toilets", _eq("amenity", "toilets"), ("HW", "HW", "HW"), _show("amenity")),
    Rule("03005", "垃圾箱", "amenity=waste_basket / waste_disposal / recycling", _eq("amenity", "waste_basket", "waste_disposal", "recycling"), ("HW", "HW", "HW"), _show("amenity")),
    Rule("03014", "环卫工具间(箱)", "amenity=grit_bin", _eq("amenity", "grit_bin"), ("HW", "HW", "HW"), _show("amenity")),
    # 04 园林绿化设施
    Rule("04002", "行道树", "natural=tree", _eq("natural", "tree"), ("YL", "YL", "YL"), _show("natural")),
    Rule("04007", "街头座椅", "amenity=bench", _eq("amenity", "bench"), ("YL", "YL", "YL"), _show("amenity")),
    Rule("04010", "喷泉", "amenity=fountain", _eq("amenity", "fountain"), ("YL", "YL", "YL"), _show("amenity")),
)

RULE_BY_CODE = {r.code: r for r in RULES}
assert len(RULE_BY_CODE) == len(RULES)


def matching_rules(tags: Tags) -> list[Rule]:
    return [r for r in RULES if r.test(tags)]


def component_id(region_code: str, type_code: str, seq: int) -> str:
    cid = f"{region_code}{type_code}{seq:06d}"
    assert len(cid) == 17 and cid.isdigit(), cid
    return cid


def component_props(region_code: str, rule: Rule, seq: int, depts: tuple[str, str, str],
                    initial_date: str, note: str, osm_id: int | None) -> dict:
    """Properties in the order the Swift importer expects."""
    return {
        "id": component_id(region_code, rule.code, seq),
        "type_code": rule.code,
        "name": f"{rule.name_zh} {seq:06d}",
        "competent_dept": depts[0],
        "owner_dept": depts[1],
        "maintainer_dept": depts[2],
        "status": "完好",
        "initial_date": initial_date,
        "change_date": None,
        "data_source": "其他",
        "note": note,
        "osm_id": osm_id,
    }
