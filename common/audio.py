"""Audio I/O shared by every corpus reader (API.md, common.audio).

Everything is returned as mono float32 in [-1, 1] at ``TARGET_SR`` (16 kHz) unless asked otherwise;
wav/flac go through soundfile, the audio track of ``.avi`` files (eNTERFACE'05) through PyAV,
whose wheels bundle FFmpeg (shared/notes/environment.md), so no system ffmpeg is needed.
"""

from __future__ import annotations

import os
import struct
import wave
from fractions import Fraction
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

from common.atomic import atomic_path
from common.errors import AudioReadError

TARGET_SR = 16000
VIDEO_SUFFIXES = {".avi", ".mp4", ".mkv", ".mov"}


def int16_to_float(x: np.ndarray) -> np.ndarray:
    """int16 PCM -> float32 in [-1, 1) (x / 32768)."""
    return (np.asarray(x, dtype=np.float32) / 32768.0).astype(np.float32)


def resample(x: np.ndarray, sr_in: int, sr_out: int) -> np.ndarray:
    """Polyphase resampling (scipy ``resample_poly``) of a 1-D signal; float32 out."""
    x = np.asarray(x, dtype=np.float32)
    if sr_in == sr_out:
        return x
    ratio = Fraction(int(sr_out), int(sr_in))
    return resample_poly(x, ratio.numerator, ratio.denominator).astype(np.float32)


def _check_wav_complete(path: Path) -> None:
    """Raise if a RIFF/WAVE header declares more data than the file holds (a truncated copy).

    libsndfile silently reads what is there, so truncation would otherwise go unnoticed.
    """
    size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return  # not RIFF/WAVE (e.g. RF64, flac): soundfile decides
        while True:
            chunk = f.read(8)
            if len(chunk) < 8:
                return
            cid, clen = chunk[:4], struct.unpack("<I", chunk[4:])[0]
            if cid == b"data":
                have = size - f.tell()
                if clen != 0xFFFFFFFF and have < clen:
                    raise AudioReadError(
                        path, f"truncated: the header declares {clen} data bytes, the file holds {have}"
                    )
                return
            f.seek(clen + (clen & 1), os.SEEK_CUR)


def _frame_to_mono(frame) -> np.ndarray:
    """One decoded PyAV audio frame -> mono float32 (planar or packed, integer or float samples)."""
    arr = frame.to_ndarray()
    channels = len(frame.layout.channels)
    if not frame.format.is_planar:
        arr = arr.reshape(-1, channels).T
    if arr.dtype.kind == "i":
        arr = arr.astype(np.float32) / float(np.iinfo(arr.dtype).max + 1)
    elif arr.dtype.kind == "u":
        arr = (arr.astype(np.float32) - 128.0) / 128.0
    return arr.astype(np.float32).mean(axis=0)


def _decode_av(path: Path) -> tuple[np.ndarray, int]:
    """Decode the first audio track of a container with PyAV -> (mono float32, sample_rate)."""
    import av  # imported lazily: only eNTERFACE needs it

    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise AudioReadError(path, "the container has no audio track")
            stream = container.streams.audio[0]
            sr = int(stream.rate or stream.codec_context.sample_rate)
            chunks = [_frame_to_mono(frame) for frame in container.decode(stream)]
    except AudioReadError:
        raise
    except (av.FFmpegError, OSError, ValueError) as e:
        raise AudioReadError(path, f"PyAV could not decode it ({e})") from e
    if not chunks:
        raise AudioReadError(path, "the audio track holds no samples")
    return np.concatenate(chunks).astype(np.float32), sr


def _read(path: Path) -> tuple[np.ndarray, int]:
    if not path.is_file():
        raise AudioReadError(path, "no such file")
    if path.suffix.lower() in VIDEO_SUFFIXES:
        return _decode_av(path)
    _check_wav_complete(path)
    try:
        x, sr = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError) as e:
        raise AudioReadError(path, f"soundfile could not decode it ({e})") from e
    if x.shape[0] == 0:
        raise AudioReadError(path, "it holds no samples")
    return x.mean(axis=1).astype(np.float32), int(sr)


def load_audio(path: str | os.PathLike, target_sr: int = TARGET_SR) -> np.ndarray:
    """Mono float32 waveform of ``path`` resampled to ``target_sr`` (any input rate is accepted)."""
    x, sr = _read(Path(path))
    return np.clip(resample(x, sr, target_sr), -1.0, 1.0)


def audio_info(path: str | os.PathLike) -> tuple[int, int]:
    """(sample_rate, n_frames) at the file's own rate; reads only the header for wav/flac, decodes avi."""
    path = Path(path)
    if not path.is_file():
        raise AudioReadError(path, "no such file")
    if path.suffix.lower() in VIDEO_SUFFIXES:
        x, sr = _decode_av(path)
        return sr, len(x)
    _check_wav_complete(path)
    try:
        info = sf.info(str(path))
    except (sf.LibsndfileError, RuntimeError) as e:
        raise AudioReadError(path, f"soundfile could not read its header ({e})") from e
    if info.frames <= 0:
        raise AudioReadError(path, "it holds no samples")
    return int(info.samplerate), int(info.frames)


def write_wav(path: str | os.PathLike, x: np.ndarray, sr: int = TARGET_SR) -> None:
    """Write mono float (in [-1, 1]) or int16 samples as 16-bit PCM wav, atomically."""
    x = np.asarray(x)
    if x.dtype != np.int16:
        x = np.round(np.clip(x, -1.0, 32767 / 32768) * 32768).astype(np.int16)
    with atomic_path(path, durable=False) as tmp, wave.open(str(tmp), "wb") as w:  # no fsync per file
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(int(sr))
        w.writeframes(x.reshape(-1).astype("<i2").tobytes())
