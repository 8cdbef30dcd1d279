"""Loader throughput, side by side in one run: MB/s of ways to read the same YAML corpus.

    python bench/loader_throughput.py [--copies N] [--repeat R]

Compares ruamel.yaml's round-trip loader (comments and positions on every node), its
pure-Python and C-backed safe loaders (no positions at all), and the usm-rules loader
(plain data plus a position for every node, from the C parser's events). Ratios matter,
not absolute times: they are printed relative to the round-trip loader.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from corpus import write_corpus
from ruamel.yaml import YAML

from usm_rules.read.formats.yaml_reader import PARSER, load_bytes


def round_trip(texts):
    yaml = YAML()
    for text in texts:
        list(yaml.load_all(text))


def safe_pure(texts):
    yaml = YAML(typ="safe", pure=True)
    for text in texts:
        list(yaml.load_all(text))


def safe_c(texts):
    yaml = YAML(typ="safe")
    for text in texts:
        list(yaml.load_all(text))


def usm_rules_loader(texts):
    for text in texts:
        load_bytes("bench.yaml", text.encode())


def best_of(function, texts, repeat):
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(texts)
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=6, help="organisations from bench/corpus.py, ~115 kB each")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        size = write_corpus(Path(folder), args.copies)
        texts = [p.read_text(encoding="utf-8") for p in sorted(Path(folder).rglob("*.yaml"))]
    megabytes = size / 1e6
    print(f"corpus: {len(texts)} files, {megabytes:.2f} MB; usm-rules parser: {PARSER}")
    rows = [("ruamel round-trip (positions, comments)", round_trip),
            ("ruamel safe, pure Python (no positions)", safe_pure),
            ("ruamel safe, C (no positions)", safe_c),
            ("usm-rules loader (positions, plain data)", usm_rules_loader)]
    base = None
    for label, function in rows:
        seconds = best_of(function, texts, args.repeat)
        base = base or seconds
        print(f"{label:<44} {megabytes / seconds:7.2f} MB/s  x{base / seconds:5.1f}")


if __name__ == "__main__":
    main()
