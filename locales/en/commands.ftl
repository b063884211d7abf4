command-start = Start and choose a language
command-menu = Main menu
command-help = Help now: phone numbers
command-counsellor = Talk to a counsellor, anonymously
command-language = Change language
command-forget = Erase my data
