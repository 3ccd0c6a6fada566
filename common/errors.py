"""User-facing errors of the suite (API.md, common.errors).

``run.py`` prints the message of any :class:`SereprodError` without a traceback and exits with status 2.
Every message names the file or directory concerned and what was expected.
"""

from __future__ import annotations


class SereprodError(Exception):
    """Base of every user-facing error."""


class CorpusLayoutError(SereprodError):
    """A corpus root does not have the layout of the distributed corpus."""


class LabelFormatError(SereprodError):
    """A label file (EmoEvaluation, ARFF, file name) does not parse."""


class AudioReadError(SereprodError):
    """An audio file is missing, truncated, corrupt or has no audio track."""

    def __init__(self, path: object, why: str) -> None:
        self.path = path
        self.why = why
        super().__init__(f"cannot read audio {path}: {why}")


class FeatureError(SereprodError):
    """Features contain NaN or inf values."""


class ConfigError(SereprodError):
    """A command-line option, profile or hyperparameter is invalid."""


class UnusableCorpusError(SereprodError):
    """A corpus gives no usable utterance, or drops more of it than a run accepts."""
