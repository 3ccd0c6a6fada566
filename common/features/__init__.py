"""Feature extraction shared by the five papers (API.md, common.features)."""

from common.audio import int16_to_float, resample
from common.features.framing import frame_signal, pad_or_crop, slice_windows, splice, stack_frames
from common.features.functionals import (
    FEATURE_SETS,
    opensmile_feature_sets,
    opensmile_functionals,
    opensmile_functionals_batch,
)
from common.features.kaldi import kaldi_fbank, kaldi_mfcc
from common.features.normalisation import check_finite, speaker_znorm
from common.features.spectral import log_mel_spectrogram, mfcc

__all__ = [
    "FEATURE_SETS",
    "check_finite",
    "frame_signal",
    "int16_to_float",
    "kaldi_fbank",
    "kaldi_mfcc",
    "log_mel_spectrogram",
    "mfcc",
    "opensmile_feature_sets",
    "opensmile_functionals",
    "opensmile_functionals_batch",
    "pad_or_crop",
    "resample",
    "slice_windows",
    "speaker_znorm",
    "splice",
    "stack_frames",
]
