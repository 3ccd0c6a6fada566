"""The projection table users read before they rent a GPU: per paper, from its own rehearsal.

``run.py --profile paper --rehearse --synth-size full`` runs every unit of the paper profile for a few timed
steps at full input shapes and writes ``results/<paper>/rehearsal.json`` (units, projected hours on that hardware
from the measured seconds per step and the protocol's own epoch and unit counts, peak host memory, and peak
accelerator memory where it ran on one; a GPU rehearsal lives beside the CPU one as ``rehearsal-gpu.json``).
Nothing here counts trainings by hand: the unit list is the protocol's. Disk is the full-size twin's audio
(``common.synth``) and, where the rehearsal recorded it, the feature-cache entries it read or wrote (the real run's
own, at the same shapes).
"""

from __future__ import annotations

import json
import math

from benchmarks.rows import Row
from benchmarks.stats import Summary
from common.paths import RESULTS_ROOT

REHEARSE = "python reproductions/{paper}/run.py --profile paper --rehearse --synth-size full"


def _one(value: float) -> Summary:
    return Summary.of([value])


def rehearsal_rows() -> list[Row]:
    """Per registered paper: projected hours, peak memory, units, twin and feature disk, or how to measure them."""
    import reproductions
    from common.synth import estimated_bytes

    rows = []
    for name in reproductions.names():
        paper = reproductions.get(name)
        disk = sum(estimated_bytes(c, "full") for c in (*paper.corpora, *(e.name for e in paper.extra_corpora)))
        rows.append(Row("projection", name, "full-size twins on disk", "GB", _one(disk / 1e9), backend="numpy",
                        note="16-bit audio of every corpus the paper reads, at the real corpora's counts"))
        paths = sorted((RESULTS_ROOT / name).glob("rehearsal*.json"))
        infos = [json.loads(path.read_text()) for path in paths]
        corpora = {info["corpus"] for info in infos}
        if not paths:
            rows.append(Row("projection", name, "status", "", Summary.of([math.nan]),
                            note="not rehearsed yet: " + REHEARSE.format(paper=name)))
        for info in infos:
            gpu = info["hardware"].split(" + ", 1)[1] if " + " in info["hardware"] else ""
            on = ", ".join(filter(None, [info["corpus"] if len(corpora) > 1 else "", f"on {gpu}" if gpu else ""]))
            on = f" ({on})" if on else ""
            if not info.get("complete", True):
                on += f", first {info['units']} units only"
            note = (("INCOMPLETE rehearsal (stopped part-way): " if not info.get("complete", True) else "")
                    + f"{info['units']} units of the {info['profile']} profile on {info['data']} "
                    f"{info['corpus']} data, {info['hardware']}; rehearsal {info['wall_s']:.0f} s"
                    + (f" in {info['sittings']} sittings (resumed from its finished units; commits "
                       f"{', '.join(info['commits'])})" if info.get("sittings", 1) > 1 else
                       f", commit {info['commit']}"))
            rows.append(Row("projection", name, f"projected paper-profile wall time{on} (upper bound)", "h",
                            _one(info["projected_hours"]), backend=info["backend"], note=note))
            rows.append(Row("projection", name, f"peak host memory{on} (rehearsal)", "GiB", _one(info["peak_rss_gib"]),
                            backend=info["backend"], target="<= 24", note=note))
            if "feature_cache_gb" in info:
                rows.append(Row("projection", name, f"feature cache on disk{on} (rehearsal)", "GB",
                                _one(info["feature_cache_gb"]), backend=info["backend"],
                                note=f"{info['feature_cache_entries']} entries; " + note))
            if info.get("peak_device_gib") is not None:
                rows.append(Row("projection", name, f"peak accelerator memory{on} (rehearsal)", "GiB",
                                _one(info["peak_device_gib"]), backend=info["backend"], note=note))
    return rows
