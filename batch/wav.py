"""WAV call recordings in: the RIFF header, then the audio streamed in chunks.

Python's ``wave`` reads PCM only; telephony archives are often G.711 (μ-law, format 7; A-law,
format 6), sometimes in WAVE_FORMAT_EXTENSIBLE. A header that cannot be used raises
:class:`WavError` naming what is wrong (sizes, format codes), never audio content.
"""
from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from audio.codecs import Encoding

_FORMATS = {(1, 16): "pcm_s16le", (7, 8): "mulaw", (6, 8): "alaw"}
_EXTENSIBLE = 0xFFFE
_UNKNOWN_SIZE = 0xFFFFFFFF  # written by recorders that never went back to patch the header


class WavError(ValueError):
    """Not a WAV file this reader can use."""


@dataclass(frozen=True)
class WavInfo:
    encoding: Encoding
    sample_rate: int
    channels: int
    data_offset: int
    data_bytes: int  # whole frames only; less than the header says when the file is cut short
    truncated: bool  # the file ends before its data chunk does

    @property
    def bytes_per_frame(self) -> int:
        return self.channels * (2 if self.encoding == "pcm_s16le" else 1)

    @property
    def duration_s(self) -> float:
        return self.data_bytes / self.bytes_per_frame / self.sample_rate


def read_wav_info(path: Path) -> WavInfo:
    file_size = path.stat().st_size
    with open(path, "rb") as wav:
        riff = wav.read(12)
        if len(riff) < 12 or riff[:4] != b"RIFF" or riff[8:12] != b"WAVE":
            raise WavError("not a RIFF/WAVE file")
        fmt: tuple[int, int, int, int] | None = None
        while True:
            header = wav.read(8)
            if len(header) < 8:
                raise WavError("no data chunk" if fmt else "no fmt chunk")
            chunk_id, size = header[:4], struct.unpack("<I", header[4:])[0]
            if chunk_id == b"fmt ":
                fmt = _format(wav.read(size))
            elif chunk_id == b"data":
                if fmt is None:
                    raise WavError("data chunk before the fmt chunk")
                return _info(fmt, wav.tell(), size, file_size)
            else:
                wav.seek(size + (size & 1), 1)  # chunks are padded to an even size


def _format(body: bytes) -> tuple[int, int, int, int]:
    if len(body) < 16:
        raise WavError(f"fmt chunk of {len(body)} bytes is too short")
    tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", body[:16])
    if tag == _EXTENSIBLE and len(body) >= 26:
        tag = struct.unpack("<H", body[24:26])[0]  # first two bytes of the sub-format GUID
    return tag, channels, rate, bits


def _info(fmt: tuple[int, int, int, int], offset: int, size: int, file_size: int) -> WavInfo:
    tag, channels, rate, bits = fmt
    encoding = _FORMATS.get((tag, bits))
    if encoding is None:
        raise WavError(f"unsupported WAV format {tag} with {bits}-bit samples "
                       "(16-bit PCM, 8-bit μ-law or A-law are read)")
    if channels < 1 or rate < 1000:
        raise WavError(f"implausible header: {channels} channels at {rate} Hz")
    available = max(file_size - offset, 0)
    declared = available if size in (0, _UNKNOWN_SIZE) else size
    data = min(declared, available)
    frame = channels * (2 if encoding == "pcm_s16le" else 1)
    return WavInfo(encoding, rate, channels, offset, data - data % frame, declared > available)


def stream_audio(path: Path, info: WavInfo, seconds: float) -> Iterator[bytes]:
    """The data chunk in pieces of ``seconds`` (whole frames), read as needed."""
    step = max(1, round(seconds * info.sample_rate)) * info.bytes_per_frame
    with open(path, "rb") as wav:
        wav.seek(info.data_offset)
        remaining = info.data_bytes
        while remaining > 0:
            chunk = wav.read(min(step, remaining))
            if not chunk:
                return
            remaining -= len(chunk)
            yield chunk

