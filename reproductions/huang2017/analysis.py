"""Representation analysis: cluster inertia ratio and LDA projections (Huang §7.5, Eqs. 15-17, Fig. 3).

Any paper that probes what a layer's utterance representations encode (emotion, speaker, gender) can use
these; they know nothing about models.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis


@dataclass(frozen=True)
class Inertia:
    """Intra-cluster inertia omega_i (Eq. 15), inter-cluster omega_o (Eq. 16), rho = omega_i / omega_o (Eq. 17)."""

    omega_i: float
    omega_o: float
    rho: float


def inertia_ratio(x: np.ndarray, labels: Sequence) -> Inertia:
    """Huang §7.5: omega_i = mean over classes of the mean squared distance of members to their centre;
    omega_o = mean squared distance over ordered pairs of distinct class centres (|C|^2 - |C| pairs);
    rho = omega_i / omega_o (smaller = better clustering). ``x`` is (n, d) original representations."""
    x = np.asarray(x, dtype=np.float64)
    labels = np.asarray(labels)
    if x.ndim != 2 or len(x) != len(labels):
        raise ValueError(f"expected (n, d) representations and n labels, got {x.shape} and {len(labels)}")
    classes = np.unique(labels)
    if len(classes) < 2:
        raise ValueError("the inertia ratio needs at least two classes")
    centres = np.stack([x[labels == c].mean(axis=0) for c in classes])
    omega_i = float(np.mean([np.mean(np.sum((x[labels == c] - centres[k]) ** 2, axis=1))
                             for k, c in enumerate(classes)]))
    d2 = np.sum((centres[:, None, :] - centres[None, :, :]) ** 2, axis=-1)
    n = len(classes)
    omega_o = float(d2.sum() / (n * n - n))
    return Inertia(omega_i, omega_o, omega_i / omega_o if omega_o > 0 else float("inf"))


def lda_projection(x: np.ndarray, labels: Sequence) -> tuple[np.ndarray, np.ndarray, list]:
    """Huang §7.5 / Fig. 3: LDA fitted with class priors equal to the class proportions, projected onto the
    first min(N - 1, 2) discriminants. Returns (projection (n, k), class centres in the projection, classes)."""
    labels = np.asarray(labels)
    classes = list(np.unique(labels))
    k = min(len(classes) - 1, 2)
    lda = LinearDiscriminantAnalysis(n_components=k, solver="svd")
    z = lda.fit_transform(np.asarray(x, dtype=np.float64), labels)
    centres = np.stack([z[labels == c].mean(axis=0) for c in classes])
    return z, centres, classes
