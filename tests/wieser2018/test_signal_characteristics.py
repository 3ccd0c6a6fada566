"""Table 6 procedures on signals whose answers are known."""

import numpy as np

from reproductions.wieser2018.signal_characteristics import characteristics

SR = 16000


def test_sine_with_pauses():
    t = np.arange(SR * 2) / SR
    x = 0.01 * np.sin(2 * np.pi * 1000 * t)
    x[int(0.5 * SR):int(0.7 * SR)] = 0.0          # one 200 ms pause
    x[int(1.5 * SR):] = 0.0                         # silence after 1.5 s
    c = characteristics(x, SR)
    assert abs(c["Max. amplitude"] - 0.01) < 1e-4 and abs(c["Min. amplitude"] + 0.01) < 1e-4
    assert c["Dom. f. low (kHz)"] <= 1.0 <= c["Dom. f. high (kHz)"] and c["Dom. f. high (kHz)"] < 1.2
    assert abs(c["Pause d. (ms)"] - 180) <= 20     # 200 ms less the 25 ms frames' overlap
    assert abs(c["Voiced s. (s)"] - 1.5) <= 0.03
    rms = np.sqrt(np.mean(x ** 2))
    assert abs(c["Loudness (dBFS)"] - 20 * np.log10(rms)) < 1e-6
