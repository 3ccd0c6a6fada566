"""Projected ``--profile paper`` training time per paper (item 6) from the measured seconds per epoch (item 1).

A projection is sum over trained models of (trainings x epochs x seconds per epoch x fraction of the corpus that
trains). Runs and epochs are read from each run.py's ``PROFILES['paper']``; the counts of trainings follow each
paper's protocol (cited). Epochs are the profile's cap, so with early stopping the projection is an upper bound;
validation, prediction, tuning searches and feature extraction are not included.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from common.cli import Profile


@dataclass(frozen=True)
class Trainings:
    """``count(profile)`` trainings of registry model ``model`` for ``epochs(profile)`` epochs each, on
    ``fraction`` of the registry corpus size per epoch."""

    model: str
    count: Callable[[Profile], int]
    epochs: Callable[[Profile], int]
    fraction: float
    what: str


def _epochs(p: Profile) -> int:
    return p.epochs


PLANS: dict[str, list[Trainings]] = {
    # §6.1: 5 runs x 2 dimensions per model (Tables 1-2); the §4 preliminary nets (1 filter) are not counted.
    "khorram2017": [Trainings(f"khorram2017/{m}", lambda p: p.runs * 2, _epochs, 1.0, f"{m}: runs x 2 dims")
                    for m in ("dilated", "downup", "blstm")],
    # §4.1 speaker-dependent (runs splits) + §4.2 5 speaker pairs x runs, x 2 model-selection modes, on EmoDB
    # (the IEMOCAP runs add 1150/535 of it again); 80 % of the corpus trains (§4.1).
    "zhao2019": [Trainings(f"zhao2019/{m}", lambda p: (p.runs + 5 * p.runs) * 2 * (1 + 1150 / 535), _epochs, 0.8,
                           f"{m}: (runs + 5 pairs x runs) x 2 modes x (EmoDB + IEMOCAP)") for m in ("1d", "2d")],
    # §5.1 LOSO 5 folds x 3 subsets x 3 autoencoders, §5.2 10 folds x 2 splits, §5.3 4 more latent sizes x 5 folds;
    # each autoencoder is trained for ae_epochs, then an LSTM for the profile's epochs (§4.3: at most 20).
    "latif2017": [Trainings("latif2017/vae", lambda p: 5 * 3 * 3 + 10 * 2 + 4 * 5, lambda p: p.settings["ae_epochs"],
                            0.8, "AE/VAE/CVAE: 45 (Table 1) + 20 (Table 2) + 20 (Fig. 2)"),
                  Trainings("latif2017/lstm", lambda p: 5 * 3 * 3 + 10 * 2 + 4 * 5, _epochs, 0.8,
                            "LSTM classifiers, one per autoencoder")],
    # Table 4: 2 LDNN + 6 CLDNN on the noisy training partition (70 % of subjects, §5.2); §6.2 tuning grids
    # (Table 2: 6x2 per S/T/FST type, ST top-3 pairs) and §7.4's 27 h1 values add ~66 CLDNN trainings.
    "huang2017": [Trainings("huang2017/ldnn", lambda p: 2, _epochs, 0.7, "LDNN (log-Mels, MFCCs)"),
                  Trainings("huang2017/s-cldnn", lambda p: 1 + 12 + 27, _epochs, 0.7, "S: Table 4 + grid + Fig. 2"),
                  Trainings("huang2017/t-cldnn", lambda p: 2 + 12, _epochs, 0.7, "T (2 features) + grid"),
                  Trainings("huang2017/st-cldnn", lambda p: 1 + 9, _epochs, 0.7, "ST + top-3 x top-3 grid"),
                  Trainings("huang2017/fst-cldnn", lambda p: 2 + 12, _epochs, 0.7, "FST (2 features) + grid")],
    # §3.2 10 speaker folds; Table 1 ELoR 9 epochs, Table 4 ELoR + FTR 6 epochs (same CNN cost), the joint variant
    # of ELoR again; LoM and FTR are small and not counted. 90 % of the samples train in each fold.
    "wieser2018": [Trainings("wieser2018/elor-faithful", lambda p: 10, lambda p: 9 + 6, 0.9,
                             "ELoR (9 ep) + ELoR+FTR (6 ep), 10 folds"),
                   Trainings("wieser2018/elor-joint", lambda p: 10, lambda p: 9, 0.9, "joint variant, 10 folds")],
}


def paper_profile(paper: str) -> Profile | None:
    """``PROFILES['paper']`` of ``reproductions/<paper>/run.py``, or None if the module is not there yet."""
    try:
        module = importlib.import_module(f"reproductions.{paper}.run")
    except ImportError:
        return None
    return getattr(module, "PROFILES", {}).get("paper")


def project(paper: str, epoch_s: dict[str, float]) -> tuple[float, list[str]] | None:
    """(seconds, breakdown lines) of the paper profile's training, or None without a profile or figures."""
    profile = paper_profile(paper)
    if profile is None:
        return None
    total, lines = 0.0, []
    for t in PLANS[paper]:
        if t.model not in epoch_s:
            return None
        n, e = t.count(profile), t.epochs(profile)
        seconds = n * e * t.fraction * epoch_s[t.model]
        total += seconds
        lines.append(f"{t.what}: {n:g} x {e} epochs x {t.fraction:g} x {epoch_s[t.model]:.3g} s")
    return total, lines
