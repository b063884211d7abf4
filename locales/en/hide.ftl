## Quick exit and auto-clean (docs/quick-exit.md)
command-hide = Hide this chat: delete our messages
hide-button = 🙈 Hide chat
hide-too-old = Messages older than 2 days could not be removed.
hide-failed = I could not clear the chat just now. You can delete it in Telegram: press and hold the chat, then Delete.
hide-autoclean-off = 🧹 Clean up after me: off
hide-autoclean-on = 🧹 Clean up after me: on
# For counsellors, in the case's topic: the case stays open.
hide-case-note = Case { $alias } cleared their screen. The case is still open.
# Some deletions failed for a passing reason (Telegram busy or unreachable): retried for 2 days.
hide-retrying = Telegram did not let me remove some messages just now. I will keep trying for the next 2 days. To be sure, you can delete the chat in Telegram: press and hold the chat, then Delete.
# The database could not be read in time: only the newest messages, known in memory, were removed.
hide-partial = I could only clear the newest messages just now. To remove everything, delete the chat in Telegram: press and hold the chat, then Delete.
