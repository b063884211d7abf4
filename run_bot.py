"""Start Sokh. Everything lives in bot/; this file only starts it."""

import sys

if __name__ == "__main__":
    try:
        # Ctrl-C before the bot handles signals itself (loading modules, content, migrations)
        # stops without a traceback; once serving, it stops cleanly anyway.
        from bot.runtime.cli import main

        sys.exit(main())
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        sys.exit(130)
