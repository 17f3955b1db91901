import pytest

from benchmarks.anomaly_bench import simulate
from console.anomaly import detect, hour_counts


def history(actor="rina", days=30, per_hour=8):
    rows = []
    for day in range(1, days + 1):
        for hour in range(9, 17):
            for n in range(per_hour):
                rows.append((f"2026-11-{day:02d}T{hour:02d}:{n:02d}:00", actor, "view"))
            rows.append((f"2026-11-{day:02d}T{hour:02d}:30:00", actor, "search"))
    return rows


def burst(actor, hour, action, count):
    return [(f"2026-12-01T{hour:02d}:{n % 60:02d}:00", actor, action) for n in range(count)]


@pytest.mark.parametrize("recent, kind", [
    (burst("rina", 10, "view", 80), "views"),
    (burst("rina", 10, "download", 30), "downloads"),
    (burst("rina", 10, "decrypt", 10), "decrypts"),
    (burst("rina", 10, "login_failed", 12), "failed_logins"),
    (burst("rina", 2, "view", 5), "off_hours"),
    (burst("newbie", 10, "view", 200), "views"),
])
def test_alerts(recent, kind):
    alerts = detect(hour_counts(history()), hour_counts(recent))
    assert kind in {alert.kind for alert in alerts}


@pytest.mark.parametrize("recent", [
    burst("rina", 10, "view", 9),
    burst("rina", 14, "view", 15) + burst("rina", 14, "download", 2),
    burst("newbie", 10, "view", 10),
    burst("rina", 17, "view", 9),  # an hour past her 9-17 shift: overtime, not off-hours access
])
def test_normal_hours_raise_nothing(recent):
    assert detect(hour_counts(history()), hour_counts(recent)) == []


def test_simulated_month_detects_bursts_with_few_false_alarms():
    result = simulate(users=12, seed=3)
    assert result["detection"] >= 0.9
    assert result["false_alarm_rate"] <= 0.01 and result["new_user_false_alarm_rate"] <= 0.01
    assert all(hit == total for name, (hit, total) in result["by_kind"].items() if name != "mild_views")
