"""The layout the README promises: one installed package, imports that point one way, SQL only in the warehouse,
each default declared once, generated docs that are current."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import typer

from helpers import ROOT
from qatysu.cli import app
from qatysu.flows.config import (
    CollectConfig,
    ForecastConfig,
    LinkConfig,
    MarkersConfig,
    PipelineConfig,
    ProcessConfig,
    ReportConfig,
    SampleConfig,
    SearchConfig,
    TopicEffectsConfig,
    TopicsConfig,
    default,
    parameter_tables,
)

# folder → the project's folders its modules may import (besides their own)
ALLOWED = {
    "warehouse": set(),
    "nlp": set(),
    "models": {"nlp", "warehouse"},
    "crawlers": {"warehouse"},
    "reports": {"warehouse"},
    "synthetic": {"crawlers", "warehouse"},
    "flows": {"crawlers", "nlp", "models", "reports", "warehouse"},
    "qatysu": {"flows", "crawlers", "nlp", "models", "reports", "synthetic", "warehouse"},
}
SQL = re.compile(r"\bSELECT\b[\s\S]+\bFROM\b|\bINSERT\s+(OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b"
                 r"|\bCREATE\s+(OR\s+REPLACE\s+)?(TEMP\s+)?(TABLE|VIEW|MACRO)\b|\bCOPY\s*\(")


def _sources(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _imported(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else []
        for name in names:
            parts = name.split(".")
            if parts[0] == "qatysu":
                found.add(parts[1] if len(parts) > 1 and parts[1] in ALLOWED else "qatysu")
    return found


@pytest.mark.parametrize("folder", sorted(ALLOWED))
def test_imports_point_one_way(folder):
    wrong = {}
    for path in _sources(folder):
        bad = _imported(ast.parse(path.read_text(encoding="utf-8"))) - ALLOWED[folder] - {folder}
        if bad:
            wrong[str(path.relative_to(ROOT))] = sorted(bad)
    assert not wrong, f"{folder}/ may import only {sorted(ALLOWED[folder])}: {wrong}"


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]


def test_no_sql_outside_the_warehouse():
    found = [f"{path.relative_to(ROOT)}:{line}: {text[:60]!r}"
             for folder in sorted(set(ALLOWED) - {"warehouse"}) for path in _sources(folder)
             for line, text in _strings(ast.parse(path.read_text(encoding="utf-8"))) if SQL.search(text)]
    assert not found, "SQL belongs in warehouse/ (a named query in warehouse/queries/):\n" + "\n".join(found)


def test_the_sql_check_would_see_a_query():
    assert SQL.search("SELECT count(*)\n FROM posts") and SQL.search("insert into x values (1)".upper())
    assert not SQL.search("Run one read-only SQL statement, e.g. a SELECT.")


def test_pipeline_docs_show_the_parameter_models():
    doc = (ROOT / "docs" / "pipeline.md").read_text(encoding="utf-8")
    embedded = doc.split("<!-- parameters:begin -->\n", 1)[1].split("<!-- parameters:end -->", 1)[0]
    assert embedded == parameter_tables(), "docs/pipeline.md is stale: run `bash scripts/regen_docs.sh`"


def _options(*path: str) -> dict[str, object]:
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    return {p.name: p.default for p in command.params}


@pytest.mark.parametrize(("command", "model", "pairs"), [
    (("process",), ProcessConfig, {"batch_size": "batch_size", "reprocess": "reprocess"}),
    (("crawl",), CollectConfig, {"refresh": "refresh", "http_cache": "http_cache"}),
    (("topics", "fit"), TopicsConfig, {"method": "methods", "lang": "langs", "seed": "seed", "workers": "workers"}),
    (("markers", "score"), MarkersConfig, {"scope": "scopes", "prior_size": "prior_size", "min_count": "min_count"}),
    (("link",), LinkConfig, {"min_posts": "min_posts", "seed": "seed"}),
    (("forecast",), ForecastConfig, {"outcome": "outcome", "scenarios": "scenarios"}),
    (("search",), SearchConfig, {"limit": "limit"}),
    (("kwic",), SearchConfig, {"window": "kwic_window", "limit": "kwic_posts"}),
    (("sample",), SampleConfig, {"n": "n", "allocation": "allocation", "seed": "seed"}),
    (("topics", "effects"), TopicEffectsConfig, {"draws": "draws", "seed": "seed"}),
])
def test_command_options_default_to_the_step_parameters(command, model, pairs):
    options = _options(*command)
    for option, field in pairs.items():
        assert options[option] == default(model, field), f"qatysu {' '.join(command)} --{option}"


def test_report_options_default_to_the_report_parameters():
    options = _options("report")
    assert options["formats"].split(",") == default(ReportConfig, "formats")
    assert Path(options["out"]) == default(PipelineConfig, "out")
    assert [int(k) for k in _options("topics", "fit")["k_grid"].split(",")] == default(TopicsConfig, "k_grid")


@pytest.mark.slow
def test_the_wheel_installs_only_the_qatysu_package(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("qatysu-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"qatysu", next(t for t in tops if t.endswith(".dist-info"))}
    for shipped in ("qatysu/warehouse/migrations/0001_core.sql", "qatysu/warehouse/queries/unit_counts.sql",
                    "qatysu/nlp/data/ru_lexicon.tsv", "qatysu/synthetic/synthetic_vocabulary.yaml",
                    "qatysu/models/data/participation_lexicon.yaml", "qatysu/crawlers/news_sites/tengrinews.yaml",
                    "qatysu/warehouse/reference/regions.csv"):
        assert shipped in names
