"""Access-anomaly detection on simulated histories: a normal month for each user, then a test
week of normal hours with exfiltration-like bursts injected. Reports detection rate (bursts that
raised an alert of any kind in their hour), per kind of burst, and false-alarm rate (normal
user-hours alerted). The normal week is not a copy of the month: busy days (twice the pace) and
an hour of overtime after the shift happen, as they do; and new users (no history at all) join
in it, some of them bursting at once.

    python -m benchmarks.anomaly_bench [--users 40] [--seed 1]
"""

from __future__ import annotations

import argparse
import random

from console.anomaly import detect, hour_counts

BURSTS = {"bulk_views": ("view", 10), "bulk_downloads": ("download", 40), "decrypts": ("decrypt", 12),
          "failed_logins": ("login_failed", 15), "off_hours": ("view", 6),
          "mild_views": ("view", 3)}  # 3x the usual pace: below the 5x ratio by design, expected missed


def _user_hours(rng, actor, days, first_day, month, start_hour, rate, surprises=False):
    rows = []
    for day in range(first_day, first_day + days):
        if rng.random() < 0.25:
            continue  # day off
        pace = rate * (2 if surprises and rng.random() < 0.15 else 1)  # a busy day
        overtime = 1 if surprises and rng.random() < 0.15 else 0  # an hour past the shift
        for hour in range(start_hour, start_hour + 8 + overtime):
            stamp = f"2026-{month:02d}-{day:02d}T{hour:02d}"
            n_views = max(0, int(rng.gauss(pace, pace / 3)))
            rows += [(f"{stamp}:{i % 60:02d}:00", actor, "view") for i in range(n_views)]
            rows += [(f"{stamp}:59:00", actor, "search")] * rng.randint(0, 4)
            if rng.random() < 0.05:
                rows.append((f"{stamp}:58:00", actor, "download"))
            if rng.random() < 0.02:
                rows.append((f"{stamp}:57:00", actor, "decrypt"))
            if rng.random() < 0.02:
                rows.append((f"{stamp}:56:00", actor, "login_failed"))
    return rows


def simulate(users: int = 40, seed: int = 1) -> dict[str, float]:
    rng = random.Random(seed)
    history, recent, injected = [], [], {}
    for index in range(users):
        actor = f"user{index}"
        start_hour, rate = rng.choice([8, 9, 13]), rng.uniform(3, 15)  # a shift and a pace per user
        past = _user_hours(rng, actor, 30, 1, 11, start_hour, rate)
        now = _user_hours(rng, actor, 7, 1, 12, start_hour, rate, surprises=True)
        history += past
        recent += now
        if index % 2 == 0:
            name = rng.choice(sorted(BURSTS))
            action, size = BURSTS[name]
            hour = (start_hour + 12) % 24 if name == "off_hours" else start_hour + 2
            if name in ("bulk_views", "mild_views"):
                size = int(rate * (10 if name == "bulk_views" else 3))
            stamp = f"2026-12-08T{hour:02d}"
            recent += [(f"{stamp}:{i % 60:02d}:00", actor, action) for i in range(size)]
            injected[(actor, stamp)] = name
    for index in range(max(2, users // 10)):  # new users: no history; every other one bursts at once
        actor, start_hour, rate = f"new{index}", 9, rng.uniform(3, 12)
        recent += _user_hours(rng, actor, 7, 1, 12, start_hour, rate)
        if index % 2 == 0:
            name = rng.choice(["bulk_views_new", "bulk_downloads"])
            action, size = ("view", 150) if name == "bulk_views_new" else BURSTS[name]
            stamp = f"2026-12-08T{start_hour + 3:02d}"
            recent += [(f"{stamp}:{i % 60:02d}:00", actor, action) for i in range(size)]
            injected[(actor, stamp)] = name
    alerts = detect(hour_counts(history), hour_counts(recent))
    alerted = {(alert.actor, alert.hour) for alert in alerts}
    all_hours = {(actor, hour) for actor, buckets in hour_counts(recent).items() for hour in buckets}
    normal = all_hours - set(injected)
    clear = {key for key, name in injected.items() if name != "mild_views"}
    mild = set(injected) - clear
    by_kind = {name: (sum(1 for key, kind in injected.items() if kind == name and key in alerted),
                      sum(1 for kind in injected.values() if kind == name)) for name in sorted(set(injected.values()))}
    new_normal = {key for key in normal if key[0].startswith("new")}
    return {"users": users, "bursts": len(clear), "by_kind": by_kind,
            "new_user_false_alarm_rate": len(alerted & new_normal) / max(1, len(new_normal)),
            "detection": len(clear & alerted) / max(1, len(clear)),
            "mild_bursts": len(mild), "mild_detection": len(mild & alerted) / max(1, len(mild)),
            "normal_hours": len(normal),
            "false_alarm_rate": len(alerted & normal) / max(1, len(normal))}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print("| seed | users | clear bursts | detection | 3x-view bursts | detected | normal user-hours | false-alarm rate |"
          " new users' false-alarm rate |")
    print("|---|---|---|---|---|---|---|---|---|")
    kinds: dict[str, list[int]] = {}
    for seed in range(args.seed, args.seed + 5):
        r = simulate(args.users, seed)
        print(f"| {seed} | {r['users']} | {r['bursts']} | {r['detection']:.1%} | {r['mild_bursts']} | "
              f"{r['mild_detection']:.0%} | {r['normal_hours']} | "
              f"{r['false_alarm_rate']:.2%} | {r['new_user_false_alarm_rate']:.2%} |")
        for name, (hit, total) in r["by_kind"].items():
            kinds.setdefault(name, [0, 0])
            kinds[name][0] += hit
            kinds[name][1] += total
    print("\n| burst (all seeds) | injected | detected |\n|---|---|---|")
    for name, (hit, total) in sorted(kinds.items()):
        print(f"| {name} | {total} | {hit / max(1, total):.0%} |")


if __name__ == "__main__":
    main()
