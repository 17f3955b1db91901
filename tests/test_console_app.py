"""The console over HTTP (Starlette's test client): logging in, sessions, CSRF, lockout,
headers, roles on every route, conversations, downloads, decrypt, scorecards and the audit
log, on SQLite and PostgreSQL."""
from __future__ import annotations

import json
import logging
import re
from datetime import timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient  # its httpx2 hint is filtered in pyproject.toml

from console.app import Settings, create_app
from console.audit import AuditLog
from console.auth import MAX_FAILURES
from console.db import Database
from tests.console_data import CALL_ID, CHAT_ID, KEY, KEY_ENV, RAW_NAME, RAW_NIK, Codes, cheap_hasher, field, seed
from tests.pg import db_url, raw_rows  # noqa: F401


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("console.auth._HASHER", cheap_hasher())


@pytest.fixture
def console(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: F811
    monkeypatch.setenv(KEY_ENV, KEY)
    data = tmp_path / "data"
    seed(db_url, data)
    app = create_app(Settings(db_url, data, encryption_key_env=KEY_ENV))
    with TestClient(app) as client:
        client.app_state = app.state.console
        yield client


def user(client: TestClient, name: str, roles: set[str], decrypt: bool = False) -> tuple[str, Codes]:
    enrolment = client.app_state.accounts.create(name, roles, decrypt)
    return enrolment.password, Codes(enrolment.otpauth_uri)


def login(client: TestClient, name: str, password: str, codes: Codes, code: str | None = None):
    page = client.get("/login")
    response = client.post("/login", data={"username": name, "password": password,
                                           "login_token": field(page.text, "login_token"), "next": "/"})
    if response.status_code != 200 or "/login/code" not in str(response.url):
        return response
    return client.post("/login/code", data={"code": code or codes.fresh(), "csrf": field(response.text, "csrf"), "next": "/"})


def logged_in(client: TestClient, name: str, roles: set[str], decrypt: bool = False) -> Codes:
    password, codes = user(client, name, roles, decrypt)
    response = login(client, name, password, codes)
    assert response.status_code == 200 and "/login" not in str(response.url), response.text
    return codes


def audit_actions(client: TestClient) -> list[tuple[str, str, str]]:
    return [(e.actor, e.action, e.target) for e in reversed(client.app_state.audit.entries())]


def csrf_of(client: TestClient, path: str = "/account") -> str:
    return field(client.get(path).text, "csrf")


# Authentication.

def test_password_and_fresh_totp_log_in_and_the_login_is_audited(console):
    logged_in(console, "rina", {"reviewer"})
    page = console.get("/conversations")
    assert page.status_code == 200 and CALL_ID in page.text
    assert ("rina", "login", "") in audit_actions(console)


def test_wrong_and_replayed_codes_are_refused(console):
    password, codes = user(console, "rina", {"reviewer"})
    assert login(console, "rina", password, codes, code="000000").status_code == 401
    first = codes.fresh()
    assert login(console, "rina", password, codes, code=first).status_code == 200
    console.cookies.clear()
    replayed = login(console, "rina", password, codes, code=first)
    assert replayed.status_code == 401 and "already used" in replayed.text
    failures = [e.detail for e in console.app_state.audit.entries(action="login_failed")]
    assert {"step": "code"} in [{"step": d["step"]} for d in failures]


def test_password_alone_opens_nothing(console):
    password, _ = user(console, "rina", {"reviewer"})
    page = console.get("/login")
    console.post("/login", data={"username": "rina", "password": password, "login_token": field(page.text, "login_token")})
    for path in ("/conversations", f"/conversation?kind=call&id={CALL_ID}", "/account"):
        response = console.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_session_token_changes_at_login_and_a_planted_token_is_worthless(console):
    password, codes = user(console, "rina", {"reviewer"})
    console.cookies.set("console_session", "planted-by-attacker", domain="testserver.local")
    page = console.get("/login")
    response = console.post("/login", data={"username": "rina", "password": password,
                                            "login_token": field(page.text, "login_token")})
    pre_mfa = console.cookies.get("console_session")
    assert pre_mfa != "planted-by-attacker"
    console.post("/login/code", data={"code": codes.fresh(), "csrf": field(response.text, "csrf")})
    final = console.cookies.get("console_session")
    assert final not in (pre_mfa, "planted-by-attacker")
    assert console.get("/conversations").status_code == 200
    attacker = TestClient(console.app)
    attacker.cookies.set("console_session", pre_mfa)
    assert attacker.get("/conversations", follow_redirects=False).status_code == 303


def test_cookies_are_httponly_samesite_strict_and_secure_under_tls(db_url, tmp_path):  # noqa: F811
    plain = TestClient(create_app(Settings(db_url, tmp_path)))
    cookie = plain.get("/login").headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie
    tls = TestClient(create_app(Settings(db_url, tmp_path, secure_cookies=True)), base_url="https://testserver")
    accounts = tls.app.state.console.accounts
    enrolment = accounts.create("tina", {"reviewer"})
    page = tls.get("/login")
    assert "Secure" in page.headers["set-cookie"]
    response = tls.post("/login", data={"username": "tina", "password": enrolment.password,
                                        "login_token": field(page.text, "login_token")}, follow_redirects=False)
    session_cookie = response.headers["set-cookie"]
    assert session_cookie.startswith("__Host-console_session=") and "Secure" in session_cookie
    assert "strict-transport-security" in response.headers


def test_lockout_after_repeated_failures_even_with_the_right_password(console):
    password, codes = user(console, "rina", {"reviewer"})
    for _ in range(MAX_FAILURES):
        assert login(console, "rina", "wrong-password", codes).status_code == 401
    locked = login(console, "rina", password, codes)
    assert locked.status_code == 401 and "locked" in locked.text
    console.app_state.accounts.unlock("rina")
    assert login(console, "rina", password, codes).status_code == 200


def test_login_attempts_per_address_are_rate_limited(console):
    statuses = [login(console, f"nobody{n}", "x", None).status_code for n in range(12)]
    assert statuses[:10] == [401] * 10 and statuses[-1] == 429


def test_idle_and_absolute_timeouts_end_a_session(console, db_url):  # noqa: F811
    logged_in(console, "rina", {"reviewer"})
    assert console.get("/conversations").status_code == 200
    db = console.app_state.db
    from datetime import datetime, timezone
    old = db.time(datetime.now(timezone.utc) - timedelta(minutes=16))
    db.run("UPDATE console_sessions SET seen_at = ?", (old,))
    assert console.get("/conversations", follow_redirects=False).status_code == 303
    logged_in(console, "sari", {"reviewer"})
    db.run("UPDATE console_sessions SET created_at = ?", (db.time(datetime.now(timezone.utc) - timedelta(hours=9)),))
    assert console.get("/conversations", follow_redirects=False).status_code == 303


def test_security_headers_on_every_response(console):
    for path in ("/login", "/static/console.css", "/nowhere"):
        headers = console.get(path).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "script-src 'self'" in headers["content-security-policy"] and "unsafe-inline" not in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
        assert "server" not in headers


def test_forms_without_the_csrf_token_are_refused(console):
    logged_in(console, "boss", {"admin", "supervisor"})
    before = len(console.app_state.accounts.all())
    forged = console.post("/admin/users", data={"action": "create", "username": "mallory", "role_admin": "on"})
    assert forged.status_code == 403
    wrong = console.post("/admin/users", data={"action": "create", "username": "mallory", "role_admin": "on", "csrf": "x" * 43})
    assert wrong.status_code == 403 and len(console.app_state.accounts.all()) == before
    assert console.post("/logout", data={}).status_code == 403
    assert any(action == "csrf_refused" for _, action, _ in audit_actions(console))
    fresh = TestClient(console.app)
    assert fresh.post("/login", data={"username": "boss", "password": "x"}).status_code == 403  # login form too


# Roles.

REVIEWER_REFUSED = ["/audit", "/audit/export", "/alerts", "/admin/users", "/admin/keys", "/admin/settings"]


@pytest.mark.parametrize("path", REVIEWER_REFUSED)
def test_a_reviewer_is_refused_supervision_and_admin_pages_by_url(console, path):
    logged_in(console, "rina", {"reviewer"})
    response = console.get(path)
    assert response.status_code == 403 and "Not allowed" in response.text
    assert ("rina", "denied", path) in audit_actions(console)


def test_menus_show_only_what_the_role_may_open(console):
    logged_in(console, "rina", {"reviewer"})
    menu = console.get("/conversations").text.split('<nav id="menu">')[1].split("</nav>")[0]
    assert "/conversations" in menu and "/scorecards" in menu
    assert "/audit" not in menu and "/admin/" not in menu


def test_an_admin_manages_users_but_sees_no_transcript(console):
    logged_in(console, "root", {"admin"})
    assert console.get("/conversations").status_code == 403
    page = console.post("/admin/users", data={"action": "create", "username": "newbie", "role_reviewer": "on",
                                             "csrf": csrf_of(console, "/admin/users")})
    assert "otpauth://totp/" in page.text and "<svg" in page.text  # the one-time enrolment and its QR
    console.post("/admin/users", data={"action": "update", "username": "newbie", "role_supervisor": "on",
                                       "csrf": csrf_of(console, "/admin/users")})
    assert console.app_state.accounts.find("newbie").roles == {"supervisor"}
    actions = audit_actions(console)
    assert ("root", "user_create", "newbie") in actions and ("root", "user_update", "newbie") in actions


def test_a_disabled_user_is_logged_out(console):
    logged_in(console, "rina", {"reviewer"})
    console.app_state.accounts.update("rina", {"reviewer"}, False, disabled=True)
    assert console.get("/conversations", follow_redirects=False).status_code == 303


# Conversations.

def test_conversation_list_filters_and_search_are_audited(console):
    logged_in(console, "rina", {"reviewer"})
    assert CHAT_ID in console.get("/conversations?kind=chat").text
    assert CALL_ID not in console.get("/conversations?kind=chat").text
    failed = console.get("/conversations?failed=1").text
    assert CHAT_ID in failed and CALL_ID not in failed
    by_type = console.get("/conversations?entity=CREDIT_CARD").text
    assert CALL_ID in by_type and CHAT_ID not in by_type
    searched = console.get("/conversations?q=blokir").text
    assert CALL_ID in searched and CHAT_ID not in searched
    assert CHAT_ID in console.get("/conversations?speaker=customer&kind=chat").text
    assert "No conversation matches" in console.get("/conversations?since=2099-01-01").text
    assert "No conversation matches" in console.get("/conversations?q=100%25").text  # LIKE wildcards escaped
    searches = console.app_state.audit.entries(action="search")
    assert any(e.detail.get("q") == "blokir" for e in searches)


def test_conversation_page_shows_chips_and_timed_words_not_raw_values(console):
    logged_in(console, "rina", {"reviewer"})
    page = console.get(f"/conversation?kind=call&id={CALL_ID}")
    assert page.status_code == 200
    assert "<b>CREDIT_CARD</b>" in page.text and "<b>ID_NIK</b> <span class=\"lock\">encrypted</span>" in page.text
    assert 'data-start="' in page.text and 'id="player"' in page.text
    assert RAW_NIK not in page.text and RAW_NAME not in page.text
    assert "Reveal encrypted values" not in page.text  # no decrypt permission: no form
    assert ("rina", "view", f"call:{CALL_ID}") in audit_actions(console)


def test_audio_supports_range_requests_and_playback_is_audited_once(console):
    logged_in(console, "rina", {"reviewer"})
    whole = console.get(f"/conversation/audio?id={CALL_ID}")
    assert whole.status_code == 200 and whole.content[:4] == b"RIFF"
    part = console.get(f"/conversation/audio?id={CALL_ID}", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == whole.content[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(whole.content)}"
    playbacks = [a for a in audit_actions(console) if a[1] == "playback"]
    assert playbacks == [("rina", "playback", f"call:{CALL_ID}")]
    svg = console.get(f"/conversation/waveform.svg?id={CALL_ID}")
    assert svg.headers["content-type"].startswith("image/svg+xml") and svg.text.count("<title>masked") == 3


def test_a_recording_path_outside_the_data_directory_is_never_served(console, db_url):  # noqa: F811
    raw_rows(db_url, "UPDATE recordings SET path = ?", ("/etc/passwd",))
    logged_in(console, "rina", {"reviewer"})
    assert console.get(f"/conversation/audio?id={CALL_ID}").status_code == 404


def test_downloads_are_permission_checked_and_audited(console):
    logged_in(console, "rina", {"reviewer"})
    as_json = console.get(f"/conversation/download?kind=call&id={CALL_ID}&format=json")
    assert "attachment" in as_json.headers["content-disposition"]
    assert [s["speaker"] for s in json.loads(as_json.text)["segments"]][:2] == ["agent", "customer"]
    as_csv = console.get(f"/conversation/download?kind=chat&id={CHAT_ID}&format=csv")
    assert as_csv.text.splitlines()[0] == "seq,speaker,start_s,end_s,failed,entity_types,text"
    wav = console.get(f"/conversation/download?kind=call&id={CALL_ID}&format=wav")
    assert wav.content[:4] == b"RIFF"
    downloads = [e for e in console.app_state.audit.entries(action="download")]
    assert sorted(e.detail["format"] for e in downloads) == ["csv", "json", "wav"]
    assert RAW_NIK not in as_json.text + as_csv.text


def test_decrypt_needs_the_permission_a_reason_and_a_fresh_code(console):
    codes = logged_in(console, "sup", {"supervisor"}, decrypt=True)
    page = console.get(f"/conversation?kind=call&id={CALL_ID}")
    assert "Reveal encrypted values" in page.text
    form = {"kind": "call", "id": CALL_ID, "csrf": field(page.text, "csrf")}
    short = console.post("/conversation/decrypt", data={**form, "reason": "why", "code": "123456"})
    assert short.status_code == 400 and RAW_NIK not in short.text
    # The code that logged in is spent: a decrypt needs a newer one.
    replay = console.post("/conversation/decrypt", data={**form, "reason": "dispute ticket QA-1182", "code": codes.last()})
    assert replay.status_code == 403 and RAW_NIK not in replay.text
    shown = console.post("/conversation/decrypt", data={**form, "reason": "dispute ticket QA-1182", "code": codes.fresh()})
    assert shown.status_code == 200 and RAW_NIK in shown.text and RAW_NAME in shown.text
    assert shown.headers["cache-control"] == "no-store"
    entry = console.app_state.audit.entries(action="decrypt")[0]
    assert entry.actor == "sup" and entry.target == f"call:{CALL_ID}"
    assert entry.detail == {"reason": "dispute ticket QA-1182", "types": ["ID_NIK", "PERSON"], "values": 2}
    assert [e.action for e in console.app_state.audit.entries(action="decrypt_refused")] == ["decrypt_refused"]


def test_without_the_decrypt_permission_decrypt_is_refused_by_url(console):
    codes = logged_in(console, "sup", {"supervisor"})
    response = console.post("/conversation/decrypt", data={"kind": "call", "id": CALL_ID, "reason": "a good reason here",
                                                          "code": codes.fresh(), "csrf": csrf_of(console)})
    assert response.status_code == 403 and RAW_NIK not in response.text


def test_numbers_and_emails_typed_in_free_text_are_not_stored(console):
    codes = logged_in(console, "sup", {"supervisor"}, decrypt=True)
    page = console.get(f"/conversation?kind=call&id={CALL_ID}")
    console.post("/conversation/decrypt", data={"kind": "call", "id": CALL_ID, "csrf": field(page.text, "csrf"),
                                                "code": codes.fresh(), "reason": f"customer {RAW_NIK} asked, rina@example.com"})
    console.post("/conversation/score", data={"kind": "call", "id": CALL_ID, "csrf": field(page.text, "csrf"),
                                              "agent": "agent", "comment": f"read back {RAW_NIK}"})
    stored = json.dumps([e.as_json() for e in console.app_state.audit.entries()])
    stored += json.dumps([c.comment for c in console.app_state.scorecards.all()])
    assert RAW_NIK not in stored and "rina@example.com" not in stored and "[masked]" in stored


# Scorecards.

def test_scorecards_score_the_checklist_and_supervisors_see_the_chart(console):
    logged_in(console, "rina", {"reviewer"})
    page = console.get(f"/conversation?kind=call&id={CALL_ID}")
    console.post("/conversation/score", data={"kind": "call", "id": CALL_ID, "csrf": field(page.text, "csrf"),
                                              "agent": "dewi", "item0": "on", "item1": "on", "item2": "on", "item4": "on",
                                              "comment": "asked for NIK properly"})
    card = console.app_state.scorecards.all()[0]
    assert card.score == 80.0 and card.reviewer == "rina" and card.agent == "dewi"
    assert "80%" in console.get(f"/conversation?kind=call&id={CALL_ID}").text
    assert "<svg" not in console.get("/scorecards").text  # a reviewer sees their own list, no chart
    assert ("rina", "scorecard", f"call:{CALL_ID}") in audit_actions(console)
    console.cookies.clear()
    logged_in(console, "sup", {"supervisor"})
    chart = console.get("/scorecards").text
    assert "scores per agent over time" in chart and "dewi" in chart


def test_an_admin_changes_the_checklist(console):
    logged_in(console, "root", {"admin"})
    console.post("/admin/settings", data={"checklist": "Greeting\nEmpathy\n\n", "csrf": csrf_of(console, "/admin/settings")})
    assert console.app_state.scorecards.checklist() == ["Greeting", "Empathy"]


# Audit log.

def test_the_audit_chain_verifies_and_breaks_when_an_entry_is_edited(console, db_url):  # noqa: F811
    logged_in(console, "sup", {"supervisor"})
    console.get(f"/conversation?kind=call&id={CALL_ID}")
    page = console.get("/audit?verify=1")
    assert "Hash chain intact" in page.text
    log = console.app_state.audit
    assert log.verify().ok
    target = log.entries(action="view")[0]
    raw_rows(db_url, "UPDATE console_audit SET actor = ? WHERE id = ?", ("someone-else", target.id))
    verdict = log.verify()
    assert not verdict.ok and verdict.broken_at == target.id
    assert f"BROKEN at entry {target.id}" in console.get("/audit?verify=1").text


def test_deleting_an_audit_entry_breaks_the_chain(console, db_url):  # noqa: F811
    logged_in(console, "sup", {"supervisor"})
    console.get("/conversations")
    entries = console.app_state.audit.entries()
    raw_rows(db_url, "DELETE FROM console_audit WHERE id = ?", (entries[2].id,))
    verdict = console.app_state.audit.verify()
    assert not verdict.ok and verdict.broken_at == entries[1].id


def test_audit_export_holds_the_whole_chain(console):
    logged_in(console, "sup", {"supervisor"})
    exported = console.get("/audit/export?format=jsonl")
    rows = [json.loads(line) for line in exported.text.splitlines()]
    assert rows[0]["prev_hash"] == "0" * 64 and all(a["hash"] == b["prev_hash"] for a, b in zip(rows, rows[1:]))
    assert console.get("/audit/export?format=csv").text.startswith("id,at,actor,action")
    assert console.app_state.audit.entries(action="audit_export")


def test_redactor_audit_verify_command(console, db_url, capsys):  # noqa: F811
    from redactor.cli import main

    logged_in(console, "sup", {"supervisor"})
    assert main(["audit", "verify", "--db", db_url]) == 0
    assert "hash chain intact" in capsys.readouterr().out
    raw_rows(db_url, "UPDATE console_audit SET detail = ? WHERE action = 'login'", ('{"forged": true}',))
    assert main(["audit", "verify", "--db", db_url]) == 1
    assert "BROKEN" in capsys.readouterr().out


def test_no_page_log_or_table_holds_the_raw_values(console, db_url, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    codes = logged_in(console, "sup", {"supervisor"}, decrypt=True)
    seen = ""
    for path in ("/conversations", f"/conversation?kind=call&id={CALL_ID}", f"/conversation?kind=chat&id={CHAT_ID}",
                 "/scorecards", "/audit", "/alerts", "/audit/export?format=jsonl",
                 f"/conversation/download?kind=call&id={CALL_ID}&format=json"):
        seen += console.get(path).text
    page = console.get(f"/conversation?kind=call&id={CALL_ID}")
    console.post("/conversation/decrypt", data={"kind": "call", "id": CALL_ID, "csrf": field(page.text, "csrf"),
                                                "reason": "dispute ticket QA-1182", "code": codes.fresh()})
    seen += console.get("/audit").text + caplog.text
    tables = raw_rows(db_url, "SELECT * FROM console_audit") + raw_rows(db_url, "SELECT * FROM console_sessions") \
        + raw_rows(db_url, "SELECT * FROM segments")
    for raw in (RAW_NIK, RAW_NAME):
        assert raw not in seen and raw not in str(tables)


def test_sessions_store_only_token_hashes(console, db_url):  # noqa: F811
    logged_in(console, "rina", {"reviewer"})
    token = console.cookies.get("console_session")
    stored = str(raw_rows(db_url, "SELECT * FROM console_sessions"))
    assert token not in stored


def test_passwords_are_stored_as_argon2id_with_production_costs(db_url, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.undo()  # the real hasher
    from console.auth import Accounts

    db = Database(db_url)
    try:
        enrolment = Accounts(db).create("rina", {"reviewer"})
        [(stored,)] = raw_rows(db_url, "SELECT password_hash FROM console_users")
        assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$") and enrolment.password not in stored
        user, outcome = Accounts(db).check_password("rina", enrolment.password)
        assert outcome == "ok" and user is not None
    finally:
        db.close()


def test_the_first_run_prints_the_enrolment_once(db_url):  # noqa: F811
    import io

    from console.cli import first_admin, print_enrolment

    enrolment = first_admin(db_url)
    assert enrolment is not None and first_admin(db_url) is None
    out = io.StringIO()
    print_enrolment(enrolment, out)
    assert enrolment.password in out.getvalue() and "otpauth://totp/" in out.getvalue() and "█" in out.getvalue()
    db = Database(db_url)
    try:
        assert AuditLog(db).entries()[0].action == "user_create"
    finally:
        db.close()


def test_the_conversation_summary_follows_segments_stored_later(console, db_url):  # noqa: F811
    from redactor.storage import Segment, StoredEntity, open_storage

    logged_in(console, "rina", {"reviewer"})
    assert "call-late" not in console.get("/conversations").text
    with open_storage(db_url) as storage:
        storage.save_segment(Segment("call-late", "call", 0, "agent", "halo", (), 0.0, 1.0))
    assert "call-late" in console.get("/conversations").text
    with open_storage(db_url) as storage:  # a later segment changes the conversation's summary
        storage.save_segment(Segment("call-late", "call", 1, "customer", "<PHONE_NUMBER>",
                                     (StoredEntity("PHONE_NUMBER", 0, 14),), 1.0, 2.0, failed=True))
    page = console.get("/conversations?entity=PHONE_NUMBER&failed=1").text
    assert "call-late" in page and CALL_ID not in page


def test_decrypt_without_the_key_says_so_and_is_audited(console, monkeypatch):
    codes = logged_in(console, "sup", {"supervisor"}, decrypt=True)
    monkeypatch.delenv(KEY_ENV)
    page = console.get(f"/conversation?kind=call&id={CALL_ID}")
    response = console.post("/conversation/decrypt", data={"kind": "call", "id": CALL_ID, "csrf": field(page.text, "csrf"),
                                                          "reason": "dispute ticket QA-1182", "code": codes.fresh()})
    assert response.status_code == 500 and KEY_ENV in response.text and RAW_NIK not in response.text
    assert console.app_state.audit.entries(action="decrypt_failed")[0].detail["error"] == "KeyMissingError"


def test_alerts_show_fail_closed_conversations_and_locked_accounts(console):
    password, codes = user(console, "rina", {"reviewer"})
    for _ in range(MAX_FAILURES):
        login(console, "rina", "wrong-password", codes)
    logged_in(console, "sup", {"supervisor"})
    page = console.get("/alerts").text
    assert CHAT_ID in page and CALL_ID not in page  # the chat has a fail-closed segment
    assert "rina until" in page and "Intact" in page


def test_an_admin_creates_and_revokes_server_api_keys(console, db_url):  # noqa: F811
    from redactor.keys import verify_key
    from redactor.storage import open_storage

    logged_in(console, "root", {"admin"})
    page = console.post("/admin/keys", data={"action": "create", "name": "genesys-prod", "csrf": csrf_of(console, "/admin/keys")})
    key = re.search(r'id="new-key">([^<]+)<', page.text).group(1)
    with open_storage(db_url) as storage:
        assert verify_key(storage, key)
    key_id = key.split("_")[1]
    console.post("/admin/keys", data={"action": "revoke", "key_id": key_id, "csrf": csrf_of(console, "/admin/keys")})
    with open_storage(db_url) as storage:
        assert not verify_key(storage, key)
    actions = audit_actions(console)
    assert ("root", "api_key_create", key_id) in actions and ("root", "api_key_revoke", key_id) in actions
    assert key not in str([e.as_json() for e in console.app_state.audit.entries()])  # only the id is logged


def test_alerts_show_and_audit_a_bulk_view_burst_once(console):
    audit = console.app_state.audit
    for n in range(40):  # a user with no history: held to the population floor of 20 views an hour
        audit.append("mallory", "view", f"chat:c{n}")
    logged_in(console, "sup", {"supervisor"})
    page = console.get("/alerts").text
    assert re.search(r'<td>mallory <span class="tag"[^>]*>new</span></td>\s*<td>[^<]+</td><td>views</td><td class="num">40</td>', page)
    console.get("/alerts")
    alerts = [a for a in audit_actions(console) if a[1] == "anomaly_alert"]
    assert len(alerts) == 1 and alerts[0][2].startswith("mallory@")


def test_conversation_page_flags_agent_sop_breaches_without_values(console, db_url):  # noqa: F811
    from redactor.storage import Segment, StoredEntity, open_storage

    with open_storage(db_url) as storage:
        storage.save_segment(Segment("chat-sop-1", "chat", 0, "agent", "Mohon berikan kode OTP Anda", ()))
        storage.save_segment(Segment("chat-sop-1", "chat", 1, "customer", "ini <CREDIT_CARD>",
                                     (StoredEntity("CREDIT_CARD", 4, 17),)))
    logged_in(console, "rina", {"reviewer"})
    page = console.get("/conversation?kind=chat&id=chat-sop-1").text
    assert "secret request: secret" in page and "forbidden channel: CREDIT CARD" in page
