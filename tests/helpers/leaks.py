"""Find identifying data in whatever the bot keeps: database bytes, Redis, logs, chats.

A Telegram id is searched in every form a storage engine may write it: decimal text, 4- and
8-byte little- and big-endian integers (PostgreSQL pages and Redis dumps on x86), SQLite's
big-endian record integers of 3 to 8 bytes and its varints (row ids, record headers), and an
IEEE double in both byte orders. Text is searched as UTF-8 (as given and lowercased) and
UTF-16 in both byte orders (a UTF-16 SQLite database).
"""

from __future__ import annotations

import logging
import struct
from collections.abc import Iterable, Mapping
from pathlib import Path

from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

Forms = dict[str, bytes]


def sqlite_varint(value: int) -> bytes:
    """SQLite's big-endian varint: 7 bits a byte, high bit set on all but the last; 9 max."""
    value &= (1 << 64) - 1
    if value >> 56:
        head = sqlite_varint(value >> 8)
        return bytes([*head[:-1], head[-1] | 0x80, value & 0xFF])
    groups = [value & 0x7F]
    value >>= 7
    while value:
        groups.append((value & 0x7F) | 0x80)
        value >>= 7
    return bytes(reversed(groups))


def id_forms(telegram_id: int) -> Forms:
    """Every byte form of an integer id that an engine may store."""
    forms: Forms = {"decimal": str(telegram_id).encode(),
                    "varint": sqlite_varint(telegram_id),
                    "double-be": struct.pack(">d", telegram_id),
                    "double-le": struct.pack("<d", telegram_id)}
    for size in (3, 4, 6, 8):
        if -(1 << (8 * size - 1)) <= telegram_id < 1 << (8 * size - 1):
            forms[f"int{size}-be"] = telegram_id.to_bytes(size, "big", signed=True)
            if size in (4, 8):
                forms[f"int{size}-le"] = telegram_id.to_bytes(size, "little", signed=True)
    return forms


def text_forms(value: str) -> Forms:
    """A name, username, phone or message text as it may be stored."""
    return {"utf-8": value.encode(), "lowercase": value.lower().encode(),
            "utf-16-le": value.encode("utf-16-le"), "utf-16-be": value.encode("utf-16-be")}


def secrets_of(ids: Iterable[int], texts: Iterable[str]) -> dict[str, Forms]:
    """What must never be found, each with its byte forms."""
    found = {f"id {i}": id_forms(i) for i in ids}
    found.update({repr(t): text_forms(t) for t in texts})
    return found


def leaks(places: Mapping[str, bytes], secrets: Mapping[str, Forms]) -> list[str]:
    """Where each secret was found, in which form: an empty list when nothing leaked."""
    return [f"{secret} as {form} in {place}"
            for place, blob in places.items()
            for secret, forms in secrets.items()
            for form, needle in forms.items() if needle in blob]


def sqlite_files(database: Path) -> dict[str, bytes]:
    """The raw bytes of a SQLite database and its -wal, -shm and journal files."""
    return {p.name: p.read_bytes() for p in database.parent.glob(f"{database.name}*")
            if p.is_file()}


async def postgres_dump(engine: AsyncEngine) -> dict[str, bytes]:
    """Every row of every table, all columns as PostgreSQL's text form, by table."""
    dump: dict[str, bytes] = {}
    async with engine.connect() as connection:
        names = (await connection.execute(text(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"))).scalars().all()
        for name in names:
            rows = await connection.execute(text(f'SELECT t::text FROM "{name}" t'))
            dump[f"postgres {name}"] = "\n".join(rows.scalars()).encode()
    return dump


async def database_dump(engine: AsyncEngine) -> dict[str, bytes]:
    """The raw files of SQLite, or every table of PostgreSQL as text."""
    if engine.dialect.name == "sqlite":
        assert engine.url.database
        return sqlite_files(Path(engine.url.database))
    return await postgres_dump(engine)


async def redis_dump(redis: Redis) -> dict[str, bytes]:
    """Every key of the Redis database with its value (as read and as DUMP serialises it)."""
    dump: dict[str, bytes] = {}
    async for key in redis.scan_iter(count=500):
        read = await _value(redis, key, (await redis.type(key)).decode())
        serialised = await redis.dump(key) or b""
        dump[f"redis {key!r}"] = key + b"\n" + repr(read).encode() + b"\n" + serialised
    return dump


async def _value(redis: Redis, key: bytes, kind: str) -> object:
    if kind == "string":
        return await redis.get(key)
    if kind == "hash":
        return await redis.hgetall(key)
    if kind == "list":
        return await redis.lrange(key, 0, -1)
    if kind == "set":
        return await redis.smembers(key)
    if kind == "zset":
        return await redis.zrange(key, 0, -1, withscores=True)
    return await redis.xrange(key) if kind == "stream" else None


def log_text(records: Iterable[logging.LogRecord]) -> bytes:
    """The logs as a handler would write them: messages, tracebacks and stack traces."""
    formatter = logging.Formatter("%(levelname)s %(name)s %(message)s")
    return "\n".join(formatter.format(record) for record in records).encode()
