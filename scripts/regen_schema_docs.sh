#!/usr/bin/env bash
# Regenerates the schema section of docs/warehouse.md from the migrations' COMMENTs (a test keeps it current).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
.venv/bin/qatysu init --db "$tmp/w.duckdb" >/dev/null
.venv/bin/qatysu schema --db "$tmp/w.duckdb" >"$tmp/schema.md"
.venv/bin/python - "$tmp/schema.md" <<'PY'
import sys
from pathlib import Path
doc = Path("docs/warehouse.md")
text = doc.read_text(encoding="utf-8")
head, rest = text.split("<!-- schema:begin -->", 1)
_, tail = rest.split("<!-- schema:end -->", 1)
schema = Path(sys.argv[1]).read_text(encoding="utf-8")
doc.write_text(f"{head}<!-- schema:begin -->\n{schema.strip()}\n<!-- schema:end -->{tail}", encoding="utf-8")
PY
