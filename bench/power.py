"""Power of the marker methods on realistic synthetic corpora: recall and false discovery rate of the per-post
log-odds and of the post-level engagement model, for planted effects ×1.2, ×1.3, ×1.5 and ×2 (and their
inverses) at 2,000, 6,000 and 20,000 posts, and the false-positive rate on null corpora.

Each replicate is a fresh warehouse holding one corpus from ``qatysu.synthetic.corpus.generate`` with its default,
realistic settings (log-normal per-post noise with sd 0.8, sources three orders of magnitude apart, marker words
that travel together), stored with its true lemmas and scored by ``qatysu markers score`` (scope all). Eight
marker words carry an effect, one raising and one lowering per size of effect; every other word is null — among
them the companions of two planted words, which a method that scores one word at a time tends to flag.

    python bench/power.py [--replicates 4] [--big-replicates 2]

Recall: share of (planted word, replicate) found at q ≤ 0.1 with the right sign. FDR: false discoveries / all
discoveries among words, pooled over the replicates of a size, and the same without the two companions (words
with no effect of their own that travel with a planted one). Null: share of null corpora with any discovery
(the family-wise rate BH bounds by 0.1 under the global null) and share of null words with p < 0.05.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from qatysu.flows.config import MarkersConfig
from qatysu.flows.markers import score_markers
from qatysu.synthetic.corpus import PlantedEffects, generate
from qatysu.synthetic.store import store_with_true_lemmas
from qatysu.warehouse import Warehouse, init_warehouse

REGIONS = ["KZ-10", "KZ-11", "KZ-15", "KZ-19", "KZ-23", "KZ-27", "KZ-31", "KZ-33", "KZ-35", "KZ-39", "KZ-43",
           "KZ-47", "KZ-55", "KZ-59", "KZ-61", "KZ-62", "KZ-63", "KZ-71", "KZ-75", "KZ-79"]
EFFECTS = (1.2, 1.3, 1.5, 2.0)
# one raising and one lowering word per effect size; «приходить» and «вброс» (companions of «голосовать» and
# «фальсификация») stay null
PLANTED = {"митинг": 1.2, "вместе": 1 / 1.2, "петиция": 1.3, "карусель": 1 / 1.3,
           "подписать": 1.5, "бесполезно": 1 / 1.5, "голосовать": 2.0, "фальсификация": 0.5}
COMPANIONS = ("приходить", "вброс")
SIZES = (2000, 6000, 20000)
METHODS = {"log-odds": ("marker_scores", "z"), "model": ("marker_effects", "estimate")}


def one_run(workdir: Path, posts: int, seed: int, effects: PlantedEffects) -> tuple[dict, dict]:
    """Findings {method: {term: sign}} and null p-values {method: [p]} of one corpus."""
    wh = Warehouse.at(workdir / f"power-{posts}-{seed}.duckdb")
    init_warehouse(wh)
    store_with_true_lemmas(wh, generate(posts, REGIONS, seed=seed, effects=effects))
    run = score_markers(wh, MarkersConfig(scopes=["all"])).run_id
    findings, null_p = {}, {}
    with wh.reader() as con:
        for method, (table, value) in METHODS.items():
            rows = con.execute(f"SELECT term, {value}, p, q FROM {table} WHERE run_id = ? AND unit = 'term'",
                               [run]).fetchall()
            findings[method] = {t: np.sign(v) for t, v, _, q in rows if q <= 0.1}
            null_p[method] = [p for t, _, p, _ in rows if t not in effects.markers]
    wh.path.unlink()
    return findings, null_p


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=4, help="corpora per size of 2,000 and 6,000 posts")
    parser.add_argument("--big-replicates", type=int, default=2, help="corpora of 20,000 posts")
    parser.add_argument("--null-replicates", type=int, default=6, help="null corpora of 6,000 posts")
    args = parser.parse_args()
    started = time.perf_counter()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for posts in SIZES:
            reps = args.big_replicates if posts == SIZES[-1] else args.replicates
            hits = {m: {f: 0 for f in EFFECTS} for m in METHODS}
            false, companions, total = ({m: 0 for m in METHODS} for _ in range(3))
            for r in range(reps):
                findings, _ = one_run(workdir, posts, 1000 + r, PlantedEffects(markers=PLANTED))
                for method, found in findings.items():
                    for word, factor in PLANTED.items():
                        size = max(factor, 1 / factor)
                        hits[method][min(EFFECTS, key=lambda e: abs(e - size))] += \
                            found.get(word) == (1 if factor > 1 else -1)
                    false[method] += sum(w not in PLANTED for w in found)
                    companions[method] += sum(w in COMPANIONS for w in found)
                    total[method] += len(found)
            for method in METHODS:
                recall = {f: hits[method][f] / (2 * reps) for f in EFFECTS}
                rows.append((posts, reps, method, recall, false[method] / max(total[method], 1),
                             (false[method] - companions[method]) / max(total[method], 1)))
            print(f"… {posts:,} posts done ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        null_any = {m: 0 for m in METHODS}
        null_p: dict[str, list[float]] = {m: [] for m in METHODS}
        for r in range(args.null_replicates):
            findings, p = one_run(workdir, 6000, 2000 + r, PlantedEffects())
            for method in METHODS:
                null_any[method] += bool(findings[method])
                null_p[method] += p[method]
    print("| posts | replicates | method | " + " | ".join(f"recall ×{f:g}" for f in EFFECTS)
          + " | FDR | FDR without the companions |")
    print("|---:|---:|---|" + "---:|" * (len(EFFECTS) + 2))
    for posts, reps, method, recall, fdr, fdr_other in rows:
        print(f"| {posts:,} | {reps} | {method} | " + " | ".join(f"{recall[f]:.2f}" for f in EFFECTS)
              + f" | {fdr:.2f} | {fdr_other:.2f} |")
    print()
    for method in METHODS:
        p = np.array(null_p[method])
        print(f"null ({args.null_replicates} corpora of 6,000 posts), {method}: corpora with any discovery "
              f"{null_any[method]}/{args.null_replicates}; null words with p < 0.05: {np.mean(p < 0.05):.3f} "
              f"of {len(p):,}" + (" (candidates chosen by log-odds)" if method == "model" else ""))
    print(f"({time.perf_counter() - started:.0f} s)")
    six = {method: recall for posts, _, method, recall, *_ in rows if posts == 6000}
    print(f"recall at ×1.5 with 6,000 posts: log-odds {six['log-odds'][1.5]:.2f}, model {six['model'][1.5]:.2f}")


if __name__ == "__main__":
    main()
