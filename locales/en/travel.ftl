# review: draft (Khmer written without a native speaker's review)
menu-button-travel = ✈️ Travel countdown
travel-ask-destination = <b>✈️ Travel countdown</b>
    Where are you going? I will remind you what to prepare 14, 7, 3 and 1 days before, send the numbers to save on the day, and check on you after you arrive.
travel-ask-date = When do you travel? Tap the day, or type the date (for example 25/12/2026 or ២៥ ធ្នូ ២០២៦).
travel-date-unknown = Sorry, I could not read that date. Please type it like 25/12/2026, or tap a day.
travel-date-past = That date has already passed. Please choose a day from today on.
travel-date-far = That is more than two years away. Please choose a closer date.
travel-saved = Saved: { $country } on { $date }. I will send your reminders in the morning.
travel-status = Your trip: { $country } on { $date }.
travel-button-change = 📅 Change destination or date
travel-button-cancel = ✖️ Cancel the countdown
travel-cancelled = Your travel countdown is cancelled. No more reminders will come.
travel-reminder = <b>✈️ { $days } day(s) until you leave for { $country }.</b>
    Check your passport, contract and visa are real, and tell your family where you will work. Tap below for the checklist.
travel-button-checklist = 📋 Checklist
travel-morning = <b>✈️ Safe journey to { $country }!</b> Save these numbers in your phone now:
travel-checkin = Did you arrive safely in { $country }?
travel-button-safe = ✅ Yes, I arrived safely
travel-button-help = 🆘 I need help
travel-safe-thanks = We are glad you arrived safely. If anything goes wrong, /help has the numbers.
travel-country-th = Thailand
travel-country-my = Malaysia
travel-country-kr = South Korea
travel-country-jp = Japan
travel-days-left = { $n ->
    [0] You leave today.
    [one] 1 day left.
   *[other] { $days } days left.
}
travel-next-reminder = Next: on { $date } I will send your checklist ({ $days } days before you leave).
travel-next-morning = Next: on the morning you leave, { $date }, I will send the numbers to save.
travel-next-checkin = Next: on { $date } I will ask if you arrived safely.
travel-button-tick = 📋 Tick off now: { $title }
