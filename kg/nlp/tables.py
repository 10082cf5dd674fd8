"""Markdown tables (`| a | b |` rows): their header, their data rows and the amounts in their cells.

A table row is a claim in compact form: its first cell names an entity, another cell holds
a figure whose scale and unit the column header gives ("Montant (en milliards USD)").
This module reads the structure and the amounts; kg/nlp/claims.py turns rows into claims.

>>> text = "| Entreprise | Montant (en milliards USD) |\\n|---|---|\\n| Acme | 20 à 50 |"
>>> table = markdown_tables(text)[0]
>>> [c.text for c in table.header], [[c.text for c in row.cells] for row in table.rows]
(['Entreprise', 'Montant (en milliards USD)'], [['Acme', '20 à 50']])
>>> [(a.text, a.min, a.max, a.unit) for a in table_amounts(text)]
[('20 à 50', 20000000000.0, 50000000000.0, 'USD')]
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Iterator

from kg.model import Amount
from kg.nlp.amounts import parse_amount, unit_from_header

TABLE_LINE = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.MULTILINE)
SEPARATOR_CELL = re.compile(r"^\s*:?-{3,}:?\s*$")


@dataclass(frozen=True)
class Cell:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Row:
    """One line of a table: its cells and the line's offsets in the text."""

    cells: list[Cell]
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Table:
    header: list[Cell]
    rows: list[Row]
    start: int
    end: int


def cells_of(line: str, offset: int) -> list[Cell]:
    """The cells of one table line, trimmed, with offsets in the whole text.

    >>> cells_of("| a |  b c |", 10)
    [Cell(text='a', start=12, end=13), Cell(text='b c', start=17, end=20)]
    """
    cells = []
    for match in re.finditer(r"\|([^|]*)(?=\|)", line):
        raw, start = match.group(1), match.start(1)
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        cells.append(Cell(text, offset + start + lead, offset + start + lead + len(text)))
    return cells


def is_separator(row: Row) -> bool:
    return bool(row.cells) and all(SEPARATOR_CELL.match(c.text) for c in row.cells)


def table_lines(text: str) -> Iterator[list[Row]]:
    """Runs of consecutive table lines, each a list of rows."""
    run: list[Row] = []
    for match in TABLE_LINE.finditer(text):
        row = Row(cells_of(match.group(), match.start()), match.start(), match.end(), match.group())
        if run and text[run[-1].end:row.start].strip("\n") != "":
            yield run
            run = []
        run.append(row)
    if run:
        yield run


def markdown_tables(text: str) -> list[Table]:
    """Tables with a header row followed by a separator row (`|---|---|`)."""
    tables = []
    for rows in table_lines(text):
        if len(rows) >= 2 and is_separator(rows[1]):
            data = [r for r in rows[2:] if not is_separator(r)]
            tables.append(Table(header=rows[0].cells, rows=data, start=rows[0].start, end=rows[-1].end))
    return tables


def cell_amount(header: Cell, cell: Cell) -> Amount | None:
    """The amount of a cell, with the header's scale and unit; None without a unit (a year, a rank)."""
    scale, unit = unit_from_header(header.text)
    amount = parse_amount(cell.text, default_unit=unit, default_scale=scale)
    if amount is None or amount.unit is None:
        return None
    return dataclasses.replace(amount, start=cell.start + amount.start, end=cell.start + amount.end)


def row_amounts(table: Table, row: Row) -> Iterator[tuple[Cell, Amount]]:
    """(header cell, amount) for each cell after the first that holds an amount."""
    for header, cell in zip(table.header[1:], row.cells[1:]):
        amount = cell_amount(header, cell)
        if amount:
            yield header, amount


def table_amounts(text: str) -> list[Amount]:
    """Every amount found in the data cells of the text's tables."""
    return [amount for table in markdown_tables(text) for row in table.rows for _, amount in row_amounts(table, row)]


def with_table_amounts(amounts: list[Amount], text: str) -> list[Amount]:
    """`amounts` plus the table amounts they do not already cover, in text order."""
    extra = [a for a in table_amounts(text) if not any(a.start < b.end and b.start < a.end for b in amounts)]
    return sorted(amounts + extra, key=lambda a: (a.start, a.end))
