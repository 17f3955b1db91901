"""The signed webhook: each masked final of every call POSTed as JSON to a URL of the user's.

The body is the final exactly as ``/v1/call`` and ``/v1/subscribe`` send it (masked text
only). Two headers let the receiver check it came from us and is fresh:

* ``X-Redactor-Timestamp``: Unix seconds when it was signed;
* ``X-Redactor-Signature``: ``v1=`` + hex HMAC-SHA256, keyed by the shared secret, of
  ``"{timestamp}.{body}"`` (the body's exact bytes).

Receivers should reject a timestamp more than five minutes old (:func:`verify` does).

Delivery is at least once, in order: a POST that gets no answer, a 5xx, 408 or 429 is tried
again after ``RETRY_DELAYS_S`` (signed anew each time), then dropped and counted; any other
4xx is the receiver refusing that final, which no retry changes. A receiver may see a final
twice (its answer was lost): ``call_id`` + ``seq`` identify it.
"""
from __future__ import annotations

import hashlib
import hmac
import time
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

TIMESTAMP_HEADER = "X-Redactor-Timestamp"
SIGNATURE_HEADER = "X-Redactor-Signature"
TOLERANCE_S = 300
RETRY_DELAYS_S = (1.0, 2.0, 4.0, 8.0, 16.0)  # then dropped: about half a minute of outage
MAX_QUEUED = 10_000  # finals waiting while the receiver is down; beyond, the oldest is dropped


def post(url: str, body: bytes, headers: dict[str, str], timeout_s: float) -> int | None:
    """One blocking POST (call it off the event loop): the receiver's HTTP status, or None
    when it did not answer."""
    try:
        with urlopen(Request(url, body, headers, method="POST"), timeout=timeout_s) as response:
            response.read()
            return response.status
    except HTTPError as error:
        return error.code
    except (URLError, OSError, ValueError):
        return None


def delivered(status: int | None) -> bool:
    return status is not None and 200 <= status < 300


def worth_retrying(status: int | None) -> bool:
    """No answer, or an answer saying "later": the same POST may succeed."""
    return status is None or status >= 500 or status in (408, 429)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def headers(secret: str, body: bytes, now: float | None = None) -> dict[str, str]:
    timestamp = int(time.time() if now is None else now)
    return {"Content-Type": "application/json", TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: signature(secret, timestamp, body)}


def verify(secret: str, body: bytes, timestamp: str | None, presented: str | None,
           now: float | None = None) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent."""
    if not timestamp or not presented or not timestamp.isdigit():
        return False
    if abs((time.time() if now is None else now) - int(timestamp)) > TOLERANCE_S:
        return False
    return hmac.compare_digest(signature(secret, int(timestamp), body), presented)
