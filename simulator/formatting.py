"""parse_mode handling: MarkdownV2, legacy Markdown and the dispatch to HTML."""

from __future__ import annotations

from typing import Any

from simulator.html_check import EntityError, parse_html, strip_entities, utf16_len
from simulator.spec import ApiError, bad_request

__all__ = ["format_text", "parse_markdown", "parse_markdown_v2"]

Entity = dict[str, Any]

_RESERVED = set("_*[]()~`>#+-=|{}.!")
_V2 = {"*": "bold", "_": "italic", "__": "underline", "~": "strikethrough", "||": "spoiler"}
_NAMES = {"bold": "Bold", "italic": "Italic", "underline": "Underline",
          "strikethrough": "Strikethrough", "spoiler": "Spoiler", "text_link": "TextUrl"}


def _offset(src: str, index: int) -> int:
    return len(src[:index].encode("utf-8"))


def _until(src: str, i: int, stop: str, what: str, start: int) -> tuple[str, int]:
    """Read up to the unescaped stop string, unescaping backslashes."""
    out: list[str] = []
    while i < len(src):
        if src[i] == "\\" and i + 1 < len(src):
            out.append(src[i + 1])
            i += 2
        elif src.startswith(stop, i):
            return "".join(out), i + len(stop)
        else:
            out.append(src[i])
            i += 1
    raise EntityError(f"Can't find end of {what} entity at byte offset {_offset(src, start)}")


class _V2Parser:
    def __init__(self, src: str) -> None:
        self.src = src
        self.out: list[str] = []
        self.pos = 0
        self.stack: list[tuple[str, int, int]] = []
        self.entities: list[Entity] = []
        self.quote: int | None = None

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.pos += utf16_len(text)

    def add(self, kind: str, start: int, **extra: Any) -> None:
        if self.pos > start:
            self.entities.append({"type": kind, "offset": start, "length": self.pos - start,
                                  **extra})

    def code(self, i: int) -> int:
        src = self.src
        if src.startswith("```", i):
            body, end = _until(src, i + 3, "```", "Pre", i)
            first, _, rest = body.partition("\n")
            language = first.strip() if rest and first.strip() and " " not in first else ""
            start = self.pos
            self.emit(rest if language else body)
            self.add("pre", start, **({"language": language} if language else {}))
            return end
        body, end = _until(src, i + 1, "`", "Code", i)
        start = self.pos
        self.emit(body)
        self.add("code", start)
        return end

    def marker(self, i: int, marker: str) -> int:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == marker:
                _, start, _ = self.stack.pop(depth)
                self.add(_V2[marker], start)
                return i + len(marker)
        self.stack.append((marker, self.pos, i))
        return i + len(marker)

    def close_link(self, i: int) -> int:
        src = self.src
        depth = max((d for d, s in enumerate(self.stack) if s[0] in "[!"), default=-1)
        if depth < 0 or not src.startswith("(", i + 1):
            raise EntityError(f"Character '{src[i]}' is reserved and must be escaped with "
                              "the preceding '\\'")
        kind, start, _ = self.stack.pop(depth)
        url, end = _until(src, i + 2, ")", "TextUrl", i)
        if kind == "!":
            self.add("custom_emoji", start, custom_emoji_id=url.rsplit("=", 1)[-1])
        else:
            self.add("text_link", start, url=url)
        return end

    def newline(self, i: int) -> None:
        if self.quote is not None and not self.src.startswith(">", i + 1):
            self.add("blockquote", self.quote)
            self.quote = None
        self.emit("\n")

    def step(self, i: int) -> int:
        src, char = self.src, self.src[i]
        at_line_start = i == 0 or src[i - 1] == "\n"
        two = src[i : i + 2]
        if char == "\\" and i + 1 < len(src) and 0 < ord(src[i + 1]) <= 126:
            self.emit(src[i + 1])
            return i + 2
        if char == "`":
            return self.code(i)
        if two in ("__", "||"):
            return self.marker(i, two)
        if char in "*_~":
            return self.marker(i, char)
        if char == "[" or two == "![":
            self.stack.append(("[" if char == "[" else "!", self.pos, i))
            return i + len("[" if char == "[" else "![")
        if char == "]":
            return self.close_link(i)
        if char == ">" and at_line_start:
            self.quote = self.pos if self.quote is None else self.quote
            return i + 1
        if char == "\n":
            self.newline(i)
            return i + 1
        if char in _RESERVED:
            raise EntityError(f"Character '{char}' is reserved and must be escaped with the "
                              "preceding '\\'")
        self.emit(char)
        return i + 1

    def run(self) -> tuple[str, list[Entity]]:
        i = 0
        while i < len(self.src):
            i = self.step(i)
        if self.quote is not None:
            self.add("blockquote", self.quote)
        if self.stack:
            marker, _, index = self.stack[-1]
            name = _NAMES.get(_V2.get(marker, "text_link"), "TextUrl")
            raise EntityError(f"Can't find end of {name} entity at byte offset "
                              f"{_offset(self.src, index)}")
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities


def parse_markdown_v2(src: str) -> tuple[str, list[Entity]]:
    """Parse MarkdownV2 into plain text and entities."""
    return _V2Parser(src).run()


def parse_markdown(src: str) -> tuple[str, list[Entity]]:
    """Parse legacy Markdown (*bold* _italic_ `code` [text](url))."""
    out: list[str] = []
    entities: list[Entity] = []
    pos, i = 0, 0
    kinds = {"*": "bold", "_": "italic", "`": "code"}
    while i < len(src):
        char = src[i]
        if char == "\\" and i + 1 < len(src) and src[i + 1] in "_*`[":
            out.append(src[i + 1])
            pos, i = pos + 1, i + 2
            continue
        if char in kinds or char == "[":
            stop = "]" if char == "[" else char
            close = src.find(stop, i + 1)
            if close < 0 or (char == "[" and not src.startswith("(", close + 1)):
                raise EntityError("Can't find end of the entity starting at byte offset "
                                  f"{_offset(src, i)}")
            body = src[i + 1 : close]
            entity: Entity = {"type": kinds.get(char, "text_link"), "offset": pos,
                              "length": utf16_len(body)}
            i = close + 1
            if char == "[":
                url_end = src.find(")", close)
                entity["url"], i = src[close + 2 : url_end], url_end + 1
            out.append(body)
            pos += utf16_len(body)
            if entity["length"]:
                entities.append(entity)
            continue
        out.append(char)
        pos, i = pos + utf16_len(char), i + 1
    return "".join(out), entities


def _check_entities(text: str, entities: Any) -> list[Entity]:
    if not isinstance(entities, list) or not all(isinstance(e, dict) for e in entities):
        raise bad_request("can't parse entities JSON object")
    size = utf16_len(text)
    for entity in entities:
        offset, length = entity.get("offset"), entity.get("length")
        if not isinstance(offset, int) or not isinstance(length, int) or "type" not in entity:
            raise bad_request("can't parse entities: entity must have type, offset, length")
        if offset < 0 or length < 0 or offset + length > size:
            raise bad_request("can't parse entities: entity beyond the end of text")
    return [dict(e) for e in entities]


def format_text(text: str, parse_mode: str | None,
                entities: Any = None) -> tuple[str, list[Entity]]:
    """Turn a request's text, parse_mode and entities into Telegram's stored form."""
    if entities is not None:
        return strip_entities(text, _check_entities(text, entities))
    mode = (parse_mode or "").lower()
    parsers = {"html": parse_html, "markdownv2": parse_markdown_v2, "markdown": parse_markdown}
    if mode and mode not in parsers:
        raise bad_request("unsupported parse_mode")
    try:
        plain, found = parsers[mode](text) if mode else (text, [])
    except EntityError as err:
        raise ApiError(400, f"Bad Request: can't parse entities: {err}") from None
    return strip_entities(plain, found)
