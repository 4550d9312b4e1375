"""The schema of map files (`scenarios/maps/*.yaml`): real places in lat/lon.

A map file describes geography only: a bounding box, settlements, rivers, roads,
forests, marshes, the state border and dated lines of control. Coordinates are
WGS84 degrees written as `[lat, lon]` pairs. `sim.battle.geography` turns a validated
`MapSpec` into a hex grid for a chosen hex size.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator

from sim.scenario.fields import LocatedError, Strict

LatLon = tuple[
    Annotated[float, Field(ge=-90, le=90, description="latitude, degrees north")],
    Annotated[float, Field(ge=-180, le=180, description="longitude, degrees east")],
]


_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "yo",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "_",
            "y",
            "_",
            "e",
            "yu",
            "ya",
            "i",
            "yi",
            "ye",
            "g",
        ],
        strict=True,
    )
)
_CYRILLIC.update({"ъ": "", "ь": ""})


def slug(name: str) -> str:
    """The key of a place in outputs and references: `Bolshoye Soldatskoye` -> `bolshoye_soldatskoye`.

    Cyrillic is transliterated (`Суджа` -> `sudzha`); letters of other scripts are kept as they
    are, so that no name gives an empty key.
    """
    lowered = "".join(_CYRILLIC.get(c, c) for c in name.lower())
    ascii_name = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode()
    key = re.sub(r"[^a-z0-9]+", "_", ascii_name).strip("_")
    if key:
        return key
    return re.sub(r"\W+", "_", unicodedata.normalize("NFKC", name).lower()).strip("_")


class BBox(Strict):
    south: float = Field(ge=-90, le=90, description="southern edge, degrees north")
    north: float = Field(ge=-90, le=90, description="northern edge, degrees north")
    west: float = Field(ge=-180, le=180, description="western edge, degrees east")
    east: float = Field(ge=-180, le=180, description="eastern edge, degrees east")

    @model_validator(mode="after")
    def _ordered(self) -> BBox:
        if not (self.south < self.north and self.west < self.east):
            raise ValueError("expected south < north and west < east")
        return self

    def contains(self, lat: float, lon: float, slack: float = 1e-9) -> bool:
        return (
            self.south - slack <= lat <= self.north + slack and self.west - slack <= lon <= self.east + slack
        )


class Settlement(Strict):
    name: str = Field(min_length=1, description="display name")
    lat: float = Field(ge=-90, le=90, description="latitude, degrees north")
    lon: float = Field(ge=-180, le=180, description="longitude, degrees east")
    population: int = Field(0, ge=0, le=10_000_000, description="people; 0 if unknown")
    value: float = Field(0.0, ge=0, le=100, description="objective value, points (0: not an objective)")

    @property
    def key(self) -> str:
        return slug(self.name)


class Polyline(Strict):
    name: str = Field("", description="display name")
    points: list[LatLon] = Field(min_length=2, description="[lat, lon] vertices in order")


class River(Polyline):
    size: Literal["major", "minor"] = Field("minor", description="major rivers slow movement more")


class Road(Polyline):
    road_class: Literal["main", "secondary"] = Field(
        "secondary", alias="class", description="main (paved highway) or secondary road"
    )
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Area(Strict):
    name: str = Field("", description="display name")
    polygon: list[LatLon] = Field(min_length=3, description="[lat, lon] vertices, not closed")


class Border(Strict):
    points: list[LatLon] = Field(
        min_length=2,
        description="the state border west to east; the first side (Russia) lies north of it",
    )


class LineOfControl(Strict):
    description: str = ""
    polygon: list[LatLon] = Field(min_length=3, description="area held by Ukraine inside Russia")


class MapSpec(Strict):
    """A whole map file."""

    name: str
    bbox: BBox
    settlements: list[Settlement] = Field(min_length=1)
    rivers: list[River] = Field(default_factory=list)
    roads: list[Road] = Field(default_factory=list)
    forests: list[Area] = Field(default_factory=list)
    marshes: list[Area] = Field(default_factory=list)
    border: Border
    lines_of_control: dict[str, LineOfControl] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> MapSpec:
        keys = [s.key for s in self.settlements]
        for i, (settlement, key) in enumerate(zip(self.settlements, keys, strict=True)):
            if not key:
                raise LocatedError(
                    f"the name {settlement.name!r} has no letter or digit to make its key from",
                    ("settlements", i, "name"),
                )
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"settlement names must be unique; repeated: {', '.join(dupes)}")
        outside = [s.name for s in self.settlements if not self.bbox.contains(s.lat, s.lon)]
        if outside:
            raise ValueError(f"settlements outside the bbox: {', '.join(outside)}")
        return self

    def settlement_keys(self) -> list[str]:
        return [s.key for s in self.settlements]
