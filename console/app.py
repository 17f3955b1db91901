"""The console's web app (Starlette): routes, the permission check every route goes through,
CSRF, security headers and login throttling.

Handlers are plain functions run on Starlette's worker threads (the database calls block);
:func:`route` wraps each one with the session, permission and CSRF checks, so no handler can
forget them. Pages are server-rendered Jinja2 with autoescaping; the only script is
``static/player.js`` (the recording player), allowed by a CSP with no inline code.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import secrets
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime, time as day_time, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
import segno
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import (FileResponse, HTMLResponse, PlainTextResponse, RedirectResponse,
                                 Response, StreamingResponse)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from audio.recording import SEALED_SUFFIX
from redactor.config import DEFAULT_ENCRYPTION_KEY_ENV, CompliancePolicy, RedactorConfig
from redactor.crypto_at_rest import Keyring, StorageKeyError
from redactor.erasure import ErasureRequest
from redactor.errors import DecryptionError, KeyMissingError, RedactorError
from redactor.keys import create_key, list_keys, revoke_key
from redactor.operators import decrypt_text
from redactor.storage import open_storage

from . import anomaly, compliance, governance
from .alerts import Alerts, AlertWebhook, Watcher
from .audit import AuditLog, scrub
from .auth import ROLES, Accounts, Enrolment, Session, User, UserError
from .compliance import FLAG_KINDS, FLAG_LABELS, ComplianceStore, agent_chart_svg, weeks_back
from .conversations import Conversations, Filters, lines, waveform_svg
from .db import Database
from .scorecards import Scorecards, chart_svg, sop_prefill

HERE = Path(__file__).parent
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self';"
       " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
LOGIN_FAILURES_PER_MINUTE = 10  # per client address, on top of the per-user lockout


@dataclass
class Settings:
    db: str
    data_dir: Path = Path("data")
    secure_cookies: bool = False  # under TLS: Secure cookies with the __Host- prefix, HSTS
    idle: timedelta = timedelta(minutes=15)
    absolute: timedelta = timedelta(hours=8)
    encryption_key_env: str = DEFAULT_ENCRYPTION_KEY_ENV
    storage_keyring: Keyring | None = None  # opens what the server stored encrypted at rest
    compliance: CompliancePolicy = field(default_factory=CompliancePolicy)  # the policy file's [compliance]
    alert_webhook: str = ""  # where access-anomaly alerts are POSTed; "" for none
    alert_webhook_secret: str = ""  # signs them (X-Redactor-Signature) when set
    watch_interval_s: float = 60.0  # background refresh, compliance, anomaly scan and delivery; 0: never
    policy: RedactorConfig = field(default_factory=RedactorConfig)  # retention, hash policy, erasure key

    @property
    def cookie(self) -> str:
        return "__Host-console_session" if self.secure_cookies else "console_session"


@dataclass
class Console:
    """Everything the handlers share."""

    settings: Settings
    db: Database
    accounts: Accounts
    audit: AuditLog
    conversations: Conversations
    scorecards: Scorecards
    templates: Jinja2Templates
    compliance: ComplianceStore
    alerts: Alerts
    failures: dict[str, deque] = field(default_factory=lambda: defaultdict(deque))  # by client address


@dataclass
class Context:
    """One request as a handler sees it."""

    request: Request
    console: Console
    session: Session | None
    form: dict[str, Any]
    client: str

    @property
    def user(self) -> User:
        assert self.session is not None
        return self.session.user

    def audit(self, action: str, target: str = "", **detail: object) -> None:
        actor = self.session.user.username if self.session else "-"
        self.console.audit.append(actor, action, target, self.client, **detail)

    def page(self, name: str, status: int = 200, **values: Any) -> HTMLResponse:
        values.update(user=self.session.user if self.session else None,
                      csrf=self.session.csrf if self.session else "", nav=_nav(self.session))
        return self.console.templates.TemplateResponse(self.request, name, values, status_code=status)


def _nav(session: Session | None) -> list[tuple[str, str]]:
    if session is None or session.stage != "full":
        return []
    user = session.user
    items = [("conversations", "/conversations", "Conversations"), ("score", "/scorecards", "Scorecards"),
             ("scorecards_all", "/compliance", "Compliance"), ("alerts", "/alerts", "Alerts"),
             ("audit", "/audit", "Audit log"), ("users", "/admin/users", "Users"),
             ("api_keys", "/admin/keys", "API keys"), ("settings", "/admin/settings", "Settings"),
             ("erase", "/admin/erase", "Erasure")]
    return [(href, label) for permission, href, label in items if user.may(permission)]


def route(permission: str | None, *, stage: str = "full") -> Callable:
    """Wrap a handler: session (of ``stage``), permission, and CSRF on every POST.

    ``permission=None`` with ``stage=""``: a public page (login). Everything else needs a
    full session whose user holds ``permission``, whatever URL was typed."""

    def wrap(handler: Callable[[Context], Response]) -> Callable:
        async def endpoint(request: Request) -> Response:
            console: Console = request.app.state.console
            form = dict(await request.form()) if request.method == "POST" else {}
            client = request.client.host if request.client else "-"
            token = request.cookies.get(console.settings.cookie)
            return await run_in_threadpool(_checked, console, handler, request, form, client, token)

        def _checked(console: Console, handler: Callable, request: Request, form: dict, client: str,
                     token: str | None) -> Response:
            session = console.accounts.session(token) if token else None
            ctx = Context(request, console, session, form, client)
            if stage:
                if session is None or (stage == "full" and session.stage != "full"):
                    if request.method == "GET" and request.url.path != "/":
                        return RedirectResponse("/login?" + urlencode({"next": request.url.path}), 303)
                    return RedirectResponse("/login", 303)
                if stage == "mfa" and session.stage != "mfa":
                    return RedirectResponse("/", 303)
                if request.method == "POST" and not secrets.compare_digest(str(form.get("csrf", "")), session.csrf):
                    ctx.audit("csrf_refused", request.url.path)
                    return ctx.page("error.html", 403, title="Refused", message="The form expired or did not come from this console. Reload the page and try again.")
                if permission and not session.user.may(permission):
                    ctx.audit("denied", request.url.path, permission=permission)
                    return ctx.page("error.html", 403, title="Not allowed",
                                    message="Your role does not include this page. Ask an administrator if you need it.")
            return handler(ctx)

        return endpoint

    return wrap


# Logging in and out.

@route(None, stage="")
def login(ctx: Context) -> Response:
    request, console = ctx.request, ctx.console
    cookie_token = request.cookies.get("console_login", "")
    if request.method == "GET":
        token = secrets.token_urlsafe(32)
        response = ctx.page("login.html", login_token=token, next=_safe_next(request.query_params.get("next")))
        _set_cookie(response, console.settings, "console_login", token)
        return response
    form_token = str(ctx.form.get("login_token", ""))
    if not cookie_token or not secrets.compare_digest(cookie_token, form_token):
        ctx.console.audit.append("-", "csrf_refused", "/login", ctx.client)
        return ctx.page("error.html", 403, title="Refused", message="The login form expired. Reload the page and try again.")
    if _throttled(console, ctx.client):
        console.audit.append("-", "login_throttled", "", ctx.client)
        return ctx.page("login.html", 429, error="Too many attempts from your address. Wait a minute.",
                        login_token=form_token, next="/")
    username = str(ctx.form.get("username", ""))[:64]
    user, outcome = console.accounts.check_password(username, str(ctx.form.get("password", ""))[:1024])
    if user is None:
        # The username is logged only when it exists: a mistyped password in the name
        # field must not end up in the audit log.
        _failed(console, ctx.client)
        known = console.accounts.find(username)
        console.audit.append(known.username if known else "?", "login_failed", "", ctx.client,
                             step="password", reason=outcome)
        message = ("This account is locked after repeated failures. Try again later or ask an administrator."
                   if outcome == "locked" else "Wrong username or password.")
        return ctx.page("login.html", 401, error=message, login_token=form_token, next="/")
    session = console.accounts.open_session(user, "mfa")
    response = RedirectResponse("/login/code?" + urlencode({"next": _safe_next(ctx.form.get("next"))}), 303)
    _set_cookie(response, console.settings, console.settings.cookie, session.token)
    response.delete_cookie("console_login", path="/")
    return response


@route(None, stage="mfa")
def login_code(ctx: Context) -> Response:
    console, session = ctx.console, ctx.session
    assert session is not None
    if ctx.request.method == "GET":
        return ctx.page("code.html", next=_safe_next(ctx.request.query_params.get("next")))
    if _throttled(console, ctx.client):
        return ctx.page("code.html", 429, error="Too many attempts from your address. Wait a minute.", next="/")
    if not console.accounts.check_code(session.user, str(ctx.form.get("code", ""))):
        _failed(console, ctx.client)
        ctx.audit("login_failed", "", step="code")
        if console.accounts.locked(session.user):
            console.accounts.end_session(session.token)
            return RedirectResponse("/login", 303)
        return ctx.page("code.html", 401, error="That code is wrong or was already used. Wait for the next one.", next="/")
    # A new token for the logged-in session: whatever token existed before is worthless.
    console.accounts.end_session(session.token)
    full = console.accounts.open_session(session.user, "full")
    ctx.session = full
    ctx.audit("login")
    response = RedirectResponse(_safe_next(ctx.form.get("next")), 303)
    _set_cookie(response, console.settings, console.settings.cookie, full.token)
    return response


@route(None)
def logout(ctx: Context) -> Response:
    ctx.audit("logout")
    ctx.console.accounts.end_session(ctx.session.token)  # type: ignore[union-attr]
    response = RedirectResponse("/login", 303)
    response.delete_cookie(ctx.console.settings.cookie, path="/")
    return response


@route(None)
def home(ctx: Context) -> Response:
    nav = _nav(ctx.session)
    return RedirectResponse(nav[0][0] if nav else "/account", 303)


@route(None)
def account(ctx: Context) -> Response:
    return ctx.page("account.html")


def _throttled(console: Console, client: str) -> bool:
    """Too many failed logins from this address in the last minute (a NAT'd office's
    successful logins never count)."""
    recent = console.failures[client]
    while recent and time.monotonic() - recent[0] > 60:
        recent.popleft()
    return len(recent) >= LOGIN_FAILURES_PER_MINUTE


def _failed(console: Console, client: str) -> None:
    console.failures[client].append(time.monotonic())


def _safe_next(value: object) -> str:
    """Only a path on this site: never an open redirect."""
    text = str(value or "/")
    return text if text.startswith("/") and not text.startswith("//") and "\\" not in text else "/"


def _set_cookie(response: Response, settings: Settings, name: str, value: str) -> None:
    response.set_cookie(name, value, httponly=True, samesite="strict", secure=settings.secure_cookies, path="/")


# Conversations.

@route("conversations")
def conversation_list(ctx: Context) -> Response:
    params = ctx.request.query_params
    filters = Filters(
        kind=params.get("kind", "") if params.get("kind") in ("chat", "call") else "",
        since=_day(params.get("since")), until=_day(params.get("until"), next_day=True),
        speaker=params.get("speaker", "")[:100], entity=params.get("entity", "")[:60],
        failed=params.get("failed") == "1", q=params.get("q", "")[:200])
    page = _int(params.get("page"), 1)
    conversations = ctx.console.conversations
    rows, more = conversations.page(filters, page)
    speakers, types = conversations.choices()
    searched = filters.as_audit()
    if "q" in searched:
        searched["q"] = scrub(str(searched["q"]))
    ctx.audit("search" if searched else "list", "conversations", page=page, **searched)
    base = {key: value for key, value in params.items() if key != "page"}
    return ctx.page("conversations.html", rows=rows, page=page, more=more, filters=filters, params=params,
                    speakers=speakers, types=types,
                    prev_url="?" + urlencode({**base, "page": page - 1}) if page > 1 else "",
                    next_url="?" + urlencode({**base, "page": page + 1}) if more else "")


def _conversation(ctx: Context) -> tuple[str, str, list] | Response:
    source = ctx.form if ctx.request.method == "POST" else ctx.request.query_params
    session_id, kind = str(source.get("id", "")), str(source.get("kind", ""))
    try:
        segments = ctx.console.conversations.segments(session_id, kind) if kind in ("chat", "call") else []
    except StorageKeyError as error:  # names key ids at most, never text
        return ctx.page("error.html", 503, title="Cannot read this conversation", message=str(error))
    if not segments:
        return ctx.page("error.html", 404, title="Not found", message="No such conversation.")
    return session_id, kind, segments


@route("conversations")
def conversation_page(ctx: Context) -> Response:
    found = _conversation(ctx)
    if isinstance(found, Response):
        return found
    ctx.audit("view", f"{found[1]}:{found[0]}")
    return _render_conversation(ctx, *found)


def _render_conversation(ctx: Context, session_id: str, kind: str, segments: list, revealed: dict | None = None,
                         status: int = 200, error: str = "") -> Response:
    console = ctx.console
    recording = console.conversations.recording(session_id) if kind == "call" else None
    playable = recording is not None and console.conversations.recording_file(recording) is not None
    agents = [s.speaker for s in segments if s.speaker.lower() not in ("customer", "caller", "client", "nasabah")]
    cards = console.scorecards.for_conversation(session_id, kind)
    if not ctx.user.may("scorecards_all"):
        cards = [card for card in cards if card.reviewer == ctx.user.username]
    encrypted = sum(1 for line in lines(segments) for piece in line.pieces if piece.encrypted)
    query = urlencode({"kind": kind, "id": session_id})
    flags = console.compliance.for_conversation(session_id, kind)
    checklist = console.scorecards.checklist()
    return ctx.page("conversation.html", status, session_id=session_id, kind=kind, lines=lines(segments),
                    compliance_flags=flags, prefill=sop_prefill(checklist, flags),
                        recording=recording if playable else None, query=query, revealed=revealed or {},
                        encrypted=encrypted, checklist=checklist, cards=cards,
                        agent=agents[0] if agents else "", error=error,
                        failed=sum(s.failed for s in segments), duration=segments[-1].end_s)


@route("decrypt")
def decrypt(ctx: Context) -> Response:
    found = _conversation(ctx)
    if isinstance(found, Response):
        return found
    session_id, kind, segments = found
    target = f"{kind}:{session_id}"
    reason = scrub(str(ctx.form.get("reason", "")), 300)
    if len(reason) < 10:
        return _render_conversation(ctx, *found, status=400, error="Give a reason of at least 10 characters (a ticket, a dispute).")
    if not ctx.console.accounts.check_code(ctx.user, str(ctx.form.get("code", ""))):
        ctx.audit("decrypt_refused", target, reason=reason, why="code")
        return _render_conversation(ctx, *found, status=403, error="That code is wrong or was already used: enter a fresh code.")
    revealed: dict[str, str] = {}
    types: list[str] = []
    try:
        for line in lines(segments):
            for piece in line.pieces:
                if piece.encrypted and piece.text not in revealed:
                    revealed[piece.text] = decrypt_text(piece.text, key_env=ctx.console.settings.encryption_key_env)
                    types.append(piece.entity or "")
    except (KeyMissingError, DecryptionError) as error:
        ctx.audit("decrypt_failed", target, reason=reason, error=type(error).__name__)
        return _render_conversation(ctx, *found, status=500, error=f"Cannot decrypt: {error}")
    ctx.audit("decrypt", target, reason=reason, values=len(revealed), types=sorted(set(types)))
    return _render_conversation(ctx, *found, revealed=revealed)


@route("recordings")
def audio(ctx: Context) -> Response:
    return _recording_response(ctx, download=False)


def _recording_response(ctx: Context, download: bool) -> Response:
    session_id = ctx.request.query_params.get("id", "")
    recording = ctx.console.conversations.recording(session_id)
    path = ctx.console.conversations.recording_file(recording) if recording else None
    if path is None:
        return PlainTextResponse("no recording", 404)
    range_header = ctx.request.headers.get("range", "")
    if download:
        ctx.audit("download", f"call:{session_id}", format="wav")
    elif not range_header or range_header.replace(" ", "").startswith("bytes=0-"):
        ctx.audit("playback", f"call:{session_id}")  # a player's first request, not each range
    headers = {"Content-Disposition": f'attachment; filename="{_file_name(session_id)}.wav"'} if download else {}
    if not path.name.endswith(SEALED_SUFFIX):
        return FileResponse(path, media_type="audio/wav", headers=headers)
    try:  # decrypted in memory, never to disk
        return Response(ctx.console.conversations.recording_wav(recording, path), media_type="audio/wav",
                        headers=headers)
    except StorageKeyError as error:
        return PlainTextResponse(f"cannot play this recording: {error}", 503)


@route("recordings")
def waveform(ctx: Context) -> Response:
    session_id = ctx.request.query_params.get("id", "")
    recording = ctx.console.conversations.recording(session_id)
    path = ctx.console.conversations.recording_file(recording) if recording else None
    if recording is None or path is None:
        return PlainTextResponse("no recording", 404)
    try:
        wav_bytes = ctx.console.conversations.recording_wav(recording, path)
    except StorageKeyError as error:
        return PlainTextResponse(f"cannot draw this recording: {error}", 503)
    return Response(waveform_svg(wav_bytes, recording.spans), media_type="image/svg+xml",
                    headers={"Cache-Control": "private, max-age=300"})


@route("download")
def download(ctx: Context) -> Response:
    fmt = ctx.request.query_params.get("format", "json")
    if fmt == "wav":
        if not ctx.user.may("recordings"):
            return ctx.page("error.html", 403, title="Not allowed", message="Your role does not include recordings.")
        return _recording_response(ctx, download=True)
    found = _conversation(ctx)
    if isinstance(found, Response):
        return found
    session_id, kind, segments = found
    ctx.audit("download", f"{kind}:{session_id}", format=fmt)
    name = f"{_file_name(session_id)}.{'csv' if fmt == 'csv' else 'json'}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["seq", "speaker", "start_s", "end_s", "failed", "entity_types", "text"])
        for s in segments:
            writer.writerow([s.seq, _cell(s.speaker), s.start_s, s.end_s, s.failed,
                             " ".join(e.type for e in s.entities), _cell(s.text)])
        return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)
    body = {"conversation": session_id, "kind": kind, "segments": [
        {"seq": s.seq, "speaker": s.speaker, "start_s": s.start_s, "end_s": s.end_s, "failed": s.failed,
         "text": s.text, "entities": [e.as_json() for e in s.entities]} for s in segments]}
    return Response(json.dumps(body, ensure_ascii=False, indent=1), media_type="application/json", headers=headers)


def _cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _file_name(session_id: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in session_id)[:80] or "conversation"


# Scorecards.

@route("score")
def score(ctx: Context) -> Response:
    found = _conversation(ctx)
    if isinstance(found, Response):
        return found
    session_id, kind, _ = found
    checklist = ctx.console.scorecards.checklist()
    passed = {item for index, item in enumerate(checklist) if ctx.form.get(f"item{index}") == "on"}
    agent = str(ctx.form.get("agent", "")).strip() or "unknown"
    card = ctx.console.scorecards.add(session_id, kind, agent, ctx.user.username, passed, str(ctx.form.get("comment", "")))
    flagged = sop_prefill(checklist, ctx.console.compliance.for_conversation(session_id, kind))
    overridden = sorted(item for item, reasons in flagged.items() if reasons and item in passed)
    ctx.audit("scorecard", f"{kind}:{session_id}", agent=card.agent, score=card.score,
              **({"passed_despite_flags": overridden} if overridden else {}))
    return RedirectResponse("/conversation?" + urlencode({"kind": kind, "id": session_id}) + "#scorecards", 303)


@route("score")
def scorecards(ctx: Context) -> Response:
    everyone = ctx.user.may("scorecards_all")
    cards = ctx.console.scorecards.all(None if everyone else ctx.user.username)
    ctx.audit("scorecards_view", "all" if everyone else "own")
    agents: dict[str, list[float]] = defaultdict(list)
    for card in cards:
        agents[card.agent].append(card.score)
    summary = sorted((agent, len(scores), sum(scores) / len(scores)) for agent, scores in agents.items())
    return ctx.page("scorecards.html", cards=list(reversed(cards))[:200], everyone=everyone, summary=summary,
                    chart=chart_svg(cards) if everyone else "")


# Supervision.

@route("audit")
def audit_page(ctx: Context) -> Response:
    params = ctx.request.query_params
    page = _int(params.get("page"), 1)
    actor, action = params.get("actor", "")[:64], params.get("action", "")[:40]
    log = ctx.console.audit
    entries = log.entries(100, (page - 1) * 100, actor, action)
    verdict = log.verify() if params.get("verify") == "1" else None
    ctx.audit("audit_view", "", page=page, **({"verify": verdict.ok} if verdict else {}))
    base = {key: value for key, value in params.items() if key not in ("page", "verify")}
    total = log.count(actor, action)
    return ctx.page("audit.html", entries=entries, verdict=verdict, actor=actor, action=action, page=page,
                    prev_url="?" + urlencode({**base, "page": page - 1}) if page > 1 else "",
                    next_url="?" + urlencode({**base, "page": page + 1}) if page * 100 < total else "", total=total)


@route("audit")
def audit_export(ctx: Context) -> Response:
    fmt = "csv" if ctx.request.query_params.get("format") == "csv" else "jsonl"
    ctx.audit("audit_export", "", format=fmt)
    log = ctx.console.audit
    body = log.export_csv() if fmt == "csv" else log.export_jsonl()
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return StreamingResponse(iterate_in_thread(body), media_type="text/csv" if fmt == "csv" else "application/jsonl",
                             headers={"Content-Disposition": f'attachment; filename="audit-{stamp}.{fmt}"'})


async def iterate_in_thread(chunks):
    iterator = iter(chunks)
    sentinel = object()
    while (chunk := await run_in_threadpool(next, iterator, sentinel)) is not sentinel:
        yield chunk


@route("alerts")
def alerts(ctx: Context) -> Response:
    console = ctx.console
    failed, _ = console.conversations.page(Filters(failed=True))
    now = datetime.now(timezone.utc)
    locked = [user for user in console.accounts.all() if user.locked_until and user.locked_until > now]
    day_ago = (now - timedelta(days=1)).isoformat()
    failures = console.db.rows("SELECT COUNT(*) FROM console_audit WHERE action = 'login_failed' AND at >= ?", (day_ago,))[0][0]
    denied = console.db.rows("SELECT COUNT(*) FROM console_audit WHERE action IN ('denied', 'csrf_refused') AND at >= ?",
                             (day_ago,))[0][0]
    verdict = console.audit.verify()
    console.alerts.scan(now)  # the background watcher scans too: this one makes the page current
    ctx.audit("alerts_view")
    return ctx.page("alerts.html", failed=failed, locked=locked, failures=failures, denied=denied, verdict=verdict,
                    anomalies=console.alerts.recent(), webhook=bool(console.settings.alert_webhook))


@route("alerts")
def alert_ack(ctx: Context) -> Response:
    try:
        alert_id = int(str(ctx.form.get("alert", "")))
    except ValueError:
        alert_id = 0
    if ctx.console.alerts.acknowledge(alert_id, ctx.user.username, ctx.client) is None:
        return ctx.page("error.html", 404, title="Not found", message="No such open alert: it may have been acknowledged already.")
    return RedirectResponse("/alerts#anomalies", 303)


@route("scorecards_all")
def compliance_page(ctx: Context) -> Response:
    weeks = 12
    now = datetime.now(timezone.utc)
    store = ctx.console.compliance
    ctx.console.conversations.refresh()
    store.refresh()
    mondays = weeks_back(now, weeks)
    records = store.per_agent(datetime.combine(mondays[0], day_time(0), tzinfo=timezone.utc))
    top = max((sum(week.get(kind, 0) for kind in FLAG_KINDS) for r in records for week in r.weeks.values()), default=0)
    top = max(2, top + top % 2)  # an even top: its half is a whole number on the axis
    charts = {r.agent: agent_chart_svg(r, mondays, top) for r in records}
    ctx.audit("compliance_view")
    return ctx.page("compliance.html", records=records, charts=charts, weeks=weeks, kinds=FLAG_KINDS,
                    labels=FLAG_LABELS, flagged=store.flagged(),
                    policy=ctx.console.settings.compliance)


# Administration.

@route("users")
def users(ctx: Context) -> Response:
    accounts = ctx.console.accounts
    enrolment: Enrolment | None = None
    error = ""
    if ctx.request.method == "POST":
        action, username = ctx.form.get("action"), str(ctx.form.get("username", ""))
        roles = {role for role in ROLES if ctx.form.get(f"role_{role}") == "on"}
        can_decrypt = ctx.form.get("can_decrypt") == "on"
        try:
            if action == "create":
                enrolment = accounts.create(username, roles, can_decrypt)
                ctx.audit("user_create", enrolment.username, roles=sorted(roles), decrypt=can_decrypt)
            elif action == "update":
                if username == ctx.user.username and "admin" not in roles:
                    raise UserError("you cannot remove your own admin role")
                disabled = ctx.form.get("disabled") == "on"
                accounts.update(username, roles, can_decrypt, disabled)
                ctx.audit("user_update", username, roles=sorted(roles), decrypt=can_decrypt, disabled=disabled)
            elif action == "reset":
                enrolment = accounts.reset_credentials(username)
                ctx.audit("user_reset", username)
            elif action == "unlock":
                accounts.unlock(username)
                ctx.audit("user_unlock", username)
        except UserError as exc:
            error = str(exc)
    else:
        ctx.audit("users_view")
    qr = segno.make(enrolment.otpauth_uri, error="m").svg_inline(scale=4, dark="#1b1d2a") if enrolment else ""
    now = datetime.now(timezone.utc)
    return ctx.page("users.html", 400 if error else 200, users=accounts.all(), roles=ROLES, enrolment=enrolment,
                    qr=qr, error=error, now=now)


@route("api_keys")
def api_keys(ctx: Context) -> Response:
    created = ""
    with open_storage(ctx.console.settings.db) as storage:
        if ctx.request.method == "POST":
            if ctx.form.get("action") == "create":
                created = create_key(storage, str(ctx.form.get("name", ""))[:80])
                ctx.audit("api_key_create", created.split("_")[1], name=str(ctx.form.get("name", ""))[:80])
            elif ctx.form.get("action") == "revoke":
                key_id = str(ctx.form.get("key_id", ""))
                if revoke_key(storage, key_id):
                    ctx.audit("api_key_revoke", key_id)
        else:
            ctx.audit("api_keys_view")
        keys = list_keys(storage)
    return ctx.page("keys.html", keys=keys, created=created)


@route("settings")
def settings_page(ctx: Context) -> Response:
    scorecards, error = ctx.console.scorecards, ""
    if ctx.request.method == "POST" and ctx.form.get("section") == "retention":
        error = _save_retention(ctx)
    elif ctx.request.method == "POST":
        try:
            items = scorecards.set_checklist(str(ctx.form.get("checklist", "")).splitlines())
            ctx.audit("settings_change", "checklist", items=len(items))
        except ValueError as exc:
            error = str(exc)
    retention = governance.effective_retention(ctx.console.db, ctx.console.settings.policy.retention)
    return ctx.page("settings.html", checklist=scorecards.checklist(), error=error, settings=ctx.console.settings,
                    retention=retention.as_dict(), retention_labels=RETENTION_LABELS)


RETENTION_LABELS = {"chat_transcript_days": "Chat transcripts", "call_transcript_days": "Call transcripts",
                    "call_recording_days": "Call recordings", "audit_log_days": "Audit log"}


def _save_retention(ctx: Context) -> str:
    """Days per kind; an empty field keeps the policy file's period (or forever)."""
    try:
        periods = {name: float(value) if (value := str(ctx.form.get(name, "")).strip()) else None
                   for name in RETENTION_LABELS}
        chosen = governance.save_retention(ctx.console.db, periods)
    except (ValueError, RedactorError) as exc:
        return f"Retention not saved: {exc}"
    ctx.audit("settings_change", "retention", **{k: v for k, v in chosen.as_dict().items() if v is not None})
    return ""


@route("erase")
def erase_page(ctx: Context) -> Response:
    """An admin erases a data subject; the value typed is never stored or shown again."""
    receipt, error = None, ""
    if ctx.request.method == "POST":
        try:
            request = ErasureRequest(str(ctx.form.get("by", "")), str(ctx.form.get("value", "")))
            receipt = governance.run_erasure(
                ctx.console.settings.db, ctx.console.settings.policy, request, ctx.user.username,
                os.environ, id_key=os.environ.get("REDACTOR_ID_KEY") or None,
                keyring=Keyring.from_environ(), client=ctx.client,
                anonymise=ctx.form.get("anonymise") == "on")
        except RedactorError as exc:
            error = f"Nothing erased: {exc}"
    return ctx.page("erase.html", receipt=receipt and json.dumps(receipt, indent=2, sort_keys=True), error=error)


def _int(value: str | None, default: int) -> int:
    try:
        return max(1, min(int(value or default), 100_000))
    except ValueError:
        return default


def _day(value: str | None, next_day: bool = False) -> datetime | None:
    try:
        day = datetime.strptime(value or "", "%Y-%m-%d").date()
    except ValueError:
        return None
    moment = datetime.combine(day, day_time(0), tzinfo=timezone.utc)
    return moment + timedelta(days=1) if next_day else moment


# The application.

class SecurityHeaders:
    """Headers on every response: strict CSP, no framing, nosniff, no caching of pages."""

    def __init__(self, app: Any, secure: bool) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", CSP.encode()), (b"x-frame-options", b"DENY"),
            (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
            (b"cross-origin-opener-policy", b"same-origin"), (b"cross-origin-resource-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        ]
        if secure:
            self.headers.append((b"strict-transport-security", b"max-age=31536000"))

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"server"]
                names = {k.lower() for k, _ in headers}
                headers += [h for h in self.headers if h[0] not in names]
                if b"cache-control" not in names:
                    static = scope["path"].startswith("/static/")
                    headers.append((b"cache-control", b"private, max-age=3600" if static else b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(settings: Settings) -> Starlette:
    db = Database(settings.db)
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True)
    templates = Jinja2Templates(env=environment)
    templates.env.filters["clock"] = _clock
    audit, conversations = AuditLog(db), Conversations(db, settings.data_dir, settings.storage_keyring)
    hook = AlertWebhook(settings.alert_webhook, settings.alert_webhook_secret) if settings.alert_webhook else None
    console = Console(settings, db, Accounts(db, settings.idle, settings.absolute), audit, conversations,
                      Scorecards(db), templates, ComplianceStore(db, conversations, settings.compliance),
                      Alerts(db, audit, hook))
    conversations.refresh()  # a large database's first summary is built now, not on a page view
    watcher = Watcher([("conversation summary", conversations.refresh), ("compliance flags", console.compliance.refresh),
                       ("anomaly scan", console.alerts.scan), ("alert delivery", console.alerts.deliver_due)],
                      settings.watch_interval_s)
    routes = [
        Route("/", home),
        Route("/login", login, methods=["GET", "POST"]),
        Route("/login/code", login_code, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/account", account),
        Route("/conversations", conversation_list),
        Route("/conversation", conversation_page),
        Route("/conversation/audio", audio),
        Route("/conversation/waveform.svg", waveform),
        Route("/conversation/download", download),
        Route("/conversation/decrypt", decrypt, methods=["POST"]),
        Route("/conversation/score", score, methods=["POST"]),
        Route("/scorecards", scorecards),
        Route("/audit", audit_page),
        Route("/audit/export", audit_export),
        Route("/alerts", alerts),
        Route("/alerts/ack", alert_ack, methods=["POST"]),
        Route("/compliance", compliance_page),
        Route("/admin/users", users, methods=["GET", "POST"]),
        Route("/admin/keys", api_keys, methods=["GET", "POST"]),
        Route("/admin/settings", settings_page, methods=["GET", "POST"]),
        Route("/admin/erase", erase_page, methods=["GET", "POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if settings.watch_interval_s > 0:
            watcher.start()
        yield
        await run_in_threadpool(watcher.stop)
        db.close()

    app = Starlette(routes=routes, lifespan=lifespan, max_body_size=1 << 20)
    app.state.console = console
    app.state.watcher = watcher
    app.add_middleware(SecurityHeaders, secure=settings.secure_cookies)
    return app


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"
