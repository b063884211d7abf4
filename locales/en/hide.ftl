## Quick exit and auto-clean (docs/quick-exit.md)
command-hide = Hide this chat: delete our messages
hide-button = 🙈 Hide chat
hide-too-old = Messages older than 2 days could not be removed.
hide-failed = I could not clear the chat just now. You can delete it in Telegram: press and hold the chat, then Delete.
hide-autoclean-off = 🧹 Clean up after me: off
hide-autoclean-on = 🧹 Clean up after me: on
# For counsellors, in the case's topic: the case stays open.
hide-case-note = Case { $alias } cleared their screen. The case is still open.
