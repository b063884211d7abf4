# review: draft (Khmer written without a native speaker's review)
menu-button-course = 📬 Parenting course
settings-button-course = 📬 Course: time, frequency, pause
course-intro = <b>📬 Parenting course</b>
    One short tip at a time, at the time of day you choose. You can pause or stop at any time.
course-button-start = ▶️ Start the course
course-ask-age = How old is your child?
course-age-0-2 = 0–2 years
course-age-3-5 = 3–5 years
course-age-6-11 = 6–11 years
course-age-12-17 = 12–17 years
course-ask-hour = When would you like your tips?
course-hour-7 = 🌅 Morning (7:00)
course-hour-12 = ☀️ Midday (12:00)
course-hour-19 = 🌙 Evening (19:00)
course-ask-every = How often?
course-every-1 = Every day
course-every-2 = Every 2 days
course-every-7 = Once a week
course-started = Done! Your first tip arrives on { $when }. Send /pause, /resume or /stop at any time.
course-status = { $status ->
        [paused] Your course is paused.
       *[other] Your course is on.
    } Next tip: { $when }
course-button-pause = ⏸ Pause
course-button-resume = ▶️ Resume
course-button-change = 🔧 Change age, time or frequency
course-button-stop = ⏹ Stop the course
course-tip-title = <b>📬 Tip { $n } of { $total }</b>
course-button-useful = 👍 Useful
course-button-useless = 👎 Not useful
course-button-next = ⏭ Next tip now
course-thanks-useful = Thank you! Glad it helps.
course-thanks-useless = Thank you for telling us.
course-paused = Your course is paused. Tap Resume or send /resume when you are ready.
course-resumed = Your course is back on. The next tip comes at your usual time.
course-stopped = Your course is stopped. You can start again from the menu.
course-none = You are not taking the course. Start it from the menu.
course-done = 🎉 <b>Well done!</b> You finished the parenting course. Every tip you tried makes a difference for your child. Would you like to start again, perhaps for another age?
course-button-again = 🔁 Start a course again
course-button-next-age = ➡️ Next: the course for { $age }
course-rated-useful = ✅ Useful: thank you!
course-rated-useless = ✅ Noted: thank you!
# A home-practice check-in asks whether the parent tried it, with the same two buttons.
course-checkin-button-useful = 🙌 I tried it
course-checkin-button-useless = ⏳ Not yet
course-checkin-thanks-useful = Well done! Keep practising.
course-checkin-thanks-useless = That is fine: try it today.
course-checkin-rated-useful = ✅ Tried: well done!
course-checkin-rated-useless = ✅ Noted: try it today
command-pause = Pause the parenting course
command-resume = Resume the parenting course
command-stop = Stop the parenting course
course-started-now = Done! Here is your first tip. The next one comes on { $when }. Send /pause, /resume or /stop at any time.
