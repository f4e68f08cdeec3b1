"""Bounded parameter types for the JSON API, so no input reaches the database out of range.

    from deltaunion.core.api import Limit, Offset, SearchText, Year

    class ContestQuery(Schema):
        year: Year = None
        q: SearchText = ""
        offset: Offset = 0
        limit: Limit = 50

A value outside its bounds is a 422 with pydantic's message (ninja), never a 500. Path ids are
caught by the handlers in config/api.py (an id no database column can hold is not found).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

MAX_OFFSET = 1_000_000
MAX_ID = 2**53  # every id this platform issues is far below; larger ones cannot exist

Limit = Annotated[int, Field(ge=1, le=1000, description="how many to return (1–1000)")]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description="how many to skip (0–1,000,000)")]
Year = Annotated[int | None, Field(ge=1949, le=2100, description="a year from 1949 to 2100")]
SearchText = Annotated[str, Field(max_length=100, description="text to search for (at most 100 characters)")]
Code = Annotated[str, Field(max_length=40)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
OptionalId = Annotated[int | None, Field(ge=1, le=MAX_ID)]
SmallCount = Annotated[int, Field(ge=0, le=100)]
