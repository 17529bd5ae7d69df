"""Tabular answers as JSON or CSV: chosen by `?format=` or else by the Accept header.

TABULAR_MEDIA_TYPES is the negotiation table; tests/api/test_tabular.py runs it against Accept headers.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from enum import Enum

from fastapi import Request
from fastapi.responses import Response

TABULAR_MEDIA_TYPES = {
    "application/json": "json",
    "text/csv": "csv",  # RFC 4180
}


class TableFormat(str, Enum):
    json = "json"
    csv = "csv"


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges of an Accept header, best first (stable for equal quality)."""
    ranges = []
    for position, part in enumerate((header or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        quality = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((fields[0].lower(), quality, position))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(media, quality) for media, quality, _ in ranges if quality > 0]


def negotiate(header: str | None, table: dict[str, str], default: str) -> str | None:
    """The table value for the best acceptable media type; default if nothing was asked; None if nothing fits."""
    accepted = parse_accept(header)
    if not accepted:
        return default
    for media, _ in accepted:
        if media in table:
            return table[media]
        if media == "*/*":
            return default
        if media.endswith("/*"):
            prefix = media[:-1]
            for candidate, value in table.items():
                if candidate.startswith(prefix):
                    return value
    return None


def wants_csv(request: Request, fmt: TableFormat | None) -> bool:
    if fmt is not None:
        return fmt is TableFormat.csv
    return negotiate(request.headers.get("accept"), TABULAR_MEDIA_TYPES, "json") == "csv"


def csv_text(rows: list[dict], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in columns})
    return buffer.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def csv_response(rows: list[dict], columns: list[str], filename: str, headers: dict | None = None) -> Response:
    return Response(
        csv_text(rows, columns),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{filename}.csv"', **(headers or {})},
    )
