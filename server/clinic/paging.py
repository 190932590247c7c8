"""A page of a longer list, and how many pages there are."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Page:
    items: list[Any]
    total: int
    number: int  # from 1
    per_page: int

    @property
    def pages(self) -> int:
        """At least one, so an empty list still has a page to show."""
        return max(1, -(-self.total // self.per_page))
