checklist-title = <b>📋 { $title }</b> · { $done } of { $total } done
checklist-how = Tap a number to tick it off. Only you see your ticks; /forget erases them.
