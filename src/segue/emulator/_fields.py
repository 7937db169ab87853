"""The ``fields`` filter of the playlist endpoints.

Syntax, as Spotify documents it: a comma-separated list of field names; a dot
selects inside an object (``owner.id``); parentheses select several fields of each
element or object (``items(added_at,item(name,album(name)))``); a leading ``!``
excludes a field (``items(item(!available_markets))``). A list of exclusions
keeps every other field.
"""

from __future__ import annotations

from typing import Any

from segue.emulator._errors import ApiError

__all__ = ["Selection", "apply", "parse"]

Selection = dict[str, "tuple[bool, Selection | None]"]
"""Field name -> (excluded, what to select inside it or None for all)."""


def parse(text: str) -> Selection:
    """Parse a ``fields`` value.

    Raises
    ------
    ApiError
        400 when the value is malformed.
    """
    selection, end = _list(text, 0)
    if end != len(text):
        raise ApiError(400, "Invalid fields parameter")
    return selection


def _list(text: str, at: int) -> tuple[Selection, int]:
    selection: Selection = {}
    while True:
        name, inner, excluded, at = _item(text, at)
        selection[name] = (excluded, inner)
        if at < len(text) and text[at] == ",":
            at += 1
            continue
        return selection, at


def _item(text: str, at: int) -> tuple[str, Selection | None, bool, int]:
    excluded = at < len(text) and text[at] == "!"
    if excluded:
        at += 1
    start = at
    while at < len(text) and text[at] not in ",().!":
        at += 1
    name = text[start:at].strip()
    if not name:
        raise ApiError(400, "Invalid fields parameter")
    inner: Selection | None = None
    if at < len(text) and text[at] == ".":
        sub_name, sub_inner, sub_excluded, at = _item(text, at + 1)
        inner = {sub_name: (sub_excluded, sub_inner)}
    elif at < len(text) and text[at] == "(":
        inner, at = _list(text, at + 1)
        if at >= len(text) or text[at] != ")":
            raise ApiError(400, "Invalid fields parameter")
        at += 1
    return name, inner, excluded, at


def apply(value: Any, selection: Selection | None) -> Any:
    """The parts of decoded JSON ``value`` that ``selection`` names."""
    if selection is None:
        return value
    if isinstance(value, list):
        return [apply(v, selection) for v in value]
    if not isinstance(value, dict):
        return value
    if all(excluded for excluded, _ in selection.values()):
        return {k: v for k, v in value.items() if k not in selection}
    chosen = {}
    for name, (excluded, inner) in selection.items():
        if not excluded and name in value:
            chosen[name] = apply(value[name], inner)
    return chosen
