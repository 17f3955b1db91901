"""The console in a real headless Chromium (Debian's chromium + chromium-driver, through
Selenium): enrolment and login, the call page and its player, roles, decrypt, downloads and
the audit chain, as a user sees them. Screenshots of the main pages go to
``$CONSOLE_SCREENSHOTS`` (the README's come from ``docs/screenshots``), else a temp dir."""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

try:
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
except ImportError:  # no selenium: every test here skips
    NoSuchElementException = StaleElementReferenceException = ()  # type: ignore[assignment,misc]

from tests.console_data import CALL_ID, KEY, KEY_ENV, RAW_NIK, Codes, cheap_hasher, seed, seed_scorecards
from tests.pg import raw_rows

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="needs Debian's chromium and chromium-driver (.ci/run installs them: apt-get install chromium chromium-driver)")

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--autoplay-policy=no-user-gesture-required", "--window-size=1280,900",
         "--mute-audio")


class Console:
    """The console served by uvicorn on a loopback port, on its own thread."""

    def __init__(self, db: str, data_dir: Path) -> None:
        import uvicorn

        from console.app import Settings, create_app

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        app = create_app(Settings(db, data_dir, encryption_key_env=KEY_ENV))
        self.state = app.state.console
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    access_log=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "the console did not start"
            time.sleep(0.05)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    import console.auth

    production_hasher, console.auth._HASHER = console.auth._HASHER, cheap_hasher()
    os.environ[KEY_ENV] = KEY
    data = tmp_path_factory.mktemp("console-browser") / "data"
    db = str(data / "redactor.db")
    seed(db, data, extra_calls=30)
    from console.cli import first_admin

    admin = first_admin(db)
    served = Console(db, data)
    served.admin = admin
    yield served
    served.stop()
    os.environ.pop(KEY_ENV, None)
    console.auth._HASHER = production_hasher


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads, tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    target = Path(os.environ.get("CONSOLE_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    target.mkdir(parents=True, exist_ok=True)
    return target


def log_in(browser, site, username: str, password: str, code: str, shot: Path | None = None) -> None:
    browser.delete_all_cookies()
    browser.get(site.url + "/login")
    browser.find_element("id", "username").send_keys(username)
    browser.find_element("id", "password").send_keys(password)
    if shot:
        browser.save_screenshot(str(shot))
    browser.find_element("id", "login-submit").click()
    find(browser, "code").send_keys(code)
    browser.find_element("id", "code-submit").click()


def wait_for(condition, timeout: float = 15, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
        except (StaleElementReferenceException, NoSuchElementException):
            value = None  # the page changed while it was being read, or has no body yet
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def find(browser, element_id: str, timeout: float = 15):
    """The element once the page that has it has loaded (a click does not wait for it)."""
    return wait_for(lambda: next(iter(browser.find_elements("id", element_id)), None), timeout, f"#{element_id}")


def text(browser) -> str:
    return browser.find_element("tag name", "body").text


@pytest.fixture(scope="module")
def people(site, browser, shots):
    """The admin logs in with the printed enrolment and enrols a reviewer and a supervisor
    through the users page; their passwords and codes are read off that page."""
    admin_codes = Codes(site.admin.otpauth_uri)
    log_in(browser, site, "admin", site.admin.password, admin_codes.fresh(), shots / "login.png")
    wait_for(lambda: "/admin/users" in browser.current_url or "Conversations" in text(browser), what="admin home")
    enrolled = {}
    # Two codes per user and 30 s step at most (each step's code works once): one user per
    # test or two, so that no test waits for the next step.
    for username, roles, decrypt in (("rina", ["reviewer"], False), ("rudi", ["reviewer"], False),
                                     ("sari", ["supervisor"], True), ("sinta", ["supervisor"], False)):
        browser.get(site.url + "/admin/users")
        browser.find_element("id", "new-username").send_keys(username)
        for role in ("reviewer", "supervisor", "admin"):
            box = browser.find_element("id", f"new-role-{role}")
            if box.is_selected() != (role in roles):
                box.click()
        if decrypt:
            browser.find_element("id", "new-decrypt").click()
        browser.find_element("id", "create-submit").click()
        password = find(browser, "enrol-password").text
        uri = browser.find_element("id", "enrol-uri").text
        assert uri.startswith("otpauth://totp/") and browser.find_element("css selector", "#enrolment svg")
        if username == "sinta":
            browser.save_screenshot(str(shots / "users.png"))
        enrolled[username] = (password, Codes(uri))
    return enrolled


def test_enrolled_user_logs_in_and_wrong_or_replayed_codes_are_refused(site, browser, people):
    password, codes = people["rina"]
    log_in(browser, site, "rina", password, "000000")
    assert "wrong or was already used" in find(browser, "code-error").text
    browser.find_element("id", "code").send_keys(codes.fresh())
    browser.find_element("id", "code-submit").click()
    wait_for(lambda: "/conversations" in browser.current_url, what="the conversation list")
    log_in(browser, site, "rina", password, codes.last())  # the same code again
    assert "wrong or was already used" in find(browser, "code-error").text
    assert "/login/code" in browser.current_url


def test_call_transcript_recording_and_moving_highlight(site, browser, people, shots):
    password, codes = people["rina"]
    log_in(browser, site, "rina", password, codes.fresh())
    wait_for(lambda: "/conversations" in browser.current_url, what="the conversation list")
    browser.save_screenshot(str(shots / "conversations.png"))
    assert browser.find_element("id", "next-page")  # 32 conversations: more than a page
    browser.find_element("name", "q").send_keys("blokir")  # a search over the masked text
    browser.find_element("css selector", "#filters button").click()
    wait_for(lambda: "q=blokir" in browser.current_url, what="the search")
    assert len(browser.find_elements("css selector", "#conversation-list .conv-link")) == 1
    browser.find_element("link text", CALL_ID).click()
    find(browser, "transcript")
    chips = [chip.text for chip in browser.find_elements("css selector", "#transcript .chip")]
    assert any(chip.startswith("CREDIT_CARD") for chip in chips) and any("ID_NIK" in chip for chip in chips)
    assert RAW_NIK not in text(browser)
    assert "Reveal encrypted values" not in text(browser)
    browser.execute_script("document.getElementById('player').play()")
    first = wait_for(lambda: browser.find_elements("css selector", "#transcript .current"), what="a highlighted word")
    first_start = float(first[0].get_attribute("data-start"))
    later = wait_for(lambda: [w for w in browser.find_elements("css selector", "#transcript .current")
                              if float(w.get_attribute("data-start")) > first_start + 0.5], what="the highlight to move")
    assert later
    browser.save_screenshot(str(shots / "call.png"))
    words = browser.find_elements("css selector", "#transcript .w")
    target = words[-3]
    target.click()  # clicking a word seeks there
    position = browser.execute_script("return document.getElementById('player').currentTime")
    assert abs(position - float(target.get_attribute("data-start"))) < 0.5
    wait_for(lambda: "current" in target.get_attribute("class"), what="the clicked word highlighted")
    assert site.state.audit.entries(actor="rina", action="playback")


def test_reviewer_has_no_audit_log_or_user_admin_by_menu_or_url(site, browser, people):
    password, codes = people["rudi"]
    log_in(browser, site, "rudi", password, codes.fresh())
    wait_for(lambda: "/conversations" in browser.current_url, what="the conversation list")
    menu = browser.find_element("id", "menu").text
    assert "Conversations" in menu and "Audit log" not in menu and "Users" not in menu
    for path in ("/audit", "/admin/users", "/audit/export?format=jsonl"):
        browser.get(site.url + path)
        assert "Not allowed" in text(browser) and "Hash" not in text(browser)
    denied = [e.target for e in site.state.audit.entries(actor="rudi", action="denied")]
    assert {"/audit", "/admin/users", "/audit/export"} <= set(denied)


def test_supervisor_decrypts_with_reason_and_fresh_code_scores_and_downloads(site, browser, people, downloads, shots):
    password, codes = people["sari"]
    log_in(browser, site, "sari", password, codes.fresh())
    wait_for(lambda: "/conversations" in browser.current_url, what="the conversation list")
    browser.get(f"{site.url}/conversation?kind=call&id={CALL_ID}")
    find(browser, "decrypt-reason").send_keys("Dispute ticket QA-1182")
    browser.find_element("id", "decrypt-code").send_keys(codes.fresh())
    browser.find_element("id", "decrypt-submit").click()
    wait_for(lambda: browser.find_elements("id", "revealed-note"), what="the revealed values")
    assert RAW_NIK in text(browser)
    browser.save_screenshot(str(shots / "decrypt.png"))
    entry = site.state.audit.entries(actor="sari", action="decrypt")[0]
    assert entry.detail["reason"] == "Dispute ticket QA-1182" and RAW_NIK not in str(entry.as_json())

    browser.get(f"{site.url}/conversation?kind=call&id={CALL_ID}")
    for index in (0, 1, 3, 4):
        browser.find_elements("css selector", "#score-form input[type=checkbox]")[index].click()
    browser.find_element("name", "agent").clear()
    browser.find_element("name", "agent").send_keys("dewi")
    browser.find_element("name", "comment").send_keys("Good verification; closing was warm.")
    browser.find_element("id", "score-submit").click()
    wait_for(lambda: "80%" in text(browser), what="the saved scorecard")
    seed_scorecards(site.state.db.url)
    browser.get(site.url + "/scorecards")
    assert browser.find_element("id", "score-chart")
    browser.save_screenshot(str(shots / "scorecards.png"))

    browser.get(f"{site.url}/conversation?kind=call&id={CALL_ID}")
    browser.find_element("id", "download-json").click()
    browser.find_element("id", "download-wav").click()
    wait_for(lambda: {p.suffix for p in downloads.iterdir()} >= {".json", ".wav"}, what="the downloads")
    assert RAW_NIK not in next(downloads.glob("*.json")).read_text()
    formats = {e.detail["format"] for e in site.state.audit.entries(actor="sari", action="download")}
    assert formats == {"json", "wav"}
    browser.get(site.url + "/audit")
    log = text(browser)
    assert "decrypt" in log and "download" in log and "login_failed" in log


def test_audit_chain_verifies_then_fails_after_an_edit_in_the_database(site, browser, people, shots):
    password, codes = people["sinta"]
    log_in(browser, site, "sinta", password, codes.fresh())
    wait_for(lambda: "/conversations" in browser.current_url, what="the conversation list")
    for n in range(40):  # a bulk-view burst by a user with no history: an access-anomaly alert
        site.state.audit.append("mallory", "view", f"chat:c{n}")
    browser.get(site.url + "/alerts")
    assert "mallory" in text(browser) and "views" in text(browser)
    browser.save_screenshot(str(shots / "alerts.png"))
    browser.get(site.url + "/audit")
    find(browser, "verify").click()
    assert "Hash chain intact" in find(browser, "verdict").text
    browser.save_screenshot(str(shots / "audit.png"))
    decrypt = site.state.audit.entries(action="decrypt")[0]
    raw_rows(site.state.db.url, "UPDATE console_audit SET detail = ? WHERE id = ?", ('{"reason": "routine"}', decrypt.id))
    browser.get(site.url + "/audit")
    find(browser, "verify").click()
    assert f"BROKEN at entry {decrypt.id}" in find(browser, "verdict").text


def seed_compliance_history(db_url: str, weeks: int = 10) -> None:
    """Chats of three agents over ``weeks`` weeks, backdated, each scored (which attributes it):
    dewi stops reading card numbers back, budi asks for OTPs now and then, andre is clean; plus
    a few unscored ones."""
    import random
    from datetime import datetime, timedelta, timezone

    from console.db import Database
    from console.scorecards import Scorecards
    from redactor.storage import Segment, StoredEntity, open_storage

    def said(session: str, seq: int, speaker: str, text: str) -> Segment:
        entities = ()
        if "<CREDIT_CARD>" in text:
            start = text.index("<CREDIT_CARD>")
            entities = (StoredEntity("CREDIT_CARD", start, start + 13),)
        return Segment(session, "chat", seq, speaker, text, entities)

    lines = {
        "clean": [("agent", "Selamat siang, dengan Bank Nusantara. Ada yang bisa dibantu?"),
                  ("customer", "kartu saya tertahan di ATM"), ("agent", "Baik, kami bantu blokir sekarang.")],
        "read_back": [("agent", "Saya ulangi nomor kartunya <CREDIT_CARD>, benar?")],
        "secret": [("agent", "Untuk verifikasi, boleh sebutkan kode OTP yang masuk?")],
        "forbidden": [("customer", "ini nomor kartu saya <CREDIT_CARD>")],
    }
    rng = random.Random(7)
    now = datetime.now(timezone.utc)
    db = Database(db_url)
    cards = Scorecards(db)
    try:
        with open_storage(db_url) as storage:
            for week in range(weeks):
                for agent in ("dewi", "budi", "andre", None):
                    for n in range(rng.randint(2, 4) if agent else 1):
                        session = f"chat-w{week}-{agent or 'x'}-{n}"
                        breaches = []
                        if agent == "dewi" and rng.random() < 0.7 - week * 0.08:
                            breaches.append("read_back")
                        if agent == "budi" and rng.random() < 0.35:
                            breaches.append("secret")
                        if rng.random() < 0.12:
                            breaches.append("forbidden")
                        script = lines["clean"][:1] + [line for b in breaches for line in lines[b]] + lines["clean"][1:]
                        for seq, (speaker, text) in enumerate(script):
                            storage.save_segment(said(session, seq, speaker, text))
                        moment = now - timedelta(weeks=weeks - 1 - week, days=rng.randint(0, 4), hours=rng.randint(0, 8))
                        raw_rows(db_url, "UPDATE segments SET created_at = ? WHERE session_id = ?",
                                 (moment if db.postgres else moment.isoformat(timespec="microseconds"), session))
                        if agent:
                            card = cards.add(session, "chat", agent, "sari", set(), "")
                            db.run("UPDATE console_scorecards SET created_at = ? WHERE id = ?", (db.time(moment), card.id))
    finally:
        db.close()


def test_compliance_chart_per_agent_over_time(site, browser, people, shots):
    password, codes = people["sinta"]
    seed_compliance_history(site.state.db.url)
    log_in(browser, site, "sinta", password, codes.fresh())
    wait_for(lambda: "/conversations" in browser.current_url, what="the conversation list")
    browser.find_element("link text", "Compliance").click()
    charts = wait_for(lambda: browser.find_elements("css selector", "#agent-charts svg.compliance-chart"), what="the charts")
    titles = [h.text for h in browser.find_elements("css selector", "#agent-charts h3")]
    assert titles[:3] == ["andre", "budi", "dewi"] and len(charts) == len(titles)
    rows = {row.find_elements("tag name", "td")[0].text: row.text for row in
            browser.find_elements("css selector", "#agent-table tbody tr")}
    assert rows["dewi"].split()[3] != "0" and rows["andre"].split()[3] == "0"  # dewi reads back, andre never
    assert browser.find_elements("css selector", "#agent-charts svg rect[fill='#e5484d']")  # read-back bars drawn
    browser.set_window_size(1280, 1400)
    browser.save_screenshot(str(shots / "compliance.png"))
    browser.set_window_size(1280, 900)
