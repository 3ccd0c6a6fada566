"""Kill the store toy's run with SIGKILL at random writes, resume it each time, and report what came out.

Run as ``python crash_driver.py WORK DATA_DIR SEED KILLS`` (by tests/engine/test_crash_safety.py). The toy is
imported once and every sitting runs in a forked child, so a sitting costs its work, not the imports. A child
is killed inside the write it was picked for: the temporary written (or cut to half: a kill mid-write), not yet
renamed. A round runs sittings until one finishes without being killed; its table is compared with an
uninterrupted run's and the folders are searched for temporaries and locks; then the next round starts afresh.
Prints one JSON line: kills per site, rounds, tables that differ, files left over.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sys
import traceback
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
TIME_COLUMNS = ["wall_time_s", "date", "hardware", "commit", "computed_by"]
SITES = ("ledger", "cache", "results", "tuner")


def site_of(path: Path) -> str | None:
    """Which store a write to ``path`` belongs to."""
    if ".ledger" in path.parts and path.suffix == ".npz":
        return "ledger"
    if "features" in path.parts:
        return "cache"
    if path.name in ("results.csv", "results.md"):
        return "results"
    if path.name in ("trial.json", "oracle.json"):
        return "tuner"
    return None


def kill_at(site: str, cut: bool) -> None:
    """SIGKILL this process inside its first write to ``site`` (before the rename; ``cut``: temporary halved)."""
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        if site_of(Path(dst)) == site:
            if cut:
                os.truncate(src, os.path.getsize(src) // 2)
            os.kill(os.getpid(), signal.SIGKILL)
        return real(src, dst, *args, **kwargs)

    os.replace = replace


def sitting(argv: list[str], cache: Path, site: str | None = None, cut: bool = False) -> int:
    """Run the toy in a forked child; its exit status, or -9 when it was killed."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.environ["SEREPROD_CACHE"] = str(cache)
            if site is not None:
                kill_at(site, cut)
            from reproductions.__main__ import main

            code = main(argv)
        except BaseException:  # noqa: BLE001 - reported by the parent through the exit status
            traceback.print_exc()
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def leftovers(*folders: Path) -> list[str]:
    """Temporaries of atomic writes and lock files under ``folders``, less the results folder's own lock file
    (``results.csv.lock`` stays: :mod:`common.results.store`)."""
    from common.results.store import RESULTS_LOCK

    return sorted(str(p) for f in folders for p in f.rglob("*")
                  if "~" in p.name or p.name.endswith(".lock") and p.name != RESULTS_LOCK)


def table(out: Path):
    from common.results import read_results

    return read_results(out / "results.csv").drop(columns=TIME_COLUMNS).sort_values(["table", "row"]) \
        .reset_index(drop=True)


def main() -> None:
    work, data_dir, seed, wanted = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    sys.path.insert(0, str(work))
    package = work / "storepkg"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text("")
    shutil.copy(HERE / "store_toy.py", package / "paper.py")
    import reproductions

    reproductions.PAPERS["storetoy"] = "storepkg.paper"

    def argv(out: Path) -> list[str]:
        return ["storetoy", "--out", str(out), "--data-dir", data_dir, "--units-per-process", "0"]

    from reproductions.__main__ import main as run

    reference = work / "reference"  # run here, uninterrupted: it also loads what every sitting uses, once
    os.environ["SEREPROD_CACHE"] = str(work / "reference-cache")
    assert run(argv(reference)) == 0
    expected = table(reference)
    rng = random.Random(seed)
    kills, rounds, differing, left, failures = Counter(), 0, 0, [], []
    while sum(kills.values()) < wanted:
        out, cache = work / f"round{rounds}", work / f"round{rounds}-cache"
        while True:
            site = rng.choice(SITES)
            status = sitting(argv(out), cache, site, cut=rng.random() < 0.5)
            if status == -signal.SIGKILL:
                kills[site] += 1
            elif status == 0:
                break
            else:
                failures.append(f"round {rounds}: a sitting killed at {site} ended with status {status}")
                break
        rounds += 1
        differing += not table(out).equals(expected)
        left += leftovers(out, cache)
    print(json.dumps({"kills": kills, "rounds": rounds, "differing": differing, "left": left,
                      "failures": failures}))


if __name__ == "__main__":
    main()
