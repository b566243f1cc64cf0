#!/usr/bin/env bash
# Installs what Qatysu needs into ./.venv: Debian's Kazakh dictionary (when missing) and the pinned packages.
# Used by the README's first command and by CI, so both install the same way.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f /usr/share/hunspell/kk_KZ.dic ]; then
    if command -v apt-get >/dev/null; then
        as_root=""
        [ "$(id -u)" = 0 ] || as_root="sudo"
        $as_root apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq hunspell-kk
    else
        echo "setup: no apt-get here; Kazakh lemmas will use Qatysu's rules without the hunspell-kk dictionary" >&2
    fi
fi

python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -c constraints.txt -e ".[test]"
# BERTopic without its declared sentence-transformers/PyTorch dependency (see pyproject.toml).
.venv/bin/pip install --quiet --no-deps -c constraints.txt bertopic
