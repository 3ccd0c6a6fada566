"""§4.2 on the Ses03-F fold's ELoR: saliency correlations (§4.2.1), generalised inputs + Table 6 (§4.2.2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from reproductions.wieser2018.activation_maximisation import ActivationMaximiser, neuron_score_model
from reproductions.wieser2018.data import Samples
from reproductions.wieser2018.hyperparameters import DIMENSIONS, N_CLASSES, SAMPLE_RATE
from reproductions.wieser2018.networks import build_network, network_config
from reproductions.wieser2018.protocol import FoldRows, train_network, weights_path
from reproductions.wieser2018.saliency import guided_logits_model, saliency_correlations, saliency_maps
from reproductions.wieser2018.signal_characteristics import characteristics


def trained_elor(samples: Samples, fold: FoldRows, args, overrides: dict[str, Any] | None):
    """The faithful ELoR of this fold (run 0) from its saved weights, retrained if they are missing."""
    path = weights_path(Path(args.out), fold.name, 0)
    if not path.is_file():
        net, _ = train_network("ELoR", "faithful", samples, fold, args.settings, args.epochs, args.seed,
                               overrides, args.verbose)
        return net
    net = build_network(network_config("ELoR", args.settings, overrides), samples)
    net.load_weights(path)
    return net


def unpadded_lengths(waves: np.ndarray) -> np.ndarray:
    """Samples up to the last non-zero value (the zero padding of §3.2 is left out of the correlations)."""
    nz = waves != 0
    return np.where(nz.any(axis=1), waves.shape[1] - np.argmax(nz[:, ::-1], axis=1), waves.shape[1])


def visualisations(samples: Samples, fold: FoldRows, args, overrides: dict[str, Any] | None) -> dict[str, Any]:
    """Everything §4.2 reports, as a ledger payload (arrays + JSON-able numbers)."""
    s = args.settings
    net = trained_elor(samples, fold, args, overrides)
    rows = fold.test[: s["saliency_samples"]] if s["saliency_samples"] else fold.test
    waves = samples.waveforms[rows]
    maps = saliency_maps(guided_logits_model(net), waves)
    corr = saliency_correlations(waves, maps, unpadded_lengths(waves))
    example = int(np.argmax(np.abs(waves).mean(axis=1)))
    payload: dict[str, Any] = {"correlations": corr, "n_saliency": len(rows), "example_wave": waves[example],
                               **{f"example_{d}": maps[d][example] for d in DIMENSIONS}}
    table6: dict[str, dict[str, float]] = {}
    for d in DIMENSIONS:
        ascent = ActivationMaximiser(neuron_score_model(net, d), waves.shape[1], s["am_learning_rate"],
                                     s["am_lambda"])
        signals, gains = [], []
        for c in range(N_CLASSES):
            x, hist = ascent.run(c, s["am_steps"], s["am_init_std"], args.seed + c)
            signals.append(x)
            gains.append(hist[-1] - hist[0])
            table6[f"{d.capitalize()} {c}"] = characteristics(x, SAMPLE_RATE)
        payload[f"am_{d}"] = np.stack(signals)
        payload[f"am_gain_{d}"] = np.array(gains)
    payload["table6"] = table6
    return payload
