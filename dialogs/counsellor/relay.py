"""The relay's messages: what is queued for a case, and how each queued row is sent.

Person → forum: texts are re-sent (never copied) as the person's words in a quote under a
bold `Case K7Q2` line, so nothing the person types can look like the alias or a bot note;
a burst of texts becomes one message. Media are copied with that line as the caption;
documents are uploaded again under a neutral name. Counsellor → person: 'Counsellor:'
in the person's notification style. A delivered message gets a 👌 on the person's side.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BufferedInputFile, ReactionTypeEmoji
from sqlalchemy.exc import SQLAlchemyError

from bot.content.i18n import Locales, Translator
from bot.proactive.relay import Deliver
from bot.proactive.relay_queue import RelayRow
from bot.runtime.settings import Settings
from bot.storage.cases import Cases
from bot.storage.people import People
from bot.storage.vault import Vault
from dialogs.callbacks import ReadCb, TakeCb
from dialogs.counsellor.mail import sealing
from dialogs.counsellor.notes import LIVE_MINUTES
from dialogs.notifications.discreet import (
    CLOSED,
    JOINED,
    LIVE,
    NEUTRAL,
    line_read,
    present,
    send_sensitive,
)
from dialogs.screen import View
from dialogs.text import escape

log = logging.getLogger(__name__)
DELIVERED = "👌"
# Copies of these can carry the case line as their caption; others get the line before them.
CAPTIONED = {"photo", "voice", "video", "document", "audio", "animation"}
RatingView = Callable[[Translator, int, int], View]


class CaseRelay(Deliver):
    """Sends the relay's rows: a batch is one case's head and the texts merged with it."""

    def __init__(self, vault: Vault, locales: Locales, settings: Settings, people: People,
                 cases: Cases, rating_view: RatingView) -> None:
        self.vault, self.locales, self.settings = vault, locales, settings
        self.people, self.cases, self.rating_view = people, cases, rating_view
        # Forum ids of messages sent while the database was down: kept, recorded later.
        self._unrecorded: list[tuple[RelayRow, list[int]]] = []

    def staff(self) -> Translator:
        """The counsellors' language."""
        return self.locales.get(self.settings.counsellor_language)

    def words(self, row: RelayRow) -> str:
        """A row's decrypted words ('' when it has none)."""
        sealed = row.payload.get("sealed")
        return self.vault.decrypt(sealed, sealing(row.case_id)).decode() if sealed else ""

    async def __call__(self, bot: Bot, rows: list[RelayRow]) -> None:
        """Send one batch; raises what Telegram said, for the sender to settle."""
        await self._record_unrecorded()  # raises while the database is down: nothing is sent
        kind = rows[0].payload.get("k")
        if kind == "text":
            sent = await self._texts(bot, rows)
        elif kind == "copy":
            sent = await self._copy(bot, rows[0])
        elif kind == "edit":
            sent = await self._edit(bot, rows[0])
        elif kind == "note":
            sent = await self._note(bot, rows[0])
        else:
            await self._to_person(bot, rows[0])
            return
        try:
            await self._left(rows[0], sent)
        except (SQLAlchemyError, OSError):
            # Sent is sent: failing here would send it again. Recorded once the database is back.
            log.warning("relayed, but the forum ids wait for the database")
            self._unrecorded.append((rows[0], sent))
        await self._delivered(bot, rows)

    async def _record_unrecorded(self) -> None:
        while self._unrecorded:
            await self._left(*self._unrecorded[0])
            self._unrecorded.pop(0)

    async def _left(self, row: RelayRow, sent: list[int]) -> None:
        """Keep the ids of what the case left in the forum: retention deletes them with it."""
        if row.step.endswith(":announce"):
            await self.cases.set_announce(row.case_id, sent[0])  # edited when taken
        else:
            await self.cases.note_forum(row.case_id, *sent)

    def _header(self, row: RelayRow) -> str:
        return f"<b>{escape(self.staff()('counsellor-relay-case', alias=row.payload['alias']))}</b>"

    def _flags(self, rows: list[RelayRow]) -> list[str]:
        flags = dict.fromkeys(str(r.payload.get("risk")) for r in rows if r.payload.get("risk"))
        return [self.staff()("counsellor-risk-flag", category=c) for c in flags]

    async def _texts(self, bot: Bot, rows: list[RelayRow]) -> list[int]:
        quotes = [f"<blockquote>{escape(self.words(r))}</blockquote>" for r in rows]
        text = "\n".join([self._header(rows[0]), *quotes, *self._flags(rows)])
        sent = await bot.send_message(rows[0].payload["to"], text,
                                      message_thread_id=rows[0].payload["th"])
        return [sent.message_id]

    def _caption(self, row: RelayRow) -> str:
        words = self.words(row)
        quote = f"\n<blockquote>{escape(words[:900])}</blockquote>" if words else ""
        return "\n".join([self._header(row) + quote, *self._flags([row])])

    async def _copy(self, bot: Bot, row: RelayRow) -> list[int]:
        p, person = row.payload, self._person(row)
        if p.get("file"):
            return await self._document(bot, row)
        if p.get("kind") in CAPTIONED:
            copied = await bot.copy_message(p["to"], person, p["msg"], message_thread_id=p["th"],
                                            caption=self._caption(row))
            return [copied.message_id]
        # Stickers, locations, video notes: the case line first, then the copy.
        line = await bot.send_message(p["to"], self._caption(row), message_thread_id=p["th"])
        copied = await bot.copy_message(p["to"], person, p["msg"], message_thread_id=p["th"])
        return [line.message_id, copied.message_id]

    async def _document(self, bot: Bot, row: RelayRow) -> list[int]:
        """Upload the file again under a neutral name: its own name may say who sent it."""
        p, data = row.payload, io.BytesIO()
        await bot.download(p["file"], destination=data)
        name = self.staff()("counsellor-relay-file") + str(p.get("ext") or "")
        sent = await bot.send_document(
            p["to"], BufferedInputFile(data.getvalue(), filename=name),
            caption=self._caption(row), message_thread_id=p["th"])
        return [sent.message_id]

    async def _edit(self, bot: Bot, row: RelayRow) -> list[int]:
        note = self.staff()("counsellor-relay-edited", alias=row.payload["alias"])
        text = f"<b>{escape(note)}</b>\n<blockquote>{escape(self.words(row))}</blockquote>"
        sent = await bot.send_message(row.payload["to"], text,
                                      message_thread_id=row.payload["th"])
        return [sent.message_id]

    async def _note(self, bot: Bot, row: RelayRow) -> list[int]:
        p = row.payload
        take = View("", ([(self.staff()("counsellor-button-take"), TakeCb(case=row.case_id))],))
        sent = await bot.send_message(p["to"], p["text"], message_thread_id=p.get("th"),
                                      reply_markup=take.markup() if p.get("take") else None)
        return [sent.message_id]

    def _person(self, row: RelayRow) -> int:
        assert row.chat_id_enc is not None
        return self.vault.decrypt_chat_id(row.chat_id_enc, row.person_key)

    async def _delivered(self, bot: Bot, rows: list[RelayRow]) -> None:
        """A 👌 on each relayed message: the person sees it reached the counsellors."""
        person = self._person(rows[0])
        for row in rows:
            if "msg" not in row.payload or row.payload.get("k") == "note":
                continue
            try:
                await bot.set_message_reaction(person, row.payload["msg"],
                                               [ReactionTypeEmoji(emoji=DELIVERED)])
            except TelegramAPIError:  # a missing tick must not send the message twice
                log.info("could not mark a relayed message as delivered")

    async def _to_person(self, bot: Bot, row: RelayRow) -> None:
        """A counsellor's message, 'a counsellor joined' or the closing, discreetly."""
        p, person = row.payload, self._person(row)
        t, mode = self.locales.get(row.language), await self.people.notify_mode(row.person_key)
        if p["k"] == "closed":
            days = self.settings.case_retention_days
            await send_sensitive(bot, person, self.rating_view(t, row.case_id, days), t, mode,
                                 ReadCb(kind=CLOSED, ref=str(row.case_id)))
        elif p["k"] == "joined":
            await send_sensitive(bot, person, View(t("counsellor-joined")), t, mode,
                                 ReadCb(kind=JOINED))
        else:
            # She wrote moments ago, so she is looking: no neutral first line (docs/counsellor.md).
            # Never after a Hide or when she chose fully neutral: that stays until she opens Sokh.
            live = mode != NEUTRAL and await self.cases.wrote_lately(row.case_id, "person",
                                                                     LIVE_MINUTES)
            if live:
                mode = LIVE
            await self._reply(bot, t, person, row, mode)

    async def _reply(self, bot: Bot, t: Translator, person: int, row: RelayRow,
                     mode: str) -> None:
        """Re-send a counsellor's message as 'Counsellor:' without their name."""
        p, words = row.payload, self.words(row)
        read = line_read(self.vault, p["line"], None if p["kind"] == "text" else p["msg"])
        if p["kind"] == "text" or mode == NEUTRAL:
            # Fully neutral media wait behind Read too: the tap copies them (reveal.py).
            shown = words or f"[{p['kind']}]"
            await send_sensitive(bot, person, counsellor_view(t, shown), t, mode, read)
            return
        prefix = present(View(t("counsellor-prefix")), t, mode, None).text
        if p["kind"] in CAPTIONED:
            caption = f"{prefix} {escape(words)}".strip()
            await bot.copy_message(person, p["forum"], p["msg"], caption=caption)
            return
        await bot.send_message(person, prefix)
        await bot.copy_message(person, p["forum"], p["msg"])

    async def refused(self, bot: Bot, rows: list[RelayRow]) -> None:
        """The person blocked the bot: the topic says the message was not delivered."""
        p = rows[0].payload
        if p.get("forum") is not None:
            await bot.send_message(p["forum"], self.staff()("counsellor-person-gone"),
                                   message_thread_id=p.get("th"))


def counsellor_view(t: Translator, text: str) -> View:
    """A counsellor's words as the person sees them: 'Counsellor:' and never a name."""
    return View(f"{t('counsellor-prefix')} {escape(text)}")
