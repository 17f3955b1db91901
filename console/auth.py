"""Users, passwords (Argon2id), TOTP (mandatory), sessions and login lockout.

A login is two steps: the password opens an ``mfa`` session that can do nothing but submit
a code; a valid TOTP code replaces it by a ``full`` session under a new token (so a token
planted before login is worthless: no session fixation). Tokens are 256 random bits and only
their SHA-256 is stored. A TOTP code is accepted once: the time step it belongs to is stored
and no code of that step or an earlier one is accepted again.
"""
from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .db import Database

ROLES = ("reviewer", "supervisor", "admin")
#: Each role's permissions. ``decrypt`` is no role's: it is granted to a user by itself.
PERMISSIONS: dict[str, frozenset[str]] = {
    "reviewer": frozenset({"conversations", "recordings", "download", "score"}),
    "supervisor": frozenset({"conversations", "recordings", "download", "score",
                             "scorecards_all", "audit", "alerts"}),
    "admin": frozenset({"users", "api_keys", "settings", "erase"}),
}
ISSUER = "PII Redactor Console"
MAX_FAILURES = 5  # consecutive failed logins (password or code) before a lockout
LOCKOUT = timedelta(minutes=15)
_TOUCH_EVERY = timedelta(seconds=20)  # how stale a session's last-seen time may get
_HASHER = PasswordHasher()  # argon2-cffi's defaults: Argon2id, RFC 9106 low-memory profile
_DUMMY_HASH = _HASHER.hash("timing equaliser for unknown users")


@dataclass(frozen=True)
class User:
    id: int
    username: str
    roles: frozenset[str]
    can_decrypt: bool
    disabled: bool
    locked_until: datetime | None

    @property
    def permissions(self) -> frozenset[str]:
        granted = frozenset().union(*(PERMISSIONS[role] for role in self.roles if role in PERMISSIONS))
        return granted | {"decrypt"} if self.can_decrypt else granted

    def may(self, permission: str) -> bool:
        return permission in self.permissions


@dataclass(frozen=True)
class Enrolment:
    """What a new user needs once: shown to whoever creates the account, never stored."""

    username: str
    password: str
    otpauth_uri: str


@dataclass(frozen=True)
class Session:
    token: str
    user: User
    stage: str
    csrf: str


class UserError(ValueError):
    """A user cannot be created or changed as asked (the message says why)."""


_USER_COLUMNS = "id, username, roles, can_decrypt, disabled, locked_until"


class Accounts:
    """Users and sessions in the console's tables."""

    def __init__(self, db: Database, idle: timedelta = timedelta(minutes=15),
                 absolute: timedelta = timedelta(hours=8)) -> None:
        self.db = db
        self.idle = idle
        self.absolute = absolute

    # Users.

    def count(self) -> int:
        return int(self.db.rows("SELECT COUNT(*) FROM console_users")[0][0])

    def create(self, username: str, roles: set[str], can_decrypt: bool = False) -> Enrolment:
        username = username.strip().lower()
        if not username or len(username) > 64 or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
            raise UserError("a username is 1-64 letters, digits, '.', '-' or '_'")
        _check_roles(roles)
        if self.find(username) is not None:
            raise UserError(f"user {username!r} exists")
        password, secret = new_password(), pyotp.random_base32()
        self.db.run(
            "INSERT INTO console_users (username, password_hash, totp_secret, roles, can_decrypt,"
            " disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (username, _HASHER.hash(password), secret, ",".join(sorted(roles)), can_decrypt, False,
             self.db.now()))
        return Enrolment(username, password, otpauth_uri(username, secret))

    def reset_credentials(self, username: str) -> Enrolment:
        """A new password and TOTP secret (a lost phone); ends the user's sessions."""
        password, secret = new_password(), pyotp.random_base32()
        user = self._require(username)
        self.db.run("UPDATE console_users SET password_hash = ?, totp_secret = ?, totp_last_step = 0,"
                    " failed_logins = 0, locked_until = NULL WHERE id = ?",
                    (_HASHER.hash(password), secret, user.id))
        self.end_sessions(user.id)
        return Enrolment(user.username, password, otpauth_uri(user.username, secret))

    def update(self, username: str, roles: set[str], can_decrypt: bool, disabled: bool) -> User:
        _check_roles(roles)
        user = self._require(username)
        self.db.run("UPDATE console_users SET roles = ?, can_decrypt = ?, disabled = ? WHERE id = ?",
                    (",".join(sorted(roles)), can_decrypt, disabled, user.id))
        if disabled:
            self.end_sessions(user.id)
        return self._require(username)

    def find(self, username: str) -> User | None:
        rows = self.db.rows(f"SELECT {_USER_COLUMNS} FROM console_users WHERE username = ?",
                            (username.strip().lower(),))
        return self._user(rows[0]) if rows else None

    def all(self) -> list[User]:
        return [self._user(row) for row in self.db.rows(f"SELECT {_USER_COLUMNS} FROM console_users ORDER BY username")]

    def _require(self, username: str) -> User:
        user = self.find(username)
        if user is None:
            raise UserError("no such user")
        return user

    def _user(self, row: tuple) -> User:
        user_id, username, roles, can_decrypt, disabled, locked = row
        return User(int(user_id), username, frozenset(r for r in roles.split(",") if r),
                    bool(can_decrypt), bool(disabled), None if locked is None else self.db.read_time(locked))

    # Logging in.

    def check_password(self, username: str, password: str) -> tuple[User | None, str]:
        """The user and "ok", or None and why not ("bad", "locked", "disabled")."""
        rows = self.db.rows("SELECT password_hash FROM console_users WHERE username = ?",
                            (username.strip().lower(),))
        user = self.find(username) if rows else None
        if user is None:
            _verify(_DUMMY_HASH, password)  # the same time as a wrong password: no user oracle
            return None, "bad"
        if self.locked(user):
            return None, "locked"
        if not _verify(rows[0][0], password):
            self.record_failure(user)
            return None, "bad"
        if user.disabled:
            return None, "disabled"
        if _HASHER.check_needs_rehash(rows[0][0]):
            self.db.run("UPDATE console_users SET password_hash = ? WHERE id = ?", (_HASHER.hash(password), user.id))
        return user, "ok"

    def check_code(self, user: User, code: str, now: float | None = None) -> bool:
        """A fresh TOTP code of this user: right now (±1 step of clock drift) and never used."""
        now = time.time() if now is None else now
        code = code.strip().replace(" ", "")
        rows = self.db.rows("SELECT totp_secret, totp_last_step FROM console_users WHERE id = ?", (user.id,))
        if not rows or self.locked(user) or not (code.isdigit() and len(code) == 6):
            self.record_failure(user)
            return False
        secret, last_step = rows[0]
        totp = pyotp.TOTP(secret)
        step = int(now // totp.interval)
        for candidate in (step - 1, step, step + 1):
            if candidate > last_step and secrets.compare_digest(totp.generate_otp(candidate), code):
                # Conditional update: two requests racing with one code cannot both win.
                if self.db.run("UPDATE console_users SET totp_last_step = ?, failed_logins = 0"
                               " WHERE id = ? AND totp_last_step < ?", (candidate, user.id, candidate)) == 1:
                    return True
        self.record_failure(user)
        return False

    def record_failure(self, user: User) -> None:
        self.db.run("UPDATE console_users SET failed_logins = failed_logins + 1 WHERE id = ?", (user.id,))
        rows = self.db.rows("SELECT failed_logins FROM console_users WHERE id = ?", (user.id,))
        if rows and rows[0][0] >= MAX_FAILURES:
            until = datetime.now(timezone.utc) + LOCKOUT
            self.db.run("UPDATE console_users SET locked_until = ?, failed_logins = 0 WHERE id = ?",
                        (self.db.time(until), user.id))
            self.end_sessions(user.id)

    def locked(self, user: User) -> bool:
        fresh = self.find(user.username)
        return fresh is not None and fresh.locked_until is not None and fresh.locked_until > datetime.now(timezone.utc)

    def unlock(self, username: str) -> None:
        self.db.run("UPDATE console_users SET locked_until = NULL, failed_logins = 0 WHERE username = ?", (username,))

    # Sessions.

    def open_session(self, user: User, stage: str) -> Session:
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = self.db.now()
        self.db.run("INSERT INTO console_sessions (token_hash, user_id, stage, csrf, created_at, seen_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)", (_digest(token), user.id, stage, csrf, now, now))
        return Session(token, user, stage, csrf)

    def session(self, token: str | None) -> Session | None:
        """The live session of a cookie's token; an expired one is deleted. Touches it."""
        if not token or len(token) > 100:
            return None
        rows = self.db.rows("SELECT user_id, stage, csrf, created_at, seen_at FROM console_sessions"
                            " WHERE token_hash = ?", (_digest(token),))
        if not rows:
            return None
        user_id, stage, csrf, created, seen = rows[0]
        now = datetime.now(timezone.utc)
        user_rows = self.db.rows(f"SELECT {_USER_COLUMNS} FROM console_users WHERE id = ?", (user_id,))
        user = self._user(user_rows[0]) if user_rows else None
        idle = self.idle if stage == "full" else timedelta(minutes=5)
        if (user is None or user.disabled or now - self.db.read_time(seen) > idle
                or now - self.db.read_time(created) > self.absolute):
            self.end_session(token)
            return None
        if now - self.db.read_time(seen) > _TOUCH_EVERY:  # not a write per request
            self.db.run("UPDATE console_sessions SET seen_at = ? WHERE token_hash = ?", (self.db.time(now), _digest(token)))
        return Session(token, user, stage, csrf)

    def end_session(self, token: str) -> None:
        self.db.run("DELETE FROM console_sessions WHERE token_hash = ?", (_digest(token),))

    def end_sessions(self, user_id: int) -> None:
        self.db.run("DELETE FROM console_sessions WHERE user_id = ?", (user_id,))


def otpauth_uri(username: str, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def new_password() -> str:
    """20 characters from an alphabet without look-alikes (~115 bits)."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(20))


def _verify(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _check_roles(roles: set[str]) -> None:
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise UserError(f"roles must be among {', '.join(ROLES)} (at least one)")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
