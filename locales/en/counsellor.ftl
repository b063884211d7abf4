## The person's side
counsellor-unavailable = <b>💬 Talk to a counsellor</b>
    Chatting with a counsellor here is not ready yet on this service. We are honest about that: please call one of these services instead. They are free.
counsellor-consent-short = <b>💬 Talk to a counsellor</b>
    • A trained counsellor reads what you write and answers. They never see your name, phone number or Telegram account.
    • { $days ->
        [0] What you write is deleted, from Sokh and from the counsellors' chat, when the conversation ends.
       *[other] What you write is kept, encrypted, until { $days } days after the conversation ends, then deleted from Sokh and from the counsellors' chat.
    }
    • This is not an emergency service: if you are in danger now, call { $numbers }.
counsellor-consent = <b>💬 Talk to a counsellor</b>
    • A trained counsellor will read what you write here and answer you.
    • They will not see your name, your phone number or your Telegram account. You appear as a case number.
    • Where your words are kept: a copy of each message goes to a private topic for your case number in the counsellors' Telegram group, and Sokh keeps a copy, encrypted, in its database.
    • { $days ->
        [0] How long: both are deleted when the conversation ends.
       *[other] How long: while the conversation is open and for { $days } days after it ends. Then Sokh deletes its copy and the counsellors' topic. If Telegram refuses, Sokh tries again until they are gone.
    }
    • Your own messages stay in this chat on your phone until you delete them: "Hide this chat" does that.
    • /forget deletes all of it at once, at any time. Kept afterwards, without anything you wrote: that your case number was answered and closed, by which counsellor and when.
    • This is not an emergency service. If you are in danger now, call { $numbers } first.
    • Counsellors answer between { $open }:00 and { $close }:00, Cambodia time.
    Do you want to start?
counsellor-closed-now = 🌙 Counsellors answer between { $open }:00 and { $close }:00, Cambodia time, and are not on duty right now. You can still write: the next counsellor on duty will read it.
counsellor-button-agree = ✅ Yes, start
counsellor-button-agree-share = ✅ Yes, start and pass on what I wrote
counsellor-button-agree-fresh = Start without what I wrote
counsellor-button-more = ℹ️ More: who reads, what is kept, hours
counsellor-first-arrived = ✅ What you wrote is passed on to the counsellors: you do not need to write it again. A 👌 on it shows they have it.
counsellor-connected = <b>You are in the queue as case { $alias }.</b>
    Write your message here; photos and voice notes work too. A counsellor usually answers within { $minutes } minutes during opening hours. If you are in danger now, call { $numbers }.
counsellor-joined = 💬 A counsellor has joined your conversation and is reading your messages.
counsellor-prefix = <b>Counsellor:</b>
counsellor-no-one-yet = <b>No counsellor has been able to take your conversation in { $minutes } minutes.</b> We are sorry. Your messages are kept for the next counsellor, who will read them; you can keep writing. If you need help now, please call:
counsellor-closed = The counsellor has ended this conversation. Thank you for trusting us.
    { $days ->
        [0] What you wrote is being deleted now, from Sokh and from the counsellors' chat.
       *[other] What you wrote is kept, encrypted, for { $days } days, then deleted from Sokh and from the counsellors' chat.
    } Your own copy stays in this chat until you delete it. You can come back any time from the menu: 💬 Talk to a counsellor.
    How helpful was it? (1 = not at all, 5 = very)
counsellor-rated = Thank you for your rating.
counsellor-case-over = This conversation with a counsellor has ended.

## The counsellors' forum
counsellor-topic = Case { $alias }
counsellor-topic-urgent = 🔴 Case { $alias } (urgent)
counsellor-case-new = <b>New case { $alias }</b> (language: { $language }). Messages from the person appear below. Take the case to answer.
counsellor-button-take = 🙋 Take this case
counsellor-case-taken = <b>Case { $alias }</b> is taken by { $name }.
counsellor-how-to = How it works: tap Take, then write in this topic: your messages go to the person as "Counsellor:", without your name. Type /close here to end the case; /queue lists waiting cases.
counsellor-urgent-taken = 🟢 Urgent case { $alias } was taken by { $name }.
counsellor-already-taken = This case is already taken by another counsellor.
counsellor-urgent-announce = 🔴 <b>Urgent case { $alias }</b> from crisis triage is waiting. Please take it.
counsellor-take-first = This case is not yours: take it first (only the counsellor who took it can answer).
counsellor-risk-flag = ⚠️ Risk words in the last message ({ $category }). Please check on their safety now.
counsellor-case-closed = Case { $alias } is closed. The person was offered a rating. This topic and the case's words are deleted in { $days } days.
counsellor-case-closed-deleted = Case { $alias } is closed, and its topic was deleted (nothing is kept after a case ends).
counsellor-no-case-here = There is no open case in this topic.
counsellor-queue-title = <b>Waiting cases</b>
counsellor-queue-line = { $urgent ->
        [true] 🔴
       *[other] •
    } Case { $alias }, waiting { $minutes } min
counsellor-queue-empty = No case is waiting.
counsellor-person-gone = The person has blocked the bot or left, so this message was not delivered.
counsellor-too-long = Not sent: that is too long for the person's phone. Please split it into shorter messages (at most { $most } characters, or { $most_caption } under a photo).

## The relay (issue 14): what crosses, and how it shows
counsellor-contact-refused = 🔒 Contact cards are not passed on to the counsellor: a card shows your phone number and your name, and counsellors must not see who you are. Please write what you want them to know instead. If you want someone to call you, say so in words, and share only what you are comfortable with.
counsellor-location-confirm = 📍 Send this location to the counsellor? It can show where you are. Send it only if you want them to know.
counsellor-button-send-location = 📍 Yes, send it
counsellor-button-keep-location = 🔒 No, keep it private
counsellor-location-sent = 📍 Your location is on its way to the counsellor.
counsellor-location-kept = 🔒 Not sent: your location stays with you.
counsellor-relay-case = Case { $alias }
counsellor-relay-edited = Case { $alias } edited a message; it now reads:
counsellor-relay-file = document
