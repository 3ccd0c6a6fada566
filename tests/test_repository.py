"""The repository's own promises: README commands, CI script, Dockerfile, layout."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN_COMMAND = "pip install -r requirements.txt && python reproductions/khorram2017/run.py"
TEST_COMMAND = "pip install -r requirements.txt && python -m pytest -q"


def test_layout() -> None:
    for item in ("requirements.txt", "README.md", "reproductions", "common", "tests", "results", "Dockerfile",
                 ".ci/run"):
        assert (ROOT / item).exists(), item


def test_readme_has_the_two_setup_commands_and_they_point_at_real_files() -> None:
    readme = (ROOT / "README.md").read_text()
    assert RUN_COMMAND in readme and TEST_COMMAND in readme
    assert (ROOT / "reproductions" / "khorram2017" / "run.py").is_file()


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert TEST_COMMAND in ci
    assert "venv" in ci and "set -euo pipefail" in ci


def test_requirements_are_exact_pins() -> None:
    lines = [ln.split("#")[0].strip() for ln in (ROOT / "requirements.txt").read_text().splitlines()]
    pins = [ln for ln in lines if ln]
    assert pins and all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][0-9A-Za-z.\-+]*", p) for p in pins), pins
    names = {p.split("==")[0].lower() for p in pins}
    assert {"tensorflow-cpu", "keras", "keras-tuner", "tensorboard", "kaldi-native-fbank", "opensmile"} <= names


def test_dockerfile_uses_a_pinned_tensorflow_gpu_image_and_the_same_requirements() -> None:
    lines = [ln.strip() for ln in (ROOT / "Dockerfile").read_text().splitlines() if ln.strip() and
             not ln.lstrip().startswith("#")]
    instructions = [ln.split()[0] for ln in lines if not ln.startswith("&&")]
    assert instructions[0] == "FROM"
    image = lines[0].split()[1]
    assert re.fullmatch(r"tensorflow/tensorflow:\d+\.\d+\.\d+-gpu", image), image
    tf_pin = next(ln for ln in (ROOT / "requirements.txt").read_text().splitlines() if ln.startswith("tensorflow-cpu"))
    assert image.split(":")[1].removesuffix("-gpu") == tf_pin.split("==")[1], "image and pin must be the same TF"
    assert "COPY requirements.txt" in "\n".join(lines)
    install = next(ln for ln in lines if ln.startswith("RUN"))
    assert "requirements.txt" in install
    assert set(instructions) <= {"FROM", "WORKDIR", "COPY", "RUN", "ARG", "ENV", "VOLUME", "CMD", "&&"}
