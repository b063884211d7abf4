# review: draft (Khmer written without a native speaker's review)
# Sokh in a trainer's group: joining, language, who may schedule.

groups-hello = 👋 Hello! I am Sokh. I help trainers run parenting groups and youth clubs: sessions, reminders, RSVPs and attendance. An admin, please choose the group's language.
groups-admins-only = Only the group's admins can do this.
groups-intro =
    👋 I am Sokh, the group's assistant.

    • <b>/session</b>: a trainer schedules a session (once or weekly); I remind the group 24 h and 1 h before, with "I'll come" / "Can't come" buttons.
    • <b>/sessions</b>: what is coming, to edit, move or cancel a date.
    • After each session I share a parenting tip, and the trainer records attendance in a private chat with me.

    Admins can schedule. To let a trainer schedule too, an admin replies to one of their messages with <b>/trainer</b>. I only read commands and replies to me.
groups-trainer-how = Reply to a message of the person with /trainer to make them a trainer of this group.
groups-trainer-added = ✅ { $name } can now schedule sessions in this group.
command-session = Schedule a session for this group
command-sessions = Coming sessions: edit, move or cancel
command-setup = Choose the group's language (admins)
command-trainer = Reply to someone to make them a trainer (admins)
groups-help-hotline = 🆘 A child in danger? Call { $name }: { $phone }
