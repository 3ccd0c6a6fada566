"""§4.2 on the Ses03-F fold's ELoR: saliency correlations (§4.2.1), generalised inputs + Table 6 (§4.2.2)."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from reproductions.wieser2018.activation_maximisation import (
    ActivationMaximiser,
    dbfs_to_rms,
    neuron_score_model,
    training_loudness_dbfs,
)
from reproductions.wieser2018.data import Samples, WieserData
from reproductions.wieser2018.hyperparameters import DIMENSIONS, N_CLASSES, SALIENCY_SPEAKER, SAMPLE_RATE
from reproductions.wieser2018.models import build_network, network_config
from reproductions.wieser2018.plots import plot_fig4, plot_fig5
from reproductions.wieser2018.protocol import COLUMN, fit_network, weights_path
from reproductions.wieser2018.saliency import guided_logits_model, saliency_correlations, saliency_maps
from reproductions.wieser2018.signal_characteristics import characteristics

log = logging.getLogger(__name__)


def trained_elor(session, samples: Samples, fold, fit):
    """The faithful ELoR of this fold (run 0) from its saved weights, retrained if they are missing."""
    config = session.config("ELoR", {})
    path = weights_path(session.unit_root, fold.name, 0)  # named by the unit identity
    if not path.is_file():
        net, _, _ = fit_network(session, samples, "ELoR", "faithful", config, fold.train, session.seed, fit)
        return net
    net = build_network(network_config("ELoR", session.settings, config), samples)
    net.load_weights(path)
    return net


def unpadded_lengths(waves: np.ndarray) -> np.ndarray:
    """Samples up to the last non-zero value (the zero padding of §3.2 is left out of the correlations)."""
    nz = waves != 0
    return np.where(nz.any(axis=1), waves.shape[1] - np.argmax(nz[:, ::-1], axis=1), waves.shape[1])


def ascent_level_dbfs(setting: float | None, samples: Samples, fold) -> float:
    """The ascent's RMS level (dBFS): ``--set am_level_dbfs`` when given, else the fold's training loudness."""
    return float(setting) if setting is not None else training_loudness_dbfs(samples.waveforms, fold.train)


def visualisations(session, samples: Samples, fold, fit) -> dict[str, Any]:
    """Everything §4.2 reports, as a unit payload (arrays + JSON-able numbers)."""
    s = session.settings
    net = trained_elor(session, samples, fold, fit)
    rows = fold.test[: s.saliency_samples] if s.saliency_samples else fold.test
    waves = samples.waveforms[rows]
    maps = saliency_maps(guided_logits_model(net), waves)
    corr, counted = saliency_correlations(waves, maps, unpadded_lengths(waves))
    example = int(np.argmax(np.abs(waves).mean(axis=1)))
    level = ascent_level_dbfs(s.am_level_dbfs, samples, fold)
    payload: dict[str, Any] = {"correlations": corr, "n_saliency": len(rows), "n_correlated": counted,
                               "example_wave": waves[example], "am_level_dbfs": level,
                               **{f"example_{d}": maps[d][example] for d in DIMENSIONS}}
    table6: dict[str, dict[str, float]] = {}
    for d in DIMENSIONS:
        ascent = ActivationMaximiser(neuron_score_model(net, d), waves.shape[1], s.am_lambda, dbfs_to_rms(level))
        signals, gains = [], []
        for c in range(N_CLASSES):
            x, hist = ascent.run(c, s.am_steps, s.am_init_std, session.seed + c)
            signals.append(x)
            gains.append(hist[-1] - hist[0])
            table6[f"{d.capitalize()} {c}"] = characteristics(x, SAMPLE_RATE)
        payload[f"am_{d}"] = np.stack(signals)
        payload[f"am_gain_{d}"] = np.array(gains)
    payload["table6"] = table6
    return payload


def section42(session, data: WieserData):
    """§4.2.1 correlations, Table 6 characteristics and the Fig. 4 / Fig. 5 plots."""
    from common.engine import Row

    samples, folds = data.samples, data.folds
    fold = next((f for f in folds if SALIENCY_SPEAKER in f.name), folds[0])
    level = session.settings.am_level_dbfs  # in the key: a payload measured under another level is not reused
    vis = session.unit(("visualisation", fold.name, f"level {level}"),
                       lambda fit: visualisations(session, samples, fold, fit))
    hp = session.hp_source("ELoR")
    corr, n = vis["correlations"], int(vis["n_saliency"])

    def note(key: str) -> str:
        return (f"ELoR of test fold {fold.name}, mean over the {int(vis['n_correlated'][key])} of {n} samples "
                "whose saliency map varies (a constant map has no correlation)")
    for d in DIMENSIONS:
        yield Row("§4.2.1", COLUMN[d], "r(|x|; saliency)", "pearson", corr[d], note=note(d), hp_source=hp)
    yield Row("§4.2.1", "Arousal vs valence", "r(saliency maps)", "pearson", corr["arousal_vs_valence"],
              note=note("arousal_vs_valence"), hp_source=hp)
    level = float(vis["am_level_dbfs"])
    for column, chars in vis["table6"].items():
        for row, value in chars.items():
            extra = (f"; bounded by the ascent's {level:.1f} dBFS level"
                     if row in ("Loudness (dBFS)", "Min. amplitude", "Max. amplitude") else "")
            yield Row("Table 6", row, column, "value", value, hp_source=hp,
                      note=f"generalised input, ELoR of fold {fold.name}{extra}")
    session.save_figure(plot_fig4(vis["example_wave"], vis["example_arousal"],
                                  f"Guided-backprop saliency (arousal), fold {fold.name}"),
                        "fig4_saliency_arousal.png", dpi=110)
    session.save_figure(plot_fig5({d: vis[f"am_{d}"] for d in DIMENSIONS},
                                  f"Generalised inputs by activation maximisation, ELoR of fold {fold.name}"),
                        "fig5_generalised_inputs.png", dpi=100)
    for d in DIMENSIONS:
        gains = ", ".join(f"{g:+.3g}" for g in np.asarray(vis[f"am_gain_{d}"])[:N_CLASSES])
        log.info("activation maximisation %s: score gain per label %s", d, gains)
