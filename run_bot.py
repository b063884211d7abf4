"""Start Sokh. Everything lives in bot/; this file only starts it."""

import sys

if __name__ == "__main__":
    try:
        # Loading the modules takes a second or two; Ctrl-C then stops without a traceback.
        from bot.runtime.cli import main
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        sys.exit(130)
    sys.exit(main())
