"""Content as the bot shows it, and the Telegram limits it must fit (Bot API 10.1)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from bot.content.model import MESSAGE_LIMIT, Pack, Quiz, Service, Topic
from bot.content.tool.source import Context, Loc, Problem

__all__ = ["RENDER_RULES", "html_error", "pack_messages", "render_item", "render_service",
           "visible_length"]

LANGUAGES = ("en", "km")
SOURCE_LABEL = {"en": "Source: ", "km": "ប្រភព៖ "}
# Room for the lines the locales add around content (titles, "checked on" dates).
LOCALE_MARGIN = 200
POLL_QUESTION, POLL_OPTION, POLL_EXPLANATION, CALLBACK_BYTES = 300, 100, 200, 64
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                "blockquote", "tg-spoiler"}
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*>")
ENTITY = re.compile(r"&(?!(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});)")


def render_item(topic: Topic, index: int, language: str) -> str:
    """One item page as dialogs/browse.py lays it out, in Telegram HTML; with the full
    citations where the page shows publishers' short names, an upper bound on its length."""
    item = topic.items[index]
    return "\n\n".join([
        f"<b>{html.escape(topic.title.get(language), quote=False)}</b>",
        html.escape(item.text.get(language), quote=False),
        f"<i>{html.escape(SOURCE_LABEL[language] + '; '.join(item.sources), quote=False)}</i>",
        f"{index + 1} / {len(topic.items)}",
    ])


def render_service(service: Service, language: str) -> str:
    """One service line as dialogs/hotlines.py lays it out, in Telegram HTML."""
    def esc(text: str) -> str:
        return html.escape(text, quote=False)

    phones = " / ".join((service.phone, *service.other_phones))
    facts = [f.get(language) for f in (service.hours, service.cost, service.who, service.note,
                                       service.caveat) if f is not None]
    return f"<b>{esc(service.name.get(language))}</b>: {phones}\n" + ". ".join(map(esc, facts))


def visible_length(markup: str) -> int:
    """Length as Telegram counts it: UTF-16 code units of the text after parsing the HTML."""
    return len(html.unescape(TAG.sub("", markup)).encode("utf-16-le")) // 2


def html_error(markup: str) -> str | None:
    """Why Telegram would refuse this HTML, or None when it parses."""
    if (bad := ENTITY.search(markup)) is not None:
        return f"bare '&' at {bad.start()}"
    stack: list[str] = []
    for closing, name in TAG.findall(markup):
        if name.lower() not in ALLOWED_TAGS:
            return f"unsupported tag <{name}>"
        if not closing:
            stack.append(name.lower())
        elif not stack or stack.pop() != name.lower():
            return f"</{name}> does not close the open tag"
    return f"<{stack[-1]}> is never closed" if stack else None


def pack_messages(pack: Pack, language: str) -> Iterator[tuple[Loc, str]]:
    """Every message built from this pack, with the location of what it shows."""
    for t, topic in enumerate(pack.topics):
        for i in range(len(topic.items)):
            yield ("topics", t, "items", i), render_item(topic, i, language)
    for s, service in enumerate(pack.services):
        yield ("services", s), render_service(service, language)
    if pack.services:  # the help screen lists every service in one message
        yield ("services",), "\n\n".join(render_service(s, language) for s in pack.services)


def _message_limits(ctx: Context) -> Iterator[Problem]:
    for source, pack in ctx.packs:
        for language in LANGUAGES:
            for loc, markup in pack_messages(pack, language):
                if (why := html_error(markup)) is not None:
                    yield source.problem(loc, f"{language} message is not valid HTML: {why}")
                if (size := visible_length(markup) + LOCALE_MARGIN) > MESSAGE_LIMIT:
                    yield source.problem(loc, f"{language} message is {size} characters with "
                                         f"the interface lines; Telegram allows {MESSAGE_LIMIT}")


def _poll_limits(ctx: Context) -> Iterator[Problem]:
    for source, loc, quiz in ctx.nodes(Quiz):
        for language in LANGUAGES:
            for where, why in _quiz_problems(quiz, language):
                yield source.problem((*loc, *where), f"{language}: {why}")


def _quiz_problems(quiz: Quiz, language: str) -> Iterator[tuple[Loc, str]]:
    options = [option.get(language) for option in quiz.options]
    if len(quiz.question.get(language)) > POLL_QUESTION:
        yield ("question",), f"a poll question holds at most {POLL_QUESTION} characters"
    for n, option in enumerate(options):
        if len(option) > POLL_OPTION:
            yield ("options", n), f"a poll option holds at most {POLL_OPTION} characters"
    if len(set(options)) != len(options):
        yield ("options",), "two options have the same text"
    explanation = quiz.explanation.get(language)
    if len(explanation) > POLL_EXPLANATION or explanation.count("\n") > 2:
        yield ("explanation",), (f"a quiz explanation holds at most {POLL_EXPLANATION} "
                                 "characters and 2 line feeds")


def _callback_data(ctx: Context) -> Iterator[Problem]:
    """Ids travel in callback data: ASCII, 64 bytes with the prefixes dialogs/ uses."""
    for source, pack in ctx.packs:
        datas = [(("topics", n), f"t:{pack.pack}:{t.id}:{len(t.items) - 1}")
                 for n, t in enumerate(pack.topics)]
        datas += [(("services", n), f"c:{s.id}") for n, s in enumerate(pack.services)]
        datas += [(("quizzes", n), f"q:{q.id}:{len(q.options) - 1}")
                  for n, q in enumerate(pack.quizzes)]
        datas += [(("categories", n), f"r:{c.id}:kh-25") for n, c in enumerate(pack.categories)]
        for loc, data in datas:
            if not data.isascii() or len(data.encode()) > CALLBACK_BYTES:
                yield source.problem(loc, f"callback data {data!r} is over {CALLBACK_BYTES} "
                                     "bytes or not ASCII")


RENDER_RULES = (_message_limits, _poll_limits, _callback_data)
