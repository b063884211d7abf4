"""Validation of Bot API requests against the machine-readable spec (api.min.json)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["ApiError", "FileUpload", "MethodSpec", "Spec", "default_spec_path"]

_TRUE = {"true", "1", "True"}
_FALSE = {"false", "0", "False", ""}
# Telegram words some missing parameters its own way.
_MISSING = {"text": "message text is empty", "message_ids": "message identifiers are empty"}


class ApiError(Exception):
    """A refusal that becomes a Telegram-shaped error response."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        """Return the JSON body Telegram would answer with."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(text: str) -> ApiError:
    """Build a 400 error with Telegram's prefix."""
    return ApiError(400, f"Bad Request: {text}")


@dataclass
class FileUpload:
    """A file sent as a multipart part."""

    filename: str
    data: bytes = field(repr=False)
    content_type: str = "application/octet-stream"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    types: tuple[str, ...]
    required: bool
    # An object or array field, checked as JSON; worked out once, not per request.
    is_object: bool = False


@dataclass(frozen=True)
class MethodSpec:
    name: str
    fields: dict[str, FieldSpec]
    returns: tuple[str, ...]


def default_spec_path() -> Path:
    """SOKH_BOTAPI_SPEC, else <repo>/../shared/botapi/api.min.json (kept outside the repo)."""
    if configured := os.environ.get("SOKH_BOTAPI_SPEC"):
        return Path(configured)
    repo_root = Path(__file__).resolve().parents[1]
    return repo_root.parent / "shared" / "botapi" / "api.min.json"


class Spec:
    """Methods and types of the Bot API, with request coercion and checks."""

    def __init__(self, path: Path | None = None) -> None:
        source = path or default_spec_path()
        if not source.is_file():
            raise FileNotFoundError(
                f"Bot API spec not found at {source}: the emulator checks every request "
                "against it; set SOKH_BOTAPI_SPEC to the path of api.min.json"
            )
        raw = json.loads(source.read_text(encoding="utf-8"))
        self.version: str = raw.get("version", "")
        self.type_names: set[str] = set(raw["types"])
        self.methods: dict[str, MethodSpec] = {}
        for name, body in raw["methods"].items():
            fields = {f["name"]: self._field(f) for f in body.get("fields", [])}
            spec = MethodSpec(name, fields, tuple(body.get("returns", [])))
            self.methods[name.lower()] = spec
        self.types: dict[str, dict[str, FieldSpec]] = {
            name: {f["name"]: self._field(f) for f in body.get("fields", [])}
            for name, body in raw["types"].items()
            if "fields" in body and "subtypes" not in body
        }

    def _field(self, raw: dict[str, Any]) -> FieldSpec:
        types = tuple(raw["types"])
        is_object = any(t.startswith("Array of") or t in self.type_names
                        for t in types if t != "InputFile")
        return FieldSpec(raw["name"], types, bool(raw["required"]), is_object)

    def method(self, name: str) -> MethodSpec | None:
        """Look a method up case-insensitively, as Telegram does."""
        return self.methods.get(name.lower())

    def validate(self, method: MethodSpec, params: dict[str, Any]) -> dict[str, Any]:
        """Return params coerced to their spec types, or raise ApiError."""
        out: dict[str, Any] = {}
        for name, fspec in method.fields.items():
            if name not in params or params[name] is None:
                if fspec.required:
                    raise bad_request(_MISSING.get(name, f"{name} is required"))
                continue
            out[name] = self._coerce(fspec, params[name])
        # Telegram ignores parameters it does not know; keep them for the record.
        for name, value in params.items():
            out.setdefault(name, value)
        return out

    def _coerce(self, fspec: FieldSpec, value: Any) -> Any:
        types = fspec.types
        if isinstance(value, FileUpload):
            if any(t == "InputFile" or t.startswith("Input") for t in types):
                return value
            raise bad_request(f'field "{fspec.name}" can\'t be a file')
        if fspec.is_object:
            return self._coerce_object(fspec, value)
        if "Integer" in types:
            number = _as_int(value)
            if number is not None:
                return number
            if "String" in types and isinstance(value, str):
                return value
            raise bad_request(f'field "{fspec.name}" must be of type Integer')
        if "Float" in types:
            try:
                return float(value)
            except (TypeError, ValueError):
                raise bad_request(f'field "{fspec.name}" must be of type Number') from None
        if "Boolean" in types:
            return _as_bool(fspec.name, value)
        if isinstance(value, (dict, list)):
            raise bad_request(f'field "{fspec.name}" must be of type String')
        return value if isinstance(value, str) else json.dumps(value)

    def _coerce_object(self, fspec: FieldSpec, value: Any) -> Any:
        if isinstance(value, str):
            if value.startswith("attach://") or "String" in fspec.types:
                return value
            try:
                value = json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {fspec.name} JSON object") from None
        is_array = all(t.startswith("Array of") for t in fspec.types)
        if is_array and not isinstance(value, list):
            raise bad_request(f'field "{fspec.name}" must be an Array')
        if not is_array and not isinstance(value, (dict, str)):
            raise bad_request(f'field "{fspec.name}" must be an Object')
        if len(fspec.types) == 1:
            self._check_nested(fspec.name, fspec.types[0], value)
        return value

    def _check_nested(self, where: str, type_name: str, value: Any) -> None:
        if type_name.startswith("Array of "):
            inner = type_name[len("Array of ") :]
            for item in value if isinstance(value, list) else []:
                self._check_nested(where, inner, item)
            return
        fields = self.types.get(type_name)
        if fields is None or not isinstance(value, dict):
            return
        for name, sub in fields.items():
            if sub.required and name not in value:
                raise bad_request(f"can't parse {where}: field \"{name}\" is required")


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit() and text.count("-") <= 1 and not text.endswith("-"):
            return int(text)
    return None


def _as_bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str) and value in _TRUE:
        return True
    if isinstance(value, str) and value in _FALSE:
        return False
    raise bad_request(f'field "{name}" must be of type Boolean')
