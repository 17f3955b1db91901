"""Redaction policy: which operator masks each entity type, thresholds, allow-list, time budget.

Loaded from YAML (``.yaml``/``.yml``) or TOML (``.toml``)::

    score_threshold = 0.5
    time_budget_ms = 2000
    allow_list = ["Halo BCA"]

    [default]
    operator = "replace"            # label "<ENTITY_TYPE>"

    [entities.CREDIT_CARD]
    operator = "mask"               # PCI style: keep the last 4 digits
    keep_last = 4

    [entities.PERSON]
    operator = "hash"               # HMAC-SHA256 pseudonym, key from $REDACTOR_HASH_KEY

    [entities.ID_NIK]
    operator = "encrypt"            # AES-256-GCM, key from $REDACTOR_ENCRYPTION_KEY

    [entities.EMAIL_ADDRESS]
    operator = "remove"

    [entities.EMPLOYEE_NAME]
    deny_list = ["Siti Rahma"]      # always masked, as <EMPLOYEE_NAME>

    [retention]                     # days kept; absent: kept until erased
    chat_transcript_days = 365
    call_transcript_days = 365
    call_recording_days = 90
    audit_log_days = 730

    erasure_index = "auto"          # keyed hashes of detected identifiers, for erasure requests
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, get_args

import yaml

from recognizers.base import REFERENCE_CUES

from .errors import ConfigError

OperatorName = Literal["replace", "mask", "hash", "encrypt", "remove"]
OPERATORS: tuple[str, ...] = get_args(OperatorName)

#: Secrets are only ever replaced or removed: a pseudonym or ciphertext of a PIN or password
#: would let it be matched or recovered, and a masked tail shows part of it. A policy naming
#: another operator for one of them is refused; a non-default ``[default]`` operator does not
#: reach them (they fall back to ``replace``).
SECRET_TYPES = frozenset({"OTP", "PIN", "PASSWORD", "SECURITY_ANSWER"})
SECRET_OPERATORS = ("replace", "remove")
#: Words after which a number is a reference that QA needs to read, not an identifier.
DEFAULT_ALLOW_CUES: tuple[str, ...] = tuple(REFERENCE_CUES)

DEFAULT_HASH_KEY_ENV = "REDACTOR_HASH_KEY"
DEFAULT_ENCRYPTION_KEY_ENV = "REDACTOR_ENCRYPTION_KEY"
DEFAULT_ERASURE_KEY_ENV = "REDACTOR_ERASURE_KEY"
ERASURE_INDEX_MODES = ("auto", "on", "off")


@dataclass(frozen=True)
class RetentionPolicy:
    """How many days each kind of stored data is kept; None: until erased. A conversation
    expires when its last segment is older than its channel's transcript period."""

    chat_transcript_days: float | None = None
    call_transcript_days: float | None = None
    call_recording_days: float | None = None
    audit_log_days: float | None = None

    def __post_init__(self) -> None:
        for item in fields(self):
            days = getattr(self, item.name)
            if days is not None and (isinstance(days, bool) or not isinstance(days, (int, float))
                                     or days <= 0):
                raise ConfigError(f"retention {item.name} must be a positive number of days")

    @classmethod
    def from_dict(cls, data: Any) -> RetentionPolicy:
        if not isinstance(data, dict):
            raise ConfigError("'retention' must map periods to days")
        unknown = set(data) - {item.name for item in fields(cls)}
        if unknown:
            raise ConfigError(f"unknown retention keys: {sorted(unknown)}")
        return cls(**data)

    def as_dict(self) -> dict[str, float | None]:
        return {item.name: getattr(self, item.name) for item in fields(self)}


@dataclass(frozen=True)
class EntityPolicy:
    """How one entity type is masked (and whether it is detected at all)."""

    operator: OperatorName = "replace"
    label: str | None = None  # for "replace"; None means "<ENTITY_TYPE>"
    keep_last: int = 4  # for "mask"
    mask_char: str = "*"  # for "mask"
    score_threshold: float | None = None  # overrides the global threshold
    enabled: bool = True
    # Terms always masked as this type (staff names, internal codes); a type named here that
    # no recognizer knows becomes a new entity type.
    deny_list: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.operator not in OPERATORS:
            raise ConfigError(f"unknown operator {self.operator!r}; choose one of {OPERATORS}")
        if self.keep_last < 0:
            raise ConfigError("keep_last must be >= 0")
        if len(self.mask_char) != 1:
            raise ConfigError("mask_char must be a single character")
        if self.score_threshold is not None and not 0 <= self.score_threshold <= 1:
            raise ConfigError("score_threshold must be between 0 and 1")
        if isinstance(self.deny_list, str) or not all(
            isinstance(term, str) and term.strip() for term in self.deny_list
        ):
            raise ConfigError("deny_list must be a list of non-empty strings")
        object.__setattr__(self, "deny_list", tuple(self.deny_list))


@dataclass(frozen=True)
class CompliancePolicy:
    """What the console flags in agents' conversations (``[compliance]`` in the policy file).

    ``read_back``: identifiers an agent must never say or type in full; ``forbidden_in_chat`` /
    ``forbidden_in_call``: what a customer must not be led to give on that channel (a card number
    typed in chat is out of PCI scope only if it never arrives there)."""

    read_back: tuple[str, ...] = ("CREDIT_CARD", "ID_NIK", "BANK_ACCOUNT", "OTP", "IBAN_CODE")
    forbidden_in_chat: tuple[str, ...] = ("CREDIT_CARD", "CVV", "OTP", "PIN", "PASSWORD")
    forbidden_in_call: tuple[str, ...] = ()

    def forbidden(self, channel: str) -> frozenset[str]:
        return frozenset(self.forbidden_in_chat if channel == "chat" else self.forbidden_in_call)

    @classmethod
    def from_dict(cls, spec: Any) -> CompliancePolicy:
        if not isinstance(spec, dict):
            raise ConfigError("'compliance' must be a mapping")
        known = {f.name for f in fields(cls)}
        if set(spec) - known:
            raise ConfigError(f"unknown keys in 'compliance': {sorted(set(spec) - known)}; known: {sorted(known)}")
        for key, listed in spec.items():
            if not isinstance(listed, (list, tuple)) or not all(isinstance(item, str) and item.strip() for item in listed):
                raise ConfigError(f"'compliance.{key}' must be a list of entity types")
        return cls(**{key: tuple(item.strip().upper() for item in listed) for key, listed in spec.items()})


@dataclass(frozen=True)
class RedactorConfig:
    """Everything that can be tuned without code. The defaults are the embedded defaults."""

    default: EntityPolicy = field(default_factory=EntityPolicy)
    entities: dict[str, EntityPolicy] = field(default_factory=dict)
    score_threshold: float = 0.5
    allow_list: tuple[str, ...] = ()
    # A number right after one of these (the nearest cue before it) stays readable.
    allow_cues: tuple[str, ...] = DEFAULT_ALLOW_CUES
    time_budget_ms: int = 2000
    hash_key_env: str = DEFAULT_HASH_KEY_ENV
    encryption_key_env: str = DEFAULT_ENCRYPTION_KEY_ENV
    compliance: CompliancePolicy = field(default_factory=CompliancePolicy)
    retention: RetentionPolicy = field(default_factory=RetentionPolicy)
    # "auto": an erasure index is kept when $REDACTOR_ERASURE_KEY is set; "on": it must be.
    erasure_index: str = "auto"
    erasure_key_env: str = DEFAULT_ERASURE_KEY_ENV

    def __post_init__(self) -> None:
        if self.erasure_index not in ERASURE_INDEX_MODES:
            raise ConfigError(f"erasure_index must be one of {ERASURE_INDEX_MODES}")
        if not 0 <= self.score_threshold <= 1:
            raise ConfigError("score_threshold must be between 0 and 1")
        if self.time_budget_ms <= 0:
            raise ConfigError("time_budget_ms must be positive")
        for name in SECRET_TYPES & set(self.entities):
            if self.entities[name].operator not in SECRET_OPERATORS:
                raise ConfigError(
                    f"{name} is a secret: its operator must be one of {SECRET_OPERATORS}, "
                    f"not {self.entities[name].operator!r}"
                )

    def policy(self, entity_type: str) -> EntityPolicy:
        if entity_type in SECRET_TYPES and entity_type not in self.entities:
            return self.default if self.default.operator in SECRET_OPERATORS else EntityPolicy()
        return self.entities.get(entity_type, self.default)

    def threshold(self, entity_type: str) -> float:
        own = self.policy(entity_type).score_threshold
        return self.score_threshold if own is None else own

    @classmethod
    def from_file(cls, path: str | Path) -> RedactorConfig:
        path = Path(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise ConfigError(f"cannot read config {path}: {exc.strerror}") from None
        try:
            if path.suffix == ".toml":
                data = tomllib.loads(raw.decode("utf-8"))
            elif path.suffix in (".yaml", ".yml"):
                data = yaml.safe_load(raw) or {}
            else:
                raise ConfigError(f"config {path} must end in .toml, .yaml or .yml")
        except (tomllib.TOMLDecodeError, yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config {path} is not valid: {exc}") from None
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Any) -> RedactorConfig:
        if not isinstance(data, dict):
            raise ConfigError("config must be a mapping at the top level")
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ConfigError(f"unknown config keys: {sorted(unknown)}")
        values = dict(data)
        if "default" in values:
            values["default"] = _policy(values["default"], "default")
        entities = values.get("entities", {})
        if not isinstance(entities, dict):
            raise ConfigError("'entities' must map entity types to policies")
        values["entities"] = {name: _policy(spec, name) for name, spec in entities.items()}
        if "compliance" in values:
            values["compliance"] = CompliancePolicy.from_dict(values["compliance"])
        if "retention" in values:
            values["retention"] = RetentionPolicy.from_dict(values["retention"])
        if isinstance(values.get("erasure_index"), bool):  # `erasure_index = true` reads naturally
            values["erasure_index"] = "on" if values["erasure_index"] else "off"
        for key in (k for k in ("allow_list", "allow_cues") if k in values):  # absent: the defaults
            listed = values[key]
            if not isinstance(listed, (list, tuple)) or not all(
                isinstance(item, str) and item.strip() for item in listed
            ):
                raise ConfigError(f"'{key}' must be a list of non-empty strings")
            values[key] = tuple(listed)
        try:
            return cls(**values)
        except TypeError as exc:
            raise ConfigError(f"invalid config value: {exc}") from None


def _policy(spec: Any, where: str) -> EntityPolicy:
    if not isinstance(spec, dict):
        raise ConfigError(f"policy for {where} must be a mapping")
    known = {f.name for f in fields(EntityPolicy)}
    unknown = set(spec) - known
    if unknown:
        raise ConfigError(f"unknown keys in policy for {where}: {sorted(unknown)}")
    try:
        return EntityPolicy(**spec)
    except TypeError as exc:
        raise ConfigError(f"invalid policy for {where}: {exc}") from None
