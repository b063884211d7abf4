"""Telegram-HTML parsing: text plus entities, refusing what Telegram refuses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["EntityError", "parse_html", "strip_entities", "utf16_len"]

Entity = dict[str, Any]

_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);")
_MARKUP_RE = re.compile(r"[<&]")
_NAME_RE = re.compile(r"[a-zA-Z][a-zA-Z0-9-]*")
_ATTR_RE = re.compile(
    r"""\s*([a-zA-Z_:][a-zA-Z0-9_:.-]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?"""
)


class EntityError(ValueError):
    """Text whose markup Telegram would refuse to parse."""


def utf16_len(text: str) -> int:
    """Count UTF-16 code units, the unit of Telegram's lengths and offsets."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Open:
    tag: str
    start: int
    attrs: dict[str, str]
    language: str | None = None
    children: list[str] = field(default_factory=list)


def _byte_offset(src: str, index: int) -> int:
    return len(src[:index].encode("utf-8"))


def _decode_entity(src: str, i: int) -> tuple[str, int]:
    match = _ENTITY_RE.match(src, i)
    if match is None:
        raise EntityError(f'Unexpected character "&" at byte offset {_byte_offset(src, i)}')
    body = match.group(1)
    if body.startswith("#"):
        code = int(body[2:], 16) if body[1:2] in "xX" else int(body[1:])
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise EntityError(f"Invalid character entity at byte offset {_byte_offset(src, i)}")
        return chr(code), match.end()
    if body not in _NAMED:
        raise EntityError(f'Unsupported HTML entity "&{body};" at byte offset '
                          f"{_byte_offset(src, i)}")
    return _NAMED[body], match.end()


def _unescape(value: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(value):
        if value[i] == "&":
            char, i = _decode_entity(value, i)
            out.append(char)
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def _parse_attrs(src: str, i: int, start: int) -> tuple[dict[str, str], int]:
    attrs: dict[str, str] = {}
    while True:
        while i < len(src) and src[i].isspace():
            i += 1
        if i >= len(src):
            raise EntityError(f"Unclosed start tag at byte offset {_byte_offset(src, start)}")
        if src[i] == ">":
            return attrs, i + 1
        match = _ATTR_RE.match(src, i)
        if match is None or match.end() == i:
            raise EntityError(f"Unclosed start tag at byte offset {_byte_offset(src, start)}")
        raw = match.group(2) or ""
        if raw[:1] in "\"'":
            raw = raw[1:-1]
        attrs[match.group(1).lower()] = _unescape(raw)
        i = match.end()


def _start_tag(src: str, i: int) -> tuple[_Open, int]:
    match = _NAME_RE.match(src, i + 1)
    name = match.group(0).lower() if match else ""
    if name not in _TAGS:
        raise EntityError(f'Unsupported start tag "{name}" at byte offset {_byte_offset(src, i)}')
    attrs, end = _parse_attrs(src, match.end() if match else i + 1, i)
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise EntityError('Tag "span" must have class "tg-spoiler" at byte offset '
                          f"{_byte_offset(src, i)}")
    if name == "tg-emoji" and not attrs.get("emoji-id"):
        raise EntityError(f"Custom emoji entity must have emoji-id at byte offset "
                          f"{_byte_offset(src, i)}")
    return _Open(name, 0, attrs), end


def _entity(frame: _Open, end: int) -> Entity | None:
    length = end - frame.start
    kind = _TAGS[frame.tag]
    if length <= 0:
        return None
    entity: Entity = {"type": kind, "offset": frame.start, "length": length}
    if kind == "text_link":
        href = frame.attrs.get("href", "")
        if not href:
            return None
        entity["url"] = href
    elif kind == "custom_emoji":
        entity["custom_emoji_id"] = frame.attrs["emoji-id"]
    elif kind == "blockquote" and "expandable" in frame.attrs:
        entity["type"] = "expandable_blockquote"
    elif kind == "pre" and frame.language:
        entity["language"] = frame.language
    return entity


def _end_tag(src: str, i: int, stack: list[_Open], pos: int) -> tuple[Entity | None, int]:
    close = src.find(">", i)
    if close < 0:
        raise EntityError(f"Unclosed end tag at byte offset {_byte_offset(src, i)}")
    name = src[i + 2 : close].strip().lower()
    if not stack:
        raise EntityError(f"Unexpected end tag at byte offset {_byte_offset(src, i)}")
    frame = stack.pop()
    if name != frame.tag:
        raise EntityError(f'Unmatched end tag at byte offset {_byte_offset(src, i)}, expected '
                          f'"</{frame.tag}>", found "</{name}>"')
    lang = frame.attrs.get("class", "")
    if frame.tag == "code" and stack and stack[-1].tag == "pre":
        # <pre><code class="language-x"> is one pre entity, as Telegram stores it.
        if lang.startswith("language-"):
            stack[-1].language = lang[len("language-") :]
        return None, close + 1
    return _entity(frame, pos), close + 1


def parse_html(src: str) -> tuple[str, list[Entity]]:
    """Parse Telegram HTML into plain text and entities (UTF-16 offsets)."""
    out: list[str] = []
    pos = 0
    stack: list[_Open] = []
    entities: list[Entity] = []
    i = 0
    while i < len(src):
        special = _MARKUP_RE.search(src, i)
        end = special.start() if special else len(src)
        if end > i:
            # Plain text up to the next tag or entity, taken as one run rather than by char.
            run = src[i:end]
            out.append(run)
            pos += utf16_len(run)
            i = end
        elif src.startswith("</", i):
            entity, i = _end_tag(src, i, stack, pos)
            if entity:
                entities.append(entity)
        elif src[i] == "<":
            frame, i = _start_tag(src, i)
            frame.start = pos
            stack.append(frame)
        else:
            char, i = _decode_entity(src, i)
            out.append(char)
            pos += utf16_len(char)
    if stack:
        raise EntityError(
            f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"'
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def strip_entities(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Trim surrounding whitespace like Telegram, shifting entities to match."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    size = utf16_len(stripped)
    kept: list[Entity] = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, size)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept
