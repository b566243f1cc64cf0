"""The coding sheet a sample is written to: the posts with one empty column per code (an XLSX offers each code's
allowed values as a drop-down list), the codebook with its instructions, and how the sample was drawn."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from qatysu.reports.spreadsheet import write_sheet

POSTS_SHEET = "posts"
CODE_FILL = PatternFill("solid", fgColor="FFF6D5")


def write_coding_sheet(path: Path, columns: Sequence[str], rows: Sequence[Sequence[Any]], book: Any,
                       params: Mapping[str, Any], population: Mapping[str, int], drawn: Mapping[str, int]) -> None:
    """Write the sample as .xlsx (posts, codebook and sample sheets) or .csv (the posts and code columns).
    ``book`` is a codebook (``qatysu.models.coding.Codebook``: name, instructions, codes with name, values,
    level, instructions, validates, positive)."""
    header = [*columns, *book.names]
    full = [(*row, *([None] * len(book.names))) for row in rows]
    if path.suffix.lower() == ".csv":
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerows(full)
        return
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"{path.name}: write the sample to .xlsx or .csv")
    wb = Workbook()
    sheet = wb.active
    sheet.title = POSTS_SHEET
    write_sheet(sheet, header, full)
    for j, code in enumerate(book.codes, len(columns) + 1):
        letter = get_column_letter(j)
        sheet.column_dimensions[letter].width = max(12, len(code.name) + 4)
        sheet.cell(1, j).fill = CODE_FILL
        rule = DataValidation(type="list", formula1='"' + ",".join(code.values) + '"', allow_blank=True,
                              showErrorMessage=True, errorTitle=code.name,
                              error=f"{code.name}: one of {', '.join(code.values)}")
        rule.add(f"{letter}2:{letter}{max(len(rows), 1) + 1}")
        sheet.add_data_validation(rule)
    codes = [(c.name, ", ".join(c.values), c.level, c.instructions.get("ru", ""), c.instructions.get("en", ""),
              c.validates or "", c.positive or "") for c in book.codes]
    write_sheet(wb.create_sheet("codebook"),
                ["code", "values", "level", "instructions (ru)", "instructions (en)", "validates", "positive"], codes)
    about = wb.create_sheet("sample")
    lines = [("codebook", book.name), ("instructions (ru)", book.instructions.get("ru", "")),
             ("instructions (en)", book.instructions.get("en", "")), *((k, str(v)) for k, v in params.items())]
    write_sheet(about, ["what", "value"], lines)
    start = len(lines) + 3
    about.cell(start, 1, "stratum").font = Font(bold=True)
    about.cell(start, 2, "posts in the corpus").font = Font(bold=True)
    about.cell(start, 3, "posts drawn").font = Font(bold=True)
    for i, stratum in enumerate(population, start + 1):
        about.cell(i, 1, stratum)
        about.cell(i, 2, population[stratum])
        about.cell(i, 3, drawn.get(stratum, 0))
    wb.save(path)
