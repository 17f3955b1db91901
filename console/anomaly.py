"""Access-anomaly detection over the console audit log.

Each user's normal access is learnt per activity (views, downloads, searches, decrypts, failed
logins) as counts per active hour, and their usual hours of day. A new hour is compared with the
user's baseline by median and MAD (median absolute deviation): robust to the odd busy day that a
mean/stddev baseline would absorb, and no new dependency. Alert when the count exceeds
``median + K * 1.4826 * MAD`` *and* ``RATIO`` times the median, *and* a floor per activity (so a
reviewer with a median of 1 view an hour is not flagged for 3).

A user with fewer than ``MIN_HISTORY`` active hours has no baseline of their own: the
population's (all users') baseline is used instead, with the floors, which is conservative: a new
reviewer is held to what a typical reviewer does, not given free rein.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable

ACTIVITY = {"view": "views", "download": "downloads", "playback": "downloads", "search": "searches",
            "list": "searches", "decrypt": "decrypts", "login_failed": "failed_logins"}
FLOORS = {"views": 20, "downloads": 5, "searches": 30, "decrypts": 3, "failed_logins": 5}
K = 6.0
RATIO = 5.0
MIN_HISTORY = 24
OFF_HOURS_MIN_SEEN = 0.02  # an hour of day that, with its neighbours, holds < 2% of a user's active hours is unusual


@dataclass(frozen=True)
class Alert:
    actor: str
    hour: str  # ISO hour bucket, e.g. "2026-12-05T02"
    kind: str  # an activity name, or "off_hours"
    count: int
    threshold: float
    usual: float = 0.0  # the baseline's median per active hour (off_hours: past active hours at that hour of day)
    baseline: str = "own"  # "own", or "population" for a user without enough history

    def as_json(self) -> dict[str, object]:
        return {"actor": self.actor, "hour": self.hour, "kind": self.kind, "count": self.count,
                "threshold": round(self.threshold, 1), "usual": round(self.usual, 1), "baseline": self.baseline}


def hour_counts(entries: Iterable[tuple[str, str, str]]) -> dict[str, dict[str, Counter]]:
    """``(at ISO, actor, action)`` -> {actor: {hour bucket: Counter(activity)}}."""
    table: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for at, actor, action in entries:
        activity = ACTIVITY.get(action)
        bucket = table[actor][at[:13]]
        bucket["any"] += 1
        if activity:
            bucket[activity] += 1
    return table


@dataclass
class Baseline:
    median: dict[str, float]
    mad: dict[str, float]
    hours_of_day: Counter
    active_hours: int

    @classmethod
    def learn(cls, hours: list[Counter], hours_of_day: Counter) -> "Baseline":
        median, mad = {}, {}
        for activity in FLOORS:
            values = [bucket[activity] for bucket in hours] or [0]
            median[activity] = statistics.median(values)
            mad[activity] = statistics.median(abs(v - median[activity]) for v in values)
        return cls(median, mad, hours_of_day, len(hours))

    def threshold(self, activity: str) -> float:
        centre = self.median[activity]
        return max(centre + K * 1.4826 * self.mad[activity], RATIO * centre, FLOORS[activity])


def learn(history: dict[str, dict[str, Counter]]) -> tuple[dict[str, Baseline], Baseline]:
    """Per-user baselines and the population baseline (for users without enough history)."""
    users, everyone, everyone_hours = {}, [], Counter()
    for actor, buckets in history.items():
        of_day = Counter(int(hour[11:13]) for hour in buckets)
        users[actor] = Baseline.learn(list(buckets.values()), of_day)
        everyone.extend(buckets.values())
        everyone_hours.update(of_day)
    return users, Baseline.learn(everyone, everyone_hours)


def detect(history: dict[str, dict[str, Counter]], recent: dict[str, dict[str, Counter]]) -> list[Alert]:
    """Alerts for each (user, hour) of ``recent`` that departs from the ``history`` baselines."""
    users, population = learn(history)
    alerts = []
    for actor, buckets in recent.items():
        own = users.get(actor)
        source = "own" if own and own.active_hours >= MIN_HISTORY else "population"
        baseline = own if source == "own" else population
        for hour, counts in sorted(buckets.items()):
            for activity in FLOORS:
                limit = baseline.threshold(activity)
                if counts[activity] > limit:
                    alerts.append(Alert(actor, hour, activity, counts[activity], limit, baseline.median[activity], source))
            alerts.extend(_off_hours(actor, hour, counts, baseline, source))
    return alerts


def _off_hours(actor: str, hour: str, counts: Counter, baseline: Baseline, source: str) -> list[Alert]:
    total = sum(baseline.hours_of_day.values())
    if total < MIN_HISTORY:  # no one's working hours known yet (a fresh install): nothing is off-hours
        return []
    of_day = int(hour[11:13])
    # The hour and its neighbours: staying an hour past one's shift is not off-hours access.
    seen = sum(baseline.hours_of_day[(of_day + step) % 24] for step in (-1, 0, 1)) / total
    touched = counts["views"] + counts["downloads"] + counts["decrypts"]
    if seen < OFF_HOURS_MIN_SEEN and touched >= 3:
        return [Alert(actor, hour, "off_hours", touched, 3, baseline.hours_of_day[int(hour[11:13])], source)]
    return []
