# review: draft (Khmer written without a native speaker's review)
# /session, /sessions, reminders with RSVP, attendance.

sessions-not-allowed = Sorry, only the group's admins and the trainers they named can schedule sessions. An admin can make you a trainer by replying to one of your messages with /trainer.
sessions-in-group = Sessions are scheduled inside your group: add me to the group, then send /session there.
sessions-ask-title = 📅 New session. What is it called? (Reply to this message.)
sessions-ask-topic = Which parenting topic? The group gets a tip on it after the session.
sessions-ask-day = Which day?
sessions-day-chosen = 📅 Day: { $day }
sessions-ask-time = What time does it start? Reply like 18:00.
sessions-bad-time = I could not read that time. Reply like 18:00.
sessions-time-passed = That time has already passed. Reply with a later time, like 18:00.
sessions-ask-place = Where? Reply with the place (you may also share a location pin).
sessions-ask-repeat = Once, or weekly?
sessions-weeks = { $weeks ->
    [1] Once
   *[other] { $weeks } weeks
}
sessions-ask-reminders = When should I remind the group?
sessions-reminders-24-1 = 24 h and 1 h before
sessions-reminders-1 = 1 h before
sessions-reminders-24 = 24 h before
sessions-reminders-0 = No reminders
sessions-saved = { $count ->
    [1] ✅ Session scheduled:
   *[other] ✅ { $count } weekly sessions scheduled:
}
sessions-line = 🗓 { $when } · <b>{ $title }</b> ({ $topic }) · 📍 { $place }
sessions-not-your-form = This form is someone else's, or finished.
sessions-none = No sessions are coming. A trainer can schedule one with /session.
sessions-coming = <b>Coming sessions</b>
sessions-move = 🔁 Move { $n }
sessions-cancel = ❌ Cancel { $n }
sessions-cancelled = ❌ Cancelled: { $session }
sessions-ask-when = New date and time? Reply like 14/12 18:00.
sessions-bad-when = I could not read that, or it is in the past. Reply like 14/12 18:00.
sessions-moved = 🔁 Moved to { $when }: { $session }

rsvp-reminder =
    ⏰ <b>Reminder: { $title }</b>
    🗓 { $when } · 📍 { $place }
    Topic: { $topic }

    ✅ Coming: { $coming } · ❌ Can't come: { $missing }
rsvp-coming = ✅ I'll come
rsvp-not-coming = ❌ Can't come
rsvp-thanks = Thank you, noted.
rsvp-tip =
    💡 <b>After today's session: { $topic }</b>

    { $tip }

attendance-ask = 📝 How did <b>{ $title }</b> ({ $when }) go? Please record attendance.
attendance-button = 📝 Record attendance
attendance-how = How many came? Send one number (like 12), or five: total, women, men, girls, boys (like 12 7 3 1 1).
attendance-bad = Please send one number (like 12) or five numbers (like 12 7 3 1 1).
attendance-saved = ✅ Saved: { $count } came. Thank you!
sessions-pick-group = 📅 New session. For which group?

# The optional location pin of the place, and /sessions → Edit.
sessions-ask-pin = 📍 Add a map pin so people find the place? Reply to this message with a location (📎 → Location), or skip.
sessions-pin-skip = Skip
sessions-edit = ✏️ Edit { $n }
sessions-edit-what = ✏️ What should change? { $session }
sessions-field-title = Title
sessions-field-topic = Topic
sessions-field-place = Place
sessions-edit-ask-title = New title? (Reply to this message.)
sessions-edit-ask-place = New place? Reply with its name, or share a location pin.
sessions-edit-scope = Change only { $day }, or the later dates of the series too?
sessions-scope-one = Only { $day }
sessions-scope-later = { $day } and later ({ $count })
sessions-edited = { $count ->
    [1] ✏️ Changed:
   *[other] ✏️ Changed, { $count } dates:
}

# Leaving the form, and what the confirmation says about reminders.
sessions-button-quit = ✖️ Cancel
sessions-quit = ✖️ Cancelled. Nothing was saved.
sessions-nothing-to-cancel = There is nothing to cancel.
sessions-reminder-passed = That reminder time has already passed for the first session. Please choose a later one, or no reminders.
sessions-saved-reminders = ⏰ Reminders: { $which }

# One-tap defaults: the next session like the group's last one, and the plan in one button.
sessions-ask-like =
    📅 New session. Like the last one?
    { $session }
sessions-button-like = ↻ Same title, topic and place
sessions-button-new = ✏️ Something new
sessions-button-next = ▶ { $when }
sessions-day-passed = That day has already passed. Please choose another.
sessions-plan-default = ✅ { $weeks } · ⏰ { $reminders }
