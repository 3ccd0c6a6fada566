"""Shared foundation of the sereprod reproductions: corpora, features, metrics, results, training, tuning.

Importing ``common`` pins the Keras backend to TensorFlow and quiets TensorFlow's C++ start-up log
unless the user set these variables themselves.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
