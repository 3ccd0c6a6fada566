"""What a run keeps of each trained unit for people to read: predictions, TensorBoard logs, the Keras model.

``Outputs`` is an :class:`~common.engine.unit.Observer`: it adds its callbacks to every ``fit`` a unit's
:class:`~common.engine.unit.Fit` schedules and, when a stored unit is finished (computed or reused), writes

- ``<out>/predictions/<unit>.csv``: the per-utterance arrays of the unit's payload, one row per utterance
  (:func:`prediction_tables`);
- ``<out>/tensorboard/<unit>/``: the event files of each training (``--tensorboard``);
- ``<out>/models/<unit>.keras``: the model the unit's last training kept (unless ``--no-save-models``).

``<unit>`` is the unit's ledger key joined by ``-`` through :func:`common.paths.slug`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from common.atomic import atomic_write_text
from common.engine.unit import Observer, Payload
from common.paths import slug

log = logging.getLogger(__name__)

#: payload-key tokens (split on ``_`` and ``:``) that name a per-utterance array, by the column it becomes
ROLES: dict[str, frozenset[str]] = {
    "id": frozenset({"id", "ids", "utt", "utterance"}),
    "speaker": frozenset({"speaker", "speakers", "group", "groups"}),
    "fold": frozenset({"fold", "folds"}),
    "label": frozenset({"true"}),
    "prediction": frozenset({"pred", "prediction", "predictions"}),
    "scores": frozenset({"scores", "proba", "probs", "logits"}),
}
PREDICTED = ("prediction", "scores")
#: key tokens that name the set an array belongs to (its rows are that set's utterances or frames)
SETS = frozenset({"train", "dev", "val", "validation", "test"})


def unit_name(key: Sequence[Any]) -> str:
    """The file name of unit ``key``: ``("tables", "faithful", 0)`` -> ``tables-faithful-0``."""
    return slug("-".join(map(str, key)))


def _tokens(name: str) -> set[str]:
    return set(re.split(r"[_:]+", name.lower()))


def _role(name: str) -> str | None:
    if name.startswith("curve:"):
        return None
    tokens = _tokens(name)
    return next((role for role, words in ROLES.items() if tokens & words), None)


def prediction_tables(payload: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    """The payload's per-utterance arrays as tables, one per predicted set: arrays whose key names a set
    (:data:`SETS`, as ``dev_pred``, ``dev_true``) go together, the others by their length. Keyed by the set's name,
    else by the first prediction key of the table ('' when there is only one table).

    An array is per-utterance when a token of its key names a role (:data:`ROLES`) and its set and length are those
    of a prediction (or score) array; a role held by one array becomes the column ``id``, ``speaker``, ``fold``,
    ``label``, ``prediction`` or ``scores``, several keep their payload keys; a 2-D array (class scores) gives one
    column per class (``<name>:<class>``). ``row`` is the position in the payload's order. No prediction array: no
    table."""
    arrays: dict[str, tuple[str, tuple[str, int], np.ndarray]] = {}
    for name, value in payload.items():
        role = _role(name)
        if role is None or isinstance(value, str | bytes) or np.ndim(value) not in (1, 2):
            continue
        named = sorted(_tokens(name) & SETS)
        arrays[name] = (role, (named[0] if named else "", len(value)), np.asarray(value))
    groups = list(dict.fromkeys(group for r, group, _ in arrays.values() if r in PREDICTED))
    set_names = [name for name, _ in groups]
    tables = {}
    for group in groups:
        members = {name: (role, a) for name, (role, g, a) in arrays.items() if g == group}
        counts = {role: sum(r == role for r, _ in members.values()) for role in ROLES}
        columns: dict[str, Any] = {"row": np.arange(group[1])}
        for role in ROLES:
            for name, (r, a) in members.items():
                if r != role:
                    continue
                column = role if counts[role] == 1 else name
                if a.ndim == 1:
                    columns[column] = a
                else:
                    columns.update({f"{column}:{j}": a[:, j] for j in range(a.shape[1])})
        first = next(name for name, (r, _) in members.items() if r in PREDICTED)
        label = group[0] if group[0] and set_names.count(group[0]) == 1 else first
        tables["" if len(groups) == 1 else label] = pd.DataFrame(columns)
    return tables


def write_predictions(folder: Path, key: Sequence[Any], payload: Mapping[str, Any]) -> list[Path]:
    """``<folder>/<unit>.csv`` (or ``<unit>-<set or prediction key>.csv`` per set) for each table of the payload."""
    paths = []
    for suffix, table in prediction_tables(payload).items():
        path = folder / f"{unit_name(key)}{'-' + slug(suffix) if suffix else ''}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, table.to_csv(index=False))
        paths.append(path)
    return paths


class Outputs(Observer):
    """Writes the predictions of every stored unit and, for its trainings, TensorBoard logs and the Keras model."""

    def __init__(self, out: Path, tensorboard: bool = False, save_models: bool = False) -> None:
        self.out = Path(out)
        self.tensorboard = tensorboard
        self.save_models = save_models
        self._models: dict[tuple, Any] = {}  # the last Keras model each unit trained

    def callbacks(self, key: tuple, part: tuple) -> list:
        """A TensorBoard writer into ``<out>/tensorboard/<unit>[-<training>]/`` and a hook that notes the model."""
        import keras

        more: list = []
        if self.tensorboard:
            more.append(keras.callbacks.TensorBoard(str(self.out / "tensorboard" / unit_name((*key, *part)))))
        if self.save_models:
            more.append(_note_model(self._models, key))
        return more

    def finished(self, key: tuple, payload: Payload, computed: bool) -> None:
        write_predictions(self.out / "predictions", key, payload)
        model = self._models.pop(key, None)
        if computed and model is not None:
            path = self.out / "models" / f"{unit_name(key)}.keras"
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"tmp-{path.name}")  # Keras wants the .keras suffix
            try:
                model.save(tmp)
            except (TypeError, ValueError, NotImplementedError) as e:  # a layer Keras cannot serialise
                log.warning("unit %s: its model could not be saved as .keras (%s)", unit_name(key), e)
                return
            tmp.replace(path)


def _note_model(models: dict[tuple, Any], key: tuple) -> Any:
    import keras

    class NoteModel(keras.callbacks.Callback):
        """Keeps a reference to the model a unit trains; it is saved once the unit is finished (after the
        trainings' own callbacks restored their best weights)."""

        def on_train_begin(self, logs: dict | None = None) -> None:
            models[key] = self.model

    return NoteModel()

