"""The webhook set by setWebhook, and reading a method call from its response."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from simulator.spec import FileUpload

__all__ = ["Webhook", "read_reply"]

Json = dict[str, Any]


@dataclass
class Webhook:
    """The webhook set by setWebhook."""

    url: str
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None
    delivered: int = 0
    headers: dict[str, str] = field(default_factory=dict)

    def info(self, pending: int) -> Json:
        """Return the WebhookInfo object."""
        data: Json = {"url": self.url, "has_custom_certificate": False,
                      "pending_update_count": pending, "max_connections": self.max_connections}
        if self.last_error_date:
            data["last_error_date"] = self.last_error_date
            data["last_error_message"] = self.last_error_message
        if self.allowed_updates is not None:
            data["allowed_updates"] = self.allowed_updates
        return data


async def read_reply(resp: aiohttp.ClientResponse) -> tuple[Json, dict[str, FileUpload]] | None:
    """Read a method call returned in the webhook response (JSON or aiogram's multipart)."""
    if resp.content_type == "application/json":
        try:
            data = json.loads(await resp.read() or b"{}")
        except ValueError:
            return None
        return (data, {}) if isinstance(data, dict) and "method" in data else None
    if resp.content_type != "multipart/form-data":
        return None
    fields: Json = {}
    files: dict[str, FileUpload] = {}
    reader = aiohttp.MultipartReader.from_response(resp)
    while (part := await reader.next()) is not None:
        if not isinstance(part, aiohttp.BodyPartReader) or not part.name:
            continue
        if part.filename:
            files[part.name] = FileUpload(part.filename, bytes(await part.read()))
        else:
            fields[part.name] = await part.text()
    return (fields, files) if "method" in fields else None
