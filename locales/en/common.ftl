common-button-menu = ☰ Menu
common-button-back = ‹ Back
common-button-next = Next ›
common-button-previous = ‹ Previous
common-page = { $page } / { $total }
common-source = { $count ->
    [one] Source
   *[other] Sources
}: { $source }
common-source-general = General advice, not from a published source
common-error = Sorry, something went wrong on our side. Please try again.
common-language-name-km = ខ្មែរ
common-language-name-en = English
common-button-refused = This button does not work here any more.

# The month calendar (travel date, /session day): dialogs/month.py.
calendar-month = { $month ->
    [1] January
    [2] February
    [3] March
    [4] April
    [5] May
    [6] June
    [7] July
    [8] August
    [9] September
    [10] October
    [11] November
   *[12] December
} { $year }
calendar-weekdays = Mo Tu We Th Fr Sa Su
common-try-again-soon = Sorry, I can't do that right now: part of Sokh is down for a moment. Please try again in a few minutes. These help numbers work now:
