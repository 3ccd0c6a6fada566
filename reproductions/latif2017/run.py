"""Latif et al. 2017 reproduction: AE / VAE / CVAE latent features of 100 ms log-mel segments, LSTM classifier.

Runs Table 1 (4 emotions, leave-one-session-out, improvised / scripted / complete), Table 2 (low/mid/high arousal,
power, valence, 10-fold) and Fig. 2 (latent size sweep), with the leakage-free CVAE and speaker-independent
variants beside the faithful ones. Without --data-dir it runs on the synthetic IEMOCAP twin. See README.md.
"""

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from common.cli import Profile, build_parser, main_guard, parse_args  # noqa: E402
from reproductions.latif2017.models import DENSE_UNITS, LSTM_UNITS  # noqa: E402

PAPER = "latif2017"
PAPER_LATENT_SIZES = [32, 64, 128, 256, 512]  # §5.3 / Fig. 2
SUBSETS = ["Improvised", "Scripted", "Complete Data"]  # Table 1 rows (§4.1)
MODELS = ["ae", "vae", "cvae"]  # AE-, VAE-, CVAE-LSTM (Tables 1-2)
PROFILES = {
    # Reduced: first fold of every split, a few epochs, small LSTMs, two of the five latent sizes (128 is shared
    # with Tables 1-2); the speaker-independent Table 2 variant only in the paper profile (or --set).
    "smoke": Profile(runs=1, epochs=2, settings={
        "folds": 1, "ae_epochs": 2, "ae_batch": 256, "lstm_batch": 16, "lstm_units": 32, "dense_units": 16,
        "latent_sizes": [32, 128], "dimensional_splits": ["random"], "subsets": SUBSETS, "models": MODELS,
        "tune_model": "vae"}),
    # The paper's protocol: all 5 LOSO folds (§5.1), all 10 folds (§5.2), all latent sizes (§5.3), at most 20 LSTM
    # epochs (§4.3). One run: the paper reports single numbers. AE epoch cap and batch sizes: README assumptions.
    "paper": Profile(runs=1, epochs=20, settings={
        "folds": 0, "ae_epochs": 30, "ae_batch": 256, "lstm_batch": 32, "lstm_units": LSTM_UNITS,
        "dense_units": DENSE_UNITS, "latent_sizes": PAPER_LATENT_SIZES,
        "dimensional_splits": ["random", "speaker"], "subsets": SUBSETS, "models": MODELS, "tune_model": "vae"}),
}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(build_parser(PAPER, __doc__, PROFILES, corpora=("iemocap",)), PROFILES, argv)
    from reproductions.latif2017.experiment import run_experiment, run_tuning

    if args.tune:
        run_tuning(PAPER, args)
        return 0
    run_experiment(PAPER, args)
    return 0


if __name__ == "__main__":
    main_guard(main)
