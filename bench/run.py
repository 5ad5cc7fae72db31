"""Print the performance figures the issues ask for (run by hand or `make bench`): every script
in bench/, one after the other."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run_feature_benches(names: list[str]) -> int:
    """Every other script in bench/ (or those named), one after the other, each printing its
    own figures and ratios; returns how many failed."""
    here = Path(__file__).resolve().parent
    scripts = sorted(p for p in here.glob("*.py") if p.name != "run.py")
    if names:
        scripts = [p for p in scripts if p.stem in names]
    failed = 0
    for script in scripts:
        print(f"\n== bench/{script.name}", flush=True)
        if subprocess.run([sys.executable, str(script)], cwd=ROOT).returncode != 0:
            print(f"bench/{script.name} failed", flush=True)
            failed += 1
    return failed


if __name__ == "__main__":
    # `make bench` prints every figure, each script's in turn (start-up: bench/startup.py).
    # `python bench/run.py startup` or `python bench/run.py customer_statistics desk` runs only those.
    raise SystemExit(1 if run_feature_benches(sys.argv[1:]) else 0)
