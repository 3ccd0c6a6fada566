"""Shared foundation of the sereprod reproductions: corpora, features, metrics, results, training, tuning.

Importing ``common`` pins the Keras backend to TensorFlow and quiets TensorFlow's C++ start-up log
unless the user set these variables themselves. It also drops TensorFlow's "triggered tf.function retracing"
warning about Keras's own train/test/predict step functions: every new Keras model builds its own step function
and traces it once, and TensorFlow counts those traces across models (by code object), so a protocol that trains
and scores many models in one process (one per fold, run and filter length) triggers it although no function is
ever retraced. The warning for any other function still shows.
"""

import logging
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


class KerasStepRetracing(logging.Filter):
    """Drops TensorFlow's retracing warning when it names a Keras trainer's step function (see above)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ("triggered tf.function retracing" in message and "TensorFlowTrainer.make_" in message)


logging.getLogger("tensorflow").addFilter(KerasStepRetracing())
