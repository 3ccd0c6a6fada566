"""Module-wise evaluation (§7.5): SVM probes on module outputs (Table 5) and LDA views with rho (Fig. 3-9)."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
from keras import ops

from common.splits import FoldIndices
from reproductions.huang2017.analysis import inertia_ratio, lda_projection
from reproductions.huang2017.models import module_outputs
from reproductions.huang2017.noisy_set import MixedBatches
from reproductions.huang2017.svm_baselines import tvt_svm

MODULES = ("CNN", "BLSTM", "MLP")  # §7.5: the CNN module, the BLSTM module and the MLP module
LABELS = ("emotion", "speaker", "gender")  # Fig. 3 rows
# Appendix A: one figure per CLDNN; Fig. 3 repeats Fig. 5 (T-CLDNN (log-Mels)) in the text.
FIGURES = {"S-CLDNN (log-Mels)": "Fig. 4", "T-CLDNN (log-Mels)": "Fig. 3", "ST-CLDNN (log-Mels)": "Fig. 6",
           "FST-CLDNN (log-Mels)": "Fig. 7", "T-CLDNN (MFCCs)": "Fig. 8", "FST-CLDNN (MFCCs)": "Fig. 9"}


def gender_key(genders: pd.Series) -> tuple[str, ...]:
    """The part of a Table 5 unit's key that names its subject -> gender list (``--set gender_csv``): empty when
    every gender is unknown, else a digest of the (speaker, gender) pairs. Only the Figs. 3-9 views read the
    genders, so only these units (not the trained models) depend on the list."""
    known = genders[genders != "unknown"]
    if known.empty:
        return ()
    pairs = sorted(set(zip(known.index.astype(str), known.astype(str), strict=True)))
    return (f"genders {hashlib.sha256(repr(pairs).encode()).hexdigest()[:12]}",)


def _masked_mean(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    w = mask[..., None].astype(np.float64)
    return (x * w).sum(axis=1) / np.maximum(w.sum(axis=1), 1.0)


def representations(model, batches: MixedBatches) -> dict[str, np.ndarray]:
    """Utterance representations in plan order: mean-pooled raw spliced features, CNN and BLSTM outputs
    (mean over time, §7.5), and the MLP module's output (the softmax posteriors)."""
    extractor = module_outputs(model)
    out: dict[str, list[np.ndarray]] = {"Raw": [], "CNN": [], "BLSTM": [], "MLP": []}
    for i in range(len(batches)):
        (x, mask), _ = batches[i]
        # eager call (no retracing per batch length); convert_to_numpy works on every backend
        cnn, blstm, mlp = (ops.convert_to_numpy(o) for o in extractor([x, mask], training=False))
        out["Raw"].append(_masked_mean(x.reshape(*x.shape[:2], -1), mask))
        out["CNN"].append(_masked_mean(np.asarray(cnn), mask))
        out["BLSTM"].append(_masked_mean(np.asarray(blstm), mask))
        out["MLP"].append(np.asarray(mlp, dtype=np.float64))
    return {k: np.concatenate(v) for k, v in out.items()}


def probe(reps: dict[str, dict[str, np.ndarray]], y: dict[str, np.ndarray], speakers: dict[str, list[str]]
          ) -> dict[str, dict[str, dict]]:
    """Table 5: per representation, class-weighted SVMs on standardised vectors (as §6.1), TVT.

    ``reps[split][module]``; returns {module: {variant: {"kernel", "ua" (test UA), "y_pred" (test)}}} for the
    four variants of ``svm_baselines.VARIANTS`` (speaker or training-speaker normalisation x test- or
    validation-chosen kernel).
    """
    splits = ("train", "val", "test")
    sizes = [len(y[s]) for s in splits]
    bounds = np.cumsum([0, *sizes])
    part = FoldIndices("tvt", *(np.arange(bounds[i], bounds[i + 1]) for i in range(3)))
    y_all = np.concatenate([y[s] for s in splits])
    spk_all = np.array([str(v) for s in splits for v in speakers[s]])
    out = {}
    for module in reps["train"]:
        x = np.concatenate([reps[s][module] for s in splits])
        out[module] = tvt_svm(x, y_all, spk_all, part)
    return out


def cluster_views(reps: dict[str, np.ndarray], meta: pd.DataFrame) -> dict[tuple[str, str], dict]:
    """Fig. 3: for each (label, module) on the clean training partition, the LDA projection and rho (Eqs. 15-17).

    ``meta`` has columns emotion, speaker, gender in the order of ``reps``; labels with fewer than two known
    classes are left out (eNTERFACE'05 distributes no per-subject gender: the gender row needs
    ``--set gender_csv=PATH``).
    """
    views = {}
    for label in LABELS:
        values = meta[label].astype(str).to_numpy()
        known = values != "unknown"
        if len(np.unique(values[known])) < 2:
            continue
        for module in MODULES:
            x = reps[module][known]
            z, centres, classes = lda_projection(x, values[known])
            views[(label, module)] = {"z": z, "labels": values[known], "centres": centres, "classes": classes,
                                      "rho": inertia_ratio(x, values[known]).rho}
    return views
