"""Table 3: SVMs on openSMILE functionals, LOSO and TVT (§4.1, §6.1), and the SVM probe of Table 5.

§6.1: speaker standardisation, class weighting for the slight imbalance, scikit-learn SVMs with linear,
polynomial and RBF kernels, clean condition only. The paper does not say how one kernel's number was
chosen for each cell; the faithful cell is the best kernel on the evaluation data (a test-set choice,
flagged in the README) and the corrected variant picks the kernel on held-out validation speakers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.svm import SVC

from common.audio import TARGET_SR, load_audio
from common.cache import FeatureCache
from common.features import INTERSPEECH_CHALLENGE_SETS, opensmile_functionals_batch, speaker_znorm
from common.metrics import unweighted_accuracy
from common.splits import Fold, carve_validation

KERNELS = ("linear", "poly", "rbf")  # §6.1
# Table 3 columns -> openSMILE configs shipped by the opensmile package (STC: IS12 has 6125, not 5757).
TABLE3_SETS = tuple(INTERSPEECH_CHALLENGE_SETS)
# §6.1: "class weighting for slight class imbalance"; C, degree and gamma are scikit-learn's defaults.
CLASS_WEIGHT = "balanced"


def functionals(table: pd.DataFrame, feature_set: str, cache: FeatureCache | None = None) -> np.ndarray:
    """openSMILE functionals (§4.1) of every utterance of ``table`` (row order), cached per file set."""
    ids = list(table["id"])

    def compute() -> dict[str, np.ndarray]:
        waves = [load_audio(p) for p in table["path"]]
        return {"x": opensmile_functionals_batch(waves, TARGET_SR, feature_set)}

    cache = cache or FeatureCache()
    return cache.get_or_compute(f"huang2017-{feature_set}", {"set": feature_set, "ids": ids},
                                list(table["path"]), compute)["x"]


def standardise(x: np.ndarray, speakers: Sequence[str]) -> np.ndarray:
    """Speaker standardisation (§6.1): z-score each functional with its speaker's statistics."""
    return np.nan_to_num(np.stack(speaker_znorm(list(x), list(speakers))))


def kernel_predictions(x_train: np.ndarray, y_train: np.ndarray, x_eval: dict[str, np.ndarray]
                       ) -> dict[str, dict[str, np.ndarray]]:
    """{kernel: {split: predictions}} of class-weighted SVCs trained on ``x_train``."""
    out = {}
    for kernel in KERNELS:
        svm = SVC(kernel=kernel, class_weight=CLASS_WEIGHT).fit(x_train, y_train)
        out[kernel] = {name: svm.predict(x) for name, x in x_eval.items()}
    return out


def tvt_scores(x: np.ndarray, y: np.ndarray, index: dict[str, int], fold: Fold) -> dict[str, dict[str, float]]:
    """{kernel: {'val': UA, 'test': UA}} on the TVT partition."""
    part = {p: np.array([index[u] for u in getattr(fold, p)]) for p in ("train", "val", "test")}
    preds = kernel_predictions(x[part["train"]], y[part["train"]],
                               {"val": x[part["val"]], "test": x[part["test"]]})
    return {k: {s: unweighted_accuracy(y[part[s]], p) for s, p in v.items()} for k, v in preds.items()}


def select(scores: dict[str, dict[str, float]]) -> dict[str, tuple[str, float]]:
    """Faithful (best kernel on test) and corrected (kernel best on validation) -> (kernel, test UA)."""
    best_test = max(KERNELS, key=lambda k: scores[k]["test"])
    best_val = max(KERNELS, key=lambda k: scores[k]["val"])
    return {"faithful": (best_test, scores[best_test]["test"]),
            "val-selected": (best_val, scores[best_val]["test"])}


def loso_scores(x: np.ndarray, y: np.ndarray, index: dict[str, int], folds: list[Fold],
                table: pd.DataFrame, seed: int) -> dict[str, dict[str, float]]:
    """LOSO, predictions pooled over folds: {kernel: {'test': UA}} plus the per-fold validation choice.

    The validation choice carves validation speakers from each fold's training speakers, picks the kernel
    there and scores that kernel's full-training model on the held-out speaker ('val-selected' kernel).
    """
    y_true, pooled, chosen = [], {k: [] for k in KERNELS}, []
    for fold in folds:
        tr = np.array([index[u] for u in fold.train])
        te = np.array([index[u] for u in fold.test])
        preds = kernel_predictions(x[tr], y[tr], {"test": x[te]})
        inner = carve_validation(fold, table, frac=0.1, seed=seed, by_speaker=True)
        itr = np.array([index[u] for u in inner.train])
        iva = np.array([index[u] for u in inner.val])
        val_preds = kernel_predictions(x[itr], y[itr], {"val": x[iva]})
        best = max(KERNELS, key=lambda k: unweighted_accuracy(y[iva], val_preds[k]["val"]))
        y_true.append(y[te])
        for k in KERNELS:
            pooled[k].append(preds[k]["test"])
        chosen.append(preds[best]["test"])
    y_all = np.concatenate(y_true)
    scores = {k: {"test": unweighted_accuracy(y_all, np.concatenate(pooled[k]))} for k in KERNELS}
    scores["val-selected"] = {"test": unweighted_accuracy(y_all, np.concatenate(chosen))}
    return scores
