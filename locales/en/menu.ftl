menu-title = What would you like to do?
menu-button-parenting = 👪 Parenting tips
menu-button-migration = 🧳 Safe migration
menu-button-help = 🆘 Get help now
menu-button-counsellor = 💬 Talk to a counsellor
menu-button-settings = ⚙️ Settings
menu-usage =
    Tap a button to choose. Commands:
    /menu – main menu
    /help – phone numbers for help now
    /language – change language
    /forget – erase what I keep about you
