"""One measured figure of the benchmark page: what, on which backend, its summary, target and provenance."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from benchmarks.stats import Summary

COLUMNS = ["section", "name", "backend", "metric", "unit", "median", "q1", "q3", "min", "max", "n", "target", "met",
           "note", "device", "commit", "load_avg", "measured_at"]


@dataclass
class Row:
    """A figure; ``target`` like '<= 1.10' and ``met`` 'yes'/'no' when the issue sets one."""

    section: str
    name: str
    metric: str
    unit: str
    summary: Summary
    backend: str = "tensorflow"
    target: str = ""
    note: str = ""
    provenance: dict[str, str] = field(default_factory=dict)

    @property
    def met(self) -> str:
        if not self.target:
            return ""
        op, value = self.target.split()
        ok = self.summary.median <= float(value) if op == "<=" else self.summary.median >= float(value)
        return "yes" if ok else "no"

    def record(self) -> dict[str, object]:
        s = asdict(self.summary)
        return {"section": self.section, "name": self.name, "backend": self.backend, "metric": self.metric,
                "unit": self.unit, "median": s["median"], "q1": s["q1"], "q3": s["q3"], "min": s["low"],
                "max": s["high"], "n": s["n"], "target": self.target, "met": self.met, "note": self.note,
                **{k: self.provenance.get(k, "") for k in ("device", "commit", "load_avg", "measured_at")}}


def ratio_rows(section: str, name: str, metric: str, num: list[float], den: list[float], target: str = "",
               note: str = "") -> Row:
    """Per-repetition ratios num[i] / den[i] of interleaved measurements, summarised."""
    ratios = [a / b for a, b in zip(num, den, strict=True)]
    return Row(section, name, metric, "ratio", Summary.of(ratios), target=target, note=note)
