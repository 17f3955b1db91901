"""One call, end to end: audio frames in; masked partials and finals out; masked segments
stored; a redacted recording written as the call goes.

Blocking (decoding, Kaldi, the engine, the database): the server runs each call's pipeline on a
worker thread, one frame at a time, so a call's events keep their order.

The recording only ever receives audio whose words are final: audio up to the last utterance
end of every channel is written with PII spans hidden; the rest waits in memory.

Before recognition and the recording, every frame goes through :class:`audio.guard.CallGuard`:
keypad tones and paused spans become silence there, so neither Vosk nor the recording ever
has them. A run of keypad activity (tones found in the audio, or DTMF events a platform
reports) becomes one ``<DTMF>`` entry in the transcript, a pause one ``<PAUSED>`` entry, each
with its times; the digits go nowhere.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from redactor.protocol import CallStart, check_audio
from redactor.errors import StorageError
from redactor.storage import Recording, Segment, Storage
from redactor.transcript import DTMF_ENTITY, PAUSED_ENTITY, CallTranscript, MaskedAlternative, MaskedFinal

from .codecs import AudioFormatError, Resampler, decode, encode_pcm16
from .dtmf import KeypadRuns
from .guard import CallGuard, Released
from .recording import RecordingInfo, RedactedRecording, recover_partial
from .transcriber import Final, Partial, Recognition, SpeechModel, StreamingTranscriber


@dataclass(frozen=True)
class MaskedPartial:
    channel: int
    speaker: str
    text: str
    recognized_at: float = 0.0  # time.monotonic() when the recognizer returned it


CallEvent = MaskedPartial | MaskedFinal
# Word times can fall a frame or two before the utterance end that Vosk reported; audio that
# close to the final point stays in memory, so a late span never lands on written audio.
COMMIT_MARGIN_S = 1.0
PAUSE_SPEAKER = "call"  # a pause silences every channel
KEY_PAD_S = 0.25  # around a platform's DTMF event: where its tone may sound


class CallPipeline:
    def __init__(
        self,
        start: CallStart,
        model: SpeechModel,
        transcript: CallTranscript,
        recording: RedactedRecording | None,
        store: Callable[[Segment], None],
        phrases: Sequence[str] | None = None,
        max_alternatives: int = 0,
        partials: bool = True,
    ) -> None:
        self.start = start
        self._transcript = transcript
        self._recording = recording
        self._store = store
        self._resamplers = [Resampler(start.sample_rate, model.sample_rate) for _ in range(start.channels)]
        self._transcribers = [StreamingTranscriber(model, phrases, max_alternatives, partials)
                              for _ in range(start.channels)]
        self._guard = CallGuard(start.sample_rate, start.channels)
        self._keypad = KeypadRuns()
        self._tones: list[tuple[float, float, str]] = []  # recent tone spans, for masking words
        self._model_rate = model.sample_rate
        self._fed = [0] * start.channels  # samples given to each recognizer, at the model rate
        self._final_until = [0.0] * start.channels  # seconds of each channel whose words are final
        self.audio_seconds = 0.0
        self.cpu_seconds = 0.0  # this call's recognition, masking and recording (admission control)

    def feed(self, payload: bytes) -> list[CallEvent]:
        """Decode one frame and run it through. A frame that is not whole samples raises
        ProtocolError before anything of it is kept."""
        started = time.thread_time()  # Kaldi runs on this thread: its CPU is counted too
        check_audio(payload, self.start.bytes_per_frame)
        frames = decode(payload, self.start.encoding, self.start.channels)  # (n, channels) int16
        try:
            return self._run(self._guard.push(frames))
        finally:
            self.audio_seconds += len(frames) / self.start.sample_rate
            self.cpu_seconds += time.thread_time() - started

    def feed_silence(self, seconds: float) -> list[CallEvent]:
        """Audio the platform dropped (AudioHook's ``discarded``): silence keeps times true."""
        frames = np.zeros((round(seconds * self.start.sample_rate), self.start.channels), dtype=np.int16)
        return self._run(self._guard.push(frames)) if len(frames) else []

    @property
    def paused(self) -> bool:
        return self._guard.paused

    @property
    def position_s(self) -> float:
        """Seconds of call audio received so far."""
        return self._guard.position_s

    def set_language(self, lang: str) -> None:
        """The platform says the call's language changed: detection from now on uses it."""
        self._transcript.set_language(lang)  # type: ignore[arg-type]

    def pause(self) -> bool:
        """From now on audio is silence, neither recognised nor recorded, until :meth:`resume`;
        the paused span becomes a ``<PAUSED>`` entry. False if already paused."""
        return self._guard.pause()

    def resume(self) -> bool:
        return self._guard.resume()

    def keypad(self, channel: int, at_s: float | None = None) -> list[CallEvent]:
        """A DTMF key a platform reported (its digit is not even given here). Its tone may
        be in the audio too, where the guard may not have found it: the time around the key
        is silenced in the recording and words recognised there are masked."""
        at = self.position_s if at_s is None else at_s
        start, end = max(at - KEY_PAD_S, 0.0), at + KEY_PAD_S
        self._tones.append((start, end, DTMF_ENTITY))
        if self._recording is not None and end > self._recording.committed_s:
            self._recording.redact(max(start, self._recording.committed_s), end)
        return self._markers(self._keypad.add(channel, at, at))

    def finish(self) -> tuple[list[MaskedFinal], RecordingInfo | None]:
        """End of call (stop, disconnect or shutdown): flush every channel, close the recording."""
        events = self._run(self._guard.flush())
        finals = [e for e in events if isinstance(e, MaskedFinal)]
        for channel, transcriber in enumerate(self._transcribers):
            tail = self._resamplers[channel].flush()
            self._fed[channel] += len(tail)
            results = transcriber.accept(encode_pcm16(tail)) if len(tail) else []
            events = self._handle(channel, results + transcriber.finish())
            finals += [e for e in events if isinstance(e, MaskedFinal)]
        finals += self._markers(self._keypad.flush())
        info = self._recording.close() if self._recording is not None else None
        return finals, info

    def _run(self, released: Released) -> list[CallEvent]:
        """Released audio to the recording and the recognizers; tones and pauses noted."""
        events: list[CallEvent] = []
        for tone in released.tones:
            self._tones.append((tone.start, tone.end, DTMF_ENTITY))
            events += self._markers(self._keypad.add(tone.channel, tone.start, tone.end))
        frames = released.frames
        if self._recording is not None and len(frames):
            self._recording.append(frames)
        for channel, transcriber in enumerate(self._transcribers):
            pcm = self._resamplers[channel].process(frames[:, channel])
            self._fed[channel] += len(pcm)
            events += self._handle(channel, transcriber.accept(encode_pcm16(pcm)) if len(pcm) else [])
        for pause in released.pauses:
            events.append(self._marker(PAUSE_SPEAKER, PAUSED_ENTITY, pause.start, pause.end))
        events += self._markers(self._keypad.close_before(released.start + len(frames) / self.start.sample_rate))
        if self._recording is not None:
            self._recording.commit(max(min(self._final_until) - COMMIT_MARGIN_S, 0.0))
        return events

    def _markers(self, runs: list[tuple[int, float, float]]) -> list[CallEvent]:
        return [self._marker(self.start.speakers[ch], DTMF_ENTITY, start, end) for ch, start, end in runs]

    def _marker(self, speaker: str, entity_type: str, start: float, end: float) -> MaskedFinal:
        marker = self._transcript.marker(speaker, entity_type, start, end)
        self._store(marker.segment)
        return marker

    def end_utterances(self) -> list[MaskedFinal]:
        """Close the utterance in progress on every channel (vosk-server's reset)."""
        finals: list[MaskedFinal] = []
        for channel, transcriber in enumerate(self._transcribers):
            finals += [e for e in self._handle(channel, transcriber.finish()) if isinstance(e, MaskedFinal)]
        return finals

    def _handle(self, channel: int, results: list[Recognition]) -> list[CallEvent]:
        recognized_at = time.monotonic()
        return [event for r in results if (event := self._masked(channel, r, recognized_at)) is not None]

    def _masked(self, channel: int, result: Recognition, recognized_at: float) -> CallEvent | None:
        speaker = self.start.speakers[channel]
        if isinstance(result, Partial):
            text = self._transcript.partial(channel, result.text)
            return MaskedPartial(channel, speaker, text, recognized_at)
        assert isinstance(result, Final)
        self._final_until[channel] = self._fed[channel] / self._model_rate
        if not result.words:  # an utterance end in silence: only moves the final point
            return None
        first = result.words[0].start
        self._tones = [t for t in self._tones if t[1] >= first - COMMIT_MARGIN_S]
        final = replace(self._transcript.final(channel, result.words, self._tones), recognized_at=recognized_at)
        if len(result.alternatives) > 1:
            best, *others = result.alternatives
            final = replace(final, alternatives=(
                MaskedAlternative(final.segment.text, final.words, best.confidence),
                *(self._transcript.alternative(channel, alt.words, alt.confidence, final, self._tones)
                  for alt in others)))
        if self._recording is not None:
            for start_s, end_s in final.redacted_spans:
                self._recording.redact(start_s, end_s)
        self._store(final.segment)
        return final


logger = logging.getLogger("redactor.recovery")
UNKNOWN_CALL = "unknown"  # a recovered file whose row never made it into the database


def recover_interrupted_recordings(storage: Storage, directory: Path) -> list[Recording]:
    """After a crash (kill -9, power loss): finish every ``.wav.part`` (or sealed
    ``.wav.enc.part``, recovered without its key) in ``directory``, register
    it with its call (from the row written when the call started) as "interrupted", and mark
    rows whose file is gone the same way. Returns what was recovered; logs it by file name
    (server-made ids, never a client's) and duration only."""
    # Only this directory's: another server sharing the database has its own live calls.
    pending = {Path(row.path): row for row in storage.unfinished_recordings()
               if Path(row.path).parent.resolve() == directory.resolve()}
    recovered: list[Recording] = []
    for partial in sorted([*directory.glob("*.wav.part"), *directory.glob("*.wav.enc.part")]):
        try:
            info = recover_partial(partial)
        except (AudioFormatError, OSError) as error:
            logger.error("could not recover %s: %s", partial.name, type(error).__name__)
            continue
        row = pending.pop(info.path, None)
        base = row or Recording(UNKNOWN_CALL, str(info.path), info.sample_rate, info.channels, 0.0,
                                info.mode, ())
        recovered.append(replace(base, duration_s=info.duration_s, status="interrupted"))
    recovered += [replace(row, status="interrupted") for row in pending.values()]  # no audio left
    for recording in recovered:
        try:
            storage.save_recording(recording)
        except StorageError as error:
            logger.error("recovered recording %s not registered: %s", Path(recording.path).name, error)
    if recovered:
        logger.warning("recovered %d interrupted call recording(s) after an unclean stop: %s",
                       len(recovered), ", ".join(f"{Path(r.path).name} ({r.duration_s:.1f} s)"
                                                 for r in recovered))
    return recovered
