help-title = <b>🆘 If you or a child are in danger now, call:</b>
help-service-line = <b>{ $name }</b>: { $phone }
    { $facts }
help-checked = Numbers checked against public sources on { $date }.
help-call-button = 📞 { $phone } { $name }
help-service-gone = That number is no longer in the list. Here is the current list.
help-more = More numbers, for what happened or where you are:
help-by-topic-button = 🧭 By topic
help-by-place-button = 📍 By province
help-about-button = ℹ️ About { $phone }
help-place-choose = <b>Where are you?</b> You will see numbers near you and the national lines. This is not saved.
help-place-abroad-button = 🌏 Outside Cambodia
help-place-title = <b>Numbers for { $place }</b>
help-place-none = We have no local number for { $place } yet. These national lines work everywhere in Cambodia:
help-abroad-title = <b>Numbers outside Cambodia</b>
help-about-title = <b>{ $name }</b>: { $phones }
