fallback-media = I can't open stickers, photos, voice or files. Please use the buttons.
fallback-location = Thank you, but I don't need your location. Please use the buttons.
fallback-unknown-command = I don't know that command. Send /menu for the main menu, or /help for phone numbers to get help now.
fallback-stale-button = This button is old. Here is the menu.
fallback-too-fast = You are sending messages very fast. Please wait a moment.
fallback-edited = I only read new messages. Please send it again.
fallback-group = I work in private chats. Please message me directly.
fallback-inline-button = Open Sokh
# Typed questions and commands (dialogs/search.py).
search-found = Here is what I found:
search-why = { $n }. <b>{ $title }</b> (matches: { $words })
search-nothing = Sorry, I could not find an answer to that. Choose from the menu, or talk to a counsellor.
search-thanks = You're welcome.
search-stop-confirm = Do you want to stop messages from Sokh? Choose what to stop:
fallback-voice = I cannot listen to voice messages yet, sorry. Please type your question, or talk to a counsellor. If you or a child are in danger, get help now.
fallback-sticker = I cannot read stickers. Please type your question, or choose from the menu.
search-worry = 💭 More on { $worry }, by your child's age
