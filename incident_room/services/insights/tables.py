"""Every chart's numbers as a table (shown under the chart, and as CSV to download)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from .figures import MEASURES, Report

# A cell a spreadsheet would run as a formula starts with one of these; such cells get a
# leading apostrophe in the CSV (titles are user text).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | None


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]


def _seconds(value: float | None) -> int | None:
    return None if value is None else round(value)


def _response_rows(report: Report) -> list[list[Cell]]:
    return [
        [severity, MEASURES[measure], s.count, _seconds(s.median), _seconds(s.p90)]
        for severity, measure, s in report.response_times()
    ]


def _monthly_rows(report: Report) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for measure, label in MEASURES.items():
        for severity, medians in report.monthly(measure).items():
            for month, median in zip(report.period.months(), medians, strict=True):
                rows.append([month, severity, label, _seconds(median)])
    return rows


def tables(report: Report) -> list[Table]:
    on_time, due = report.postmortems_on_time()
    return [
        Table(
            "severity",
            "Incidents per severity",
            ["Severity", "Incidents"],
            [list(row) for row in report.by_severity()],
        ),
        Table(
            "service",
            "Incidents per service",
            ["Service", "Incidents"],
            [list(row) for row in report.by_service()],
        ),
        Table(
            "response",
            "Response times (seconds)",
            ["Severity", "Measure", "Incidents measured", "Median", "90th percentile"],
            _response_rows(report),
        ),
        Table(
            "monthly",
            "Median response times by month (seconds)",
            ["Month", "Severity", "Measure", "Median"],
            _monthly_rows(report),
        ),
        Table(
            "postmortems",
            "Post-mortems published on time",
            ["Published on time", "Due so far"],
            [[on_time, due]],
        ),
        Table(
            "recurring",
            "Recurring causes",
            ["By", "Name", "Incidents", "References"],
            [
                [r.kind, r.name, len(r.references), " ".join(r.references)]
                for r in report.recurring()
            ],
        ),
        Table(
            "longest",
            "Longest incidents",
            ["Incident", "Title", "Severity", "Duration (seconds)", "Ongoing"],
            [
                [f.reference, f.title, f.severity_label, f.duration, "yes" if f.ongoing else "no"]
                for f in report.longest()
            ],
        ),
    ]


def table_named(report: Report, key: str) -> Table | None:
    return next((table for table in tables(report) if table.key == key), None)


def _cell(value: Cell) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def as_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows([_cell(value) for value in row] for row in table.rows)
    return out.getvalue()
