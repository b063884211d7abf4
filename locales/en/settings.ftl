settings-title = <b>⚙️ Settings</b>
settings-button-language = 🌐 Language: { $language }
settings-button-forget = 🗑 Erase my data
settings-forget-confirm = This erases everything Sokh keeps about you: your language choice, which tips you have seen, and any conversation with a counsellor, with its copies in the counsellors' Telegram group. It cannot be undone. Erase?
settings-forget-yes = Yes, erase
settings-forget-no = No, keep
settings-forget-done = Done. I erased your profile and { $records } other record(s) about you. If you write again, I will start fresh.
settings-forget-nothing = I hold nothing about you.
settings-forget-cases = { $cases ->
        [one] Your conversation with a counsellor was erased from Sokh's database, and its topic in the counsellors' Telegram group is being deleted now; a counsellor can no longer answer it.
       *[other] Your { $cases } conversations with a counsellor were erased from Sokh's database, and their topics in the counsellors' Telegram group are being deleted now; a counsellor can no longer answer them.
    }
settings-storage-down = I can't save that right now. Please try again later. Help numbers still work: send /help to see them.
