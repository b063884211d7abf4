"""Start Sokh. Everything lives in bot/; this file only starts it."""

import sys

from bot.runtime.cli import main

if __name__ == "__main__":
    sys.exit(main())
