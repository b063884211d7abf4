help-title = <b>🆘 If you or a child are in danger now, call:</b>
help-more-title = <b>More services</b>
help-service-line = <b>{ $name }</b>: { $phone }
    { $hours }. { $who }.
help-checked = Numbers checked against public sources on { $date }.
help-call-button = 📞 { $phone } { $name }
help-service-gone = That number is no longer in the list. Here is the current list.
