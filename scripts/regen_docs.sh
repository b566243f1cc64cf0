#!/usr/bin/env bash
# Regenerates the generated parts of the docs (tests keep them current): the schema section of docs/warehouse.md
# from the migrations' COMMENTs, and the parameter tables of docs/pipeline.md from the steps' parameter models.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
.venv/bin/qatysu init --db "$tmp/w.duckdb" >/dev/null
.venv/bin/qatysu schema --db "$tmp/w.duckdb" >"$tmp/schema.md"
.venv/bin/python -c 'from qatysu.flows.config import parameter_tables; print(parameter_tables(), end="")' \
    >"$tmp/parameters.md"
.venv/bin/python - "$tmp" <<'PY'
import sys
from pathlib import Path

generated = Path(sys.argv[1])
for doc, part in (("docs/warehouse.md", "schema"), ("docs/pipeline.md", "parameters")):
    path = Path(doc)
    head, rest = path.read_text(encoding="utf-8").split(f"<!-- {part}:begin -->", 1)
    _, tail = rest.split(f"<!-- {part}:end -->", 1)
    content = (generated / f"{part}.md").read_text(encoding="utf-8").strip()
    path.write_text(f"{head}<!-- {part}:begin -->\n{content}\n<!-- {part}:end -->{tail}", encoding="utf-8")
PY
