notify-neutral = You have a new message from Sokh.
notify-button-read = 📖 Read
notify-gone = This message is no longer here. It may have been erased. You can open the menu any time.
notify-button-settings = 🔔 Notifications
notify-button-discreet = Discreet
notify-button-neutral = Fully neutral
notify-title =
    <b>🔔 Notifications</b>
    A phone's lock screen shows the first words of a message. Messages about a counsellor, a crisis or travel start with:
    <i>{ $neutral }</i>

    <b>Discreet</b>: that line first, then the message.
    <b>Fully neutral</b>: only that line. Tap 📖 Read to see the message.
