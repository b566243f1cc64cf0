#!/usr/bin/env bash
# Installs what Qatysu needs into ./.venv: Debian's Kazakh dictionary (when missing) and the pinned packages.
# Used by the README's first command and by CI, so both install the same way.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: the Kazakh dictionary (lemmas), and Chromium with its driver (the report's rendering test).
missing=""
[ -f /usr/share/hunspell/kk_KZ.dic ] || missing="$missing hunspell-kk"
if [ "${QATYSU_SKIP_BROWSER:-}" != 1 ]; then
    command -v chromium >/dev/null || missing="$missing chromium"
    command -v chromedriver >/dev/null || missing="$missing chromium-driver"
fi
if [ -n "$missing" ]; then
    if command -v apt-get >/dev/null; then
        as_root=""
        [ "$(id -u)" = 0 ] || as_root="sudo"
        $as_root apt-get update -qq
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq $missing
    else
        echo "setup: no apt-get here; missing:$missing (Kazakh lemmas fall back to Qatysu's rules;" \
             "the Chromium report test is skipped)" >&2
    fi
fi

python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip "setuptools>=77"  # 77: the first that reads PEP 639 licence strings
.venv/bin/pip install --quiet -c constraints.txt -e ".[test,bench]"
# BERTopic without its declared sentence-transformers/PyTorch dependency (see pyproject.toml).
.venv/bin/pip install --quiet --no-deps -c constraints.txt bertopic
