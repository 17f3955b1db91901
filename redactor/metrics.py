"""Prometheus metrics of the server (``GET /metrics``). Counts and timings only: no labels
carry text, so nothing here can hold PII."""
from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client import CONTENT_TYPE_LATEST

CONTENT_TYPE = CONTENT_TYPE_LATEST
_LATENCY_BUCKETS = (
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.5, 1.0, 2.5, 5.0
)


class Metrics:
    """One registry per server, so tests can run servers side by side."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.active_sessions = Gauge(
            "redactor_active_sessions", "Open chat sessions and calls", ["kind"], registry=self.registry
        )
        self.messages = Counter(
            "redactor_messages", "Masked messages and final segments emitted", ["kind"],
            registry=self.registry,
        )
        self.audio_seconds = Counter(
            "redactor_audio_seconds", "Seconds of call audio received", registry=self.registry
        )
        self.detections = Counter(
            "redactor_detections", "Entities masked", ["entity_type"], registry=self.registry
        )
        self.failed_closed = Counter(
            "redactor_failed_closed", "Segments masked whole because detection failed",
            registry=self.registry,
        )
        self.errors = Counter(
            "redactor_client_errors", "Error replies sent to clients", ["code"], registry=self.registry
        )
        self.backlog = Gauge(
            "redactor_recognition_backlog_seconds",
            "How far speech recognition is behind the audio of the most delayed call",
            registry=self.registry,
        )
        self.call_capacity = Gauge(
            "redactor_call_capacity", "Calls admitted at once, measured or as configured",
            registry=self.registry,
        )
        self.recognition_cost = Gauge(
            "redactor_recognition_cpu_seconds_per_audio_second",
            "CPU seconds one second of call audio takes (0 until measured)", registry=self.registry,
        )
        self.shed = Counter(
            "redactor_calls_shed", "Calls ended because recognition fell behind", registry=self.registry
        )
        self.handed_over = Counter(
            "redactor_handed_over", "Connections this worker accepted and handed to a worker holding fewer",
            ["kind"], registry=self.registry,
        )
        self.latency = Histogram(
            "redactor_latency_seconds",
            "Time from receiving input to sending its masked output",
            ["stage"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )

    def count_segment(self, kind: str, entity_types: list[str], failed: bool) -> None:
        self.messages.labels(kind).inc()
        for entity_type in entity_types:
            self.detections.labels(entity_type).inc()
        if failed:
            self.failed_closed.inc()

    def observe_emitted(self, event: object) -> None:
        """Latency of a call event: from the recognizer's result to the masked text sent."""
        stage = "final" if hasattr(event, "segment") else "partial"
        self.latency.labels(stage).observe(time.monotonic() - getattr(event, "recognized_at"))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
