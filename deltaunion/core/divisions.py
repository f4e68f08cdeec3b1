"""The table of administrative divisions (GB/T 2260): every province-, prefecture- and
county-level code in use since 1980, current or abolished, with the years it was in use.

An ID number keeps the division code of the place and year it was first issued, so the
table has to know codes that no longer exist: a code that was abolished is still a real
code (an ID number with it is valid, with a warning naming the old division), a code that
never existed is not.

Source
------
python-stdnum's `cn/loc` database, read through the package's own API
(`stdnum.numdb.get("cn/loc")`, the same call `stdnum.cn.ric` uses): every code with the years
it was valid, 1980–2025, compiled by python-stdnum from the Ministry of Civil Affairs' lists
(via the Chinese Wikipedia tables of GB/T 2260 codes). python-stdnum is LGPL-2.1+: its data
stays in the installed package (pinned in requirements.txt) and is not copied here.
`ADDITIONS` are the codes that table lacks, each with its source.

No database is involved: `core.idnumber` asks this module directly, and the organisation
tree (`orgs.demo`) builds its regions from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from stdnum import numdb

PROVINCE = "province"
PREFECTURE = "prefecture"
COUNTY = "county"

# Names the table uses for groupings that are codes but not places with a government of
# their own ("the city's districts", "the counties of a municipality", "the city area").
GROUPINGS = frozenset({"市辖区", "县", "市区", "省直辖县级行政区划", "自治区直辖县级行政区划"})


@dataclass(frozen=True)
class Period:
    start: int | None  # first year in the table (None: before the table begins, 1980)
    end: int | None  # last year in use (None: still in use)
    name: str


# Codes python-stdnum 2.2's cn/loc lacks (code → periods).
ADDITIONS: dict[str, tuple[Period, ...]] = {
    # Hangzhou's districts re-drawn in 2021 (State Council approval of 2021; 下城区 330103 and
    # 江干区 330104 were abolished, which cn/loc records): the Ministry of Civil Affairs'
    # list of county-level and higher division codes (中华人民共和国县以上行政区划代码,
    # www.mca.gov.cn) carries 临平区 330113 and 钱塘区 330114 from its 2021 edition on.
    "330113": (Period(2021, None, "临平区"),),
    "330114": (Period(2021, None, "钱塘区"),),
    # Residence permits for residents of Hong Kong, Macao and Taiwan (港澳台居民居住证) carry
    # the address codes 810000, 820000 and 830000 (国务院办公厅《港澳台居民居住证申领发放
    # 办法》, 2018); 83 is not a GB/T 2260 province, so cn/loc lacks it.
    "830000": (Period(2018, None, "台湾居民居住证"),),
}
SOURCE = "GB/T 2260（python-stdnum cn/loc 数据，1980–2025；另补临平区、钱塘区）"


@dataclass(frozen=True)
class Division:
    code: str
    periods: tuple[Period, ...]
    province_name: str

    @property
    def level(self) -> str:
        if self.code.endswith("0000"):
            return PROVINCE
        return PREFECTURE if self.code.endswith("00") else COUNTY

    @property
    def current(self) -> bool:
        return any(p.end is None for p in self.periods)

    @property
    def name(self) -> str:
        """The current name, or the last one for an abolished code."""
        live = [p for p in self.periods if p.end is None]
        return (live or list(self.periods))[-1].name

    @property
    def ceased(self) -> int | None:
        """The last year an abolished code was in use (None while it is current)."""
        return None if self.current else max((p.end or 0) for p in self.periods)

    @property
    def is_grouping(self) -> bool:
        return self.name in GROUPINGS

    @property
    def prefecture_code(self) -> str:
        return self.code[:4] + "00"

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"

    @property
    def full_name(self) -> str:
        """Province, prefecture and the division itself: 浙江省杭州市下城区."""
        parts = [self.province_name] if self.level != PROVINCE else []
        if self.level == COUNTY:
            prefecture = division(self.prefecture_code)
            if prefecture is not None and not prefecture.is_grouping:
                parts.append(prefecture.name)
        parts.append(self.name)
        return "".join(dict.fromkeys(p for p in parts if p))

    @property
    def parent_code(self) -> str | None:
        """The division above: a county's prefecture (its province when the prefecture is only
        a grouping, as in the municipalities), a prefecture's province."""
        if self.level == PROVINCE:
            return None
        if self.level == COUNTY:
            prefecture = division(self.prefecture_code)
            if prefecture is not None and prefecture.current and not prefecture.is_grouping:
                return prefecture.code
        return self.province_code


def _periods(raw: str) -> tuple[Period, ...]:
    """'[1983-1992]城区,[1993-2004]秀城区,[2005-]南湖区' → periods (no brackets: always)."""
    out = []
    for part in raw.split(","):
        part = part.strip()
        if part.startswith("[") and "]" in part:
            years, name = part[1:].split("]", 1)
            start, _dash, end = years.partition("-")
            out.append(Period(int(start) if start else None, int(end) if end else None, name.strip()))
        elif part:
            out.append(Period(None, None, part))
    return tuple(out)


def _expand(low: str, high: str) -> Iterable[str]:
    width = len(low)
    return (f"{n:0{width}d}" for n in range(int(low), int(high) + 1))


@cache
def table() -> dict[str, Division]:
    """Every code of the table, current and abolished."""
    out: dict[str, Division] = {}
    for _length, low, high, props, children in numdb.get("cn/loc").prefixes:
        for province in _expand(low, high):
            province_name = props.get("province", "")
            for _l2, low2, high2, props2, _children in children:
                for rest in _expand(low2, high2):
                    code = province + rest
                    out[code] = Division(code, _periods(props2.get("county", "")), province_name)
    for code, periods in ADDITIONS.items():
        province = out.get(code[:2] + "0000")
        out[code] = Division(code, periods, province.name if province else periods[-1].name)
    return out


def division(code: str) -> Division | None:
    return table().get(code)


def current_divisions(provinces: Iterable[str]) -> list[Division]:
    """The current divisions of some provinces (by their 2-digit codes), groupings left out,
    in code order: what the organisation tree is built on."""
    prefixes = tuple(provinces)
    return sorted(
        (d for d in table().values() if d.code.startswith(prefixes) and d.current and not d.is_grouping),
        key=lambda d: d.code,
    )
