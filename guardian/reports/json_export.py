"""The weekly summary as JSON, and back: the dataclass, field for field.

Dates are ISO dates, datetimes ISO with their offset, tuples arrays; the
properties (`allowed`, `minutes_change_percent`...) are not written, since
they follow from the fields. `summary_from_json(summary_to_json(s)) == s`.
"""

from __future__ import annotations

import dataclasses
import json
import types
from datetime import date, datetime
from functools import cache
from typing import Any, Union, get_args, get_origin, get_type_hints

from guardian.reports import summary as summary_module
from guardian.reports.summary import WeeklySummary


def summary_to_json(summary: WeeklySummary, indent: int | None = 2) -> str:
    return json.dumps(_plain(summary), ensure_ascii=False, indent=indent) + "\n"


def summary_from_json(text: str) -> WeeklySummary:
    """Read what `summary_to_json` wrote; a missing or mistyped field raises ValueError."""
    value = _build(WeeklySummary, json.loads(text))
    assert isinstance(value, WeeklySummary)
    return value


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls, vars(summary_module))


def _build(kind: Any, value: Any) -> Any:
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        options = get_args(kind)
        if value is None and type(None) in options:
            return None
        (inner,) = [option for option in options if option is not type(None)]
        return _build(inner, value)
    if origin is tuple:
        inner = get_args(kind)[0]
        _expect(value, list, kind)
        return tuple(_build(inner, item) for item in value)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        _expect(value, dict, kind)
        hints = _hints(kind)
        missing = [f.name for f in dataclasses.fields(kind) if f.name not in value]
        if missing:
            raise ValueError(f"{kind.__name__} has no {', '.join(missing)}")
        return kind(**{f.name: _build(hints[f.name], value[f.name])
                       for f in dataclasses.fields(kind)})
    if kind is datetime:
        _expect(value, str, kind)
        return datetime.fromisoformat(value)
    if kind is date:
        _expect(value, str, kind)
        return date.fromisoformat(value)
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected a whole number, not {value!r}")
        return value
    _expect(value, kind, kind)
    return value


def _expect(value: Any, python_type: type, kind: Any) -> None:
    if not isinstance(value, python_type):
        raise ValueError(f"expected {getattr(kind, '__name__', kind)}, not {value!r}")
