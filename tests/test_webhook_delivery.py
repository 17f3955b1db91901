"""Webhook delivery over real HTTP: retried with backoff while the receiver fails, dropped and
counted when it keeps failing or refuses, in order, signed anew on each attempt."""
from __future__ import annotations

import asyncio
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import server
from redactor.metrics import Metrics
from telephony import webhook

SECRET = "webhook-secret-for-delivery-tests"


class FlakyReceiver(BaseHTTPRequestHandler):
    """Answers each POST with the next status of ``script`` (then 204), recording what came."""

    script: list[int] = []
    attempts: list[tuple[bytes, bool]] = []  # body, signature valid

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        valid = webhook.verify(SECRET, body, self.headers["X-Redactor-Timestamp"],
                               self.headers["X-Redactor-Signature"])
        FlakyReceiver.attempts.append((body, valid))
        self.send_response(FlakyReceiver.script.pop(0) if FlakyReceiver.script else 204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    FlakyReceiver.script, FlakyReceiver.attempts = [], []
    http = ThreadingHTTPServer(("127.0.0.1", 0), FlakyReceiver)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{http.server_address[1]}/hook"
    http.shutdown()


class App:
    """What the webhook needs of the server: a thread to block on, and its metrics."""

    def __init__(self) -> None:
        self.metrics = Metrics()

    async def run(self, function, *args):
        return await asyncio.to_thread(function, *args)


def deliver(url: str, bodies: list[dict], delays=(0.05, 0.05, 0.05)) -> App:
    async def main() -> App:
        app = App()
        hook = server.Webhook(app, url, SECRET, retry_delays_s=delays)
        for body in bodies:
            hook.post(json.dumps(body))
        await hook.drain(timeout=10)
        return app

    return asyncio.run(main())


def count(app: App, code: str) -> float:
    return app.metrics.registry.get_sample_value("redactor_client_errors_total", {"code": code}) or 0.0


@pytest.mark.parametrize("failures, attempts, retried, dropped", [
    ([], 1, 0, 0),
    ([503], 2, 1, 0),
    ([500, 502, 429], 4, 3, 0),  # three retries, the fourth attempt lands
    ([503, 503, 503, 503], 4, 3, 1),  # every attempt failed: dropped, counted
    ([400], 1, 0, 1),  # the receiver refuses this final: no retry changes that
])
def test_a_final_is_retried_while_the_receiver_fails_then_dropped_and_counted(receiver, failures, attempts,
                                                                               retried, dropped):
    FlakyReceiver.script = list(failures)
    app = deliver(receiver, [{"call_id": "c", "seq": 0, "text": "<CREDIT_CARD>"}])
    assert len(FlakyReceiver.attempts) == attempts
    assert all(valid for _, valid in FlakyReceiver.attempts)  # signed anew each time
    assert count(app, "webhook_failed") == dropped
    assert count(app, "webhook_retried") == retried


def test_finals_arrive_in_order_across_retries(receiver):
    FlakyReceiver.script = [503, 503]
    deliver(receiver, [{"call_id": "c", "seq": seq} for seq in range(5)])
    delivered = [json.loads(body)["seq"] for body, _ in FlakyReceiver.attempts]
    assert delivered == [0, 0, 0, 1, 2, 3, 4]


def test_an_unreachable_receiver_is_retried_then_dropped_without_blocking_the_loop():
    app = deliver("http://127.0.0.1:9/hook", [{"call_id": "c", "seq": 0}])  # nothing listens on 9
    assert count(app, "webhook_retried") == 3 and count(app, "webhook_failed") == 1
