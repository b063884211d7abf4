"""Discreet notifications: how a sensitive proactive message looks on a lock screen.

Lock screens show a message's first words. Every proactive message about a sensitive topic
goes through `present`: 'discreet' (the default) puts a neutral first line before the real
text; 'neutral' sends only that line with a Read button, and the tap edits the message in
place to the real content (reveal.py beside this file). docs/notifications.md lists them.
"""

from __future__ import annotations

import hmac

from aiogram import Bot, F, Router
from aiogram.types import CallbackQuery, Message

from bot.content.i18n import Translator
from bot.proactive.outbox import Claimed
from bot.proactive.sender import Rendered
from bot.storage.people import DEFAULT_NOTIFY, NEUTRAL_NOTIFY, People, Profile
from bot.storage.vault import Vault
from dialogs.callbacks import MenuCb, NotifyCb, ReadCb, Screen
from dialogs.menu import menu_row
from dialogs.screen import View, show

DISCREET, NEUTRAL = DEFAULT_NOTIFY, NEUTRAL_NOTIFY
MODES = (DISCREET, NEUTRAL)
# Not a setting: a counsellor's message in a live conversation (the person wrote moments
# ago, so she is looking at the chat) is shown as it is (docs/counsellor.md).
LIVE = "live"
# What a Read button re-renders; its `ref` is an id, never text (content comes back by id).
LINE = "c"  # a counsellor's message: ref is its encrypted transcript line
JOINED = "j"  # 'a counsellor has joined'
WAITING = "w"  # no counsellor yet, with the hotlines
CLOSED = "x"  # the case ended, rating buttons: ref is the case id
TRAVEL = "v"  # a travel countdown message: ref is '<offset>.<destination>'
MEDIA = "p"  # a counsellor's photo, voice…: ref is '<line>.<forum message id>.<signature>'
OUTBOX = "o"  # anything the outbox sent while the chat was hidden: ref is the row id
KINDS = (LINE, JOINED, WAITING, CLOSED, TRAVEL, MEDIA, OUTBOX)
SIGNATURE_CHARS = 12  # 48 bits: guessing needs millions of flood-limited taps
_LABELS = {DISCREET: "notify-button-discreet", NEUTRAL: "notify-button-neutral"}


def present(view: View, t: Translator, mode: str, read: ReadCb | None) -> View:
    """The sensitive `view` as this person's lock screen may show it.

    Without `read` (media, which cannot be hidden behind an edit) 'neutral' falls back to
    'discreet'.
    """
    if mode == LIVE:
        return view
    neutral = t("notify-neutral")
    if mode == NEUTRAL and read is not None:
        return View(neutral, ([(t("notify-button-read"), read)],))
    return View(f"{neutral}\n\n{view.text}", view.rows)


def veiled(row: Claimed, rendered: Rendered, t: Translator) -> Rendered:
    """Any proactive message to a chat just hidden: the neutral line and a Read button only.

    The outbox renderers apply it to every kind (bot/proactive/render.py) until the person
    opens Sokh again; Read renders the row again (reveal.py). A group's row is never veiled.
    """
    read = ReadCb(kind=OUTBOX, ref=str(row.id))
    view = View(t("notify-neutral"), ([(t("notify-button-read"), read)],))
    return Rendered(view.text, view.markup(), rendered.item, thread=rendered.thread)


def line_read(vault: Vault, line: int, forum_message: int | None = None) -> ReadCb:
    """The Read button for a counsellor's line; media also name their forum message, signed.

    The signature stops a forged button from copying any other message out of the forum.
    """
    if forum_message is None:
        return ReadCb(kind=LINE, ref=str(line))
    ref = f"{line}.{forum_message}"
    return ReadCb(kind=MEDIA, ref=f"{ref}.{_signature(vault, ref)}")


def media_source(vault: Vault, ref: str) -> tuple[int, int] | None:
    """(transcript line, forum message id) of a signed media ref; None when forged."""
    line, _, rest = ref.partition(".")
    message, _, signature = rest.partition(".")
    if not (line.isdigit() and message.isdigit()):
        return None
    expected = _signature(vault, f"{line}.{message}")
    return (int(line), int(message)) if hmac.compare_digest(signature, expected) else None


def _signature(vault: Vault, ref: str) -> str:
    return vault.pseudonym(f"read-media:{ref}")[:SIGNATURE_CHARS]


async def send_sensitive(bot: Bot, chat_id: int, view: View, t: Translator, mode: str,
                         read: ReadCb) -> Message:
    """Send a sensitive proactive message in the person's chosen form."""
    shown = present(view, t, mode, read)
    return await bot.send_message(chat_id, shown.text, reply_markup=shown.markup())


def notify_view(t: Translator, mode: str) -> View:
    """The two notification styles, the current one ticked."""
    def choice(option: str) -> tuple[str, NotifyCb]:
        tick = "✅ " if option == mode else ""
        return f"{tick}{t(_LABELS[option])}", NotifyCb(mode=option)

    return View(t("notify-title", neutral=t("notify-neutral")), (
        [choice(DISCREET)], [choice(NEUTRAL)],
        [(t("common-button-back"), MenuCb(to=Screen.SETTINGS))],
        menu_row(t),
    ))


async def notify_settings(callback: CallbackQuery, callback_data: NotifyCb, t: Translator,
                          profile: Profile | None, people: People) -> None:
    """Show the notification styles; a tapped style is saved and shown ticked."""
    if profile is None:
        await show(callback, View(t("settings-storage-down"), (menu_row(t),)))
        return
    mode = profile.notify
    if callback_data.mode in MODES and callback_data.mode != mode:
        await people.set_notify(profile.key, callback_data.mode)
        mode = callback_data.mode
    await show(callback, notify_view(t, mode))


def settings_row(t: Translator) -> list[tuple[str, NotifyCb]]:
    """The Settings button that opens the notification styles."""
    return [(t("notify-button-settings"), NotifyCb())]


def create_router() -> Router:
    """The notification settings handler."""
    router = Router(name="discreet")
    router.callback_query.register(notify_settings, NotifyCb.filter(F.mode.in_(("", *MODES))))
    return router
