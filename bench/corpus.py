"""Generate a large, realistic corpus: copies of the reference model with renamed processes.

    python bench/corpus.py OUT_DIR [--copies N]

Each copy is a full model (ProcessModel, five Processes, Practice, Project, Procedure,
WorkInstruction) whose names, ids and activity names are made unique, so cross-document
rules see a big but clean input.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

REFERENCE = Path(__file__).resolve().parents[1] / "sample_processes" / "reference"
_NAMES = ("usm", "agree", "change", "recover", "operate", "improve", "itil-incident-management",
          "datacenter-move", "recover-procedure", "recover-restart-order-application")


def copy_model(text: str, index: int) -> str:
    """One copy of a reference file with every name, id and activity name made unique."""
    text = re.sub(r"\b(agr|chg|rec|opr|imp|pr-inc|dcm)-(\d+)\b", rf"\g<1>{index}-\g<2>", text)
    text = re.sub(r"(^\s*-?\s*name: )(?!(" + "|".join(_NAMES) + r")\b)(.+)$", rf"\g<1>\3 (copy {index})",
                  text, flags=re.MULTILINE)
    for name in sorted(_NAMES, key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w/-])", f"{name}-c{index}", text)
    return text.replace("output: ", f"output: copy {index} ")


def write_corpus(out: Path, copies: int) -> int:
    out.mkdir(parents=True, exist_ok=True)
    size = 0
    sources = sorted(REFERENCE.glob("*.yaml"))
    for index in range(copies):
        folder = out / f"model-{index:04d}"
        folder.mkdir(exist_ok=True)
        for source in sources:
            text = copy_model(source.read_text(encoding="utf-8"), index)
            (folder / source.name).write_text(text, encoding="utf-8")
            size += len(text.encode())
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--copies", type=int, default=100)
    args = parser.parse_args()
    size = write_corpus(args.out, args.copies)
    print(f"wrote {args.copies} models, {size / 1e6:.2f} MB, to {args.out}")


if __name__ == "__main__":
    main()
