# review: draft (Khmer written without a native speaker's review)
# /session, /sessions, ការរំលឹកជាមួយការឆ្លើយតប, វត្តមាន។

sessions-not-allowed = សូមអភ័យទោស មានតែអ្នកគ្រប់គ្រងក្រុម និងគ្រូបង្គោលដែលពួកគេបានកំណត់ប៉ុណ្ណោះ ដែលអាចកំណត់ពេលវគ្គបាន។ អ្នកគ្រប់គ្រងអាចធ្វើឱ្យអ្នកក្លាយជាគ្រូបង្គោល ដោយឆ្លើយតបសាររបស់អ្នកដោយ /trainer។
sessions-in-group = វគ្គត្រូវកំណត់ពេលនៅក្នុងក្រុមរបស់អ្នក៖ សូមបន្ថែមខ្ញុំទៅក្នុងក្រុម រួចផ្ញើ /session នៅទីនោះ។
sessions-ask-title = 📅 វគ្គថ្មី។ តើវាមានឈ្មោះអ្វី? (សូមឆ្លើយតបសារនេះ។)
sessions-ask-topic = តើប្រធានបទចិញ្ចឹមកូនមួយណា? ក្រុមនឹងទទួលបានគន្លឹះអំពីវា បន្ទាប់ពីវគ្គ។
sessions-ask-day = តើថ្ងៃណា?
sessions-day-chosen = 📅 ថ្ងៃ { $day }
sessions-ask-time = តើចាប់ផ្តើមម៉ោងប៉ុន្មាន? សូមឆ្លើយដូចជា 18:00។
sessions-bad-time = ខ្ញុំមិនអាចអានម៉ោងនោះបានទេ។ សូមឆ្លើយដូចជា 18:00។
sessions-time-passed = ម៉ោងនោះបានកន្លងផុតហើយ។ សូមឆ្លើយម៉ោងក្រោយ ដូចជា 18:00។
sessions-ask-place = នៅឯណា? សូមឆ្លើយជាទីកន្លែង (អ្នកក៏អាចចែករំលែកទីតាំងផងដែរ)។
sessions-ask-repeat = ម្តង ឬរៀងរាល់សប្តាហ៍?
sessions-weeks = { $weeks ->
    [1] ម្តង
   *[other] { $weeks } សប្តាហ៍
}
sessions-ask-reminders = តើខ្ញុំគួររំលឹកក្រុមនៅពេលណា?
sessions-reminders-24-1 = ២៤ ម៉ោង និង ១ ម៉ោងមុន
sessions-reminders-1 = ១ ម៉ោងមុន
sessions-reminders-24 = ២៤ ម៉ោងមុន
sessions-reminders-0 = គ្មានការរំលឹក
sessions-saved = { $count ->
    [1] ✅ បានកំណត់ពេលវគ្គ៖
   *[other] ✅ បានកំណត់ពេលវគ្គប្រចាំសប្តាហ៍ { $count }៖
}
sessions-line = 🗓 { $when } · <b>{ $title }</b> ({ $topic }) · 📍 ទីកន្លែង៖ { $place }
sessions-not-your-form = ទម្រង់នេះជារបស់អ្នកផ្សេង ឬបានបញ្ចប់ហើយ។
sessions-none = មិនមានវគ្គនឹងមកដល់ទេ។ គ្រូបង្គោលអាចកំណត់ពេលដោយ /session។
sessions-coming = <b>វគ្គដែលនឹងមកដល់</b>
sessions-move = 🔁 ប្តូរ { $n }
sessions-cancel = ❌ លុបចោល { $n }
sessions-cancelled = ❌ បានលុបចោល៖ { $session }
sessions-ask-when = កាលបរិច្ឆេទ និងម៉ោងថ្មី? សូមឆ្លើយដូចជា 14/12 18:00។
sessions-bad-when = ខ្ញុំមិនអាចអានបាន ឬវាបានកន្លងផុតហើយ។ សូមឆ្លើយដូចជា 14/12 18:00។
sessions-moved = 🔁 បានប្តូរទៅ { $when }៖ { $session }

rsvp-reminder =
    ⏰ <b>ការរំលឹក៖ { $title }</b>
    🗓 { $when } · 📍 { $place }
    ប្រធានបទ៖ { $topic }

    ✅ នឹងមក៖ { $coming } · ❌ មកមិនបាន៖ { $missing }
rsvp-coming = ✅ ខ្ញុំនឹងមក
rsvp-not-coming = ❌ ខ្ញុំមកមិនបាន
rsvp-thanks = សូមអរគុណ បានកត់ត្រាហើយ។
rsvp-tip =
    💡 <b>បន្ទាប់ពីវគ្គថ្ងៃនេះ៖ { $topic }</b>

    { $tip }

attendance-ask = 📝 តើវគ្គ <b>{ $title }</b> ({ $when }) យ៉ាងដូចម្តេច? សូមកត់ត្រាវត្តមាន។
attendance-button = 📝 កត់ត្រាវត្តមាន
attendance-how = តើមានអ្នកមកប៉ុន្មាននាក់? សូមផ្ញើលេខមួយ (ដូចជា 12) ឬប្រាំ៖ សរុប ស្ត្រី បុរស ក្មេងស្រី ក្មេងប្រុស (ដូចជា 12 7 3 1 1)។
attendance-bad = សូមផ្ញើលេខមួយ (ដូចជា 12) ឬលេខប្រាំ (ដូចជា 12 7 3 1 1)។
attendance-saved = ✅ បានរក្សាទុក៖ មានអ្នកមក { $count } នាក់។ សូមអរគុណ!
sessions-pick-group = 📅 វគ្គថ្មី។ សម្រាប់ក្រុមណា?

# ទីតាំងលើផែនទីរបស់ទីកន្លែង (ស្រេចចិត្ត) និង /sessions → កែ។
sessions-ask-pin = 📍 បន្ថែមទីតាំងលើផែនទី ដើម្បីឱ្យអ្នកចូលរួមរកកន្លែងឃើញទេ? សូមឆ្លើយតបសារនេះដោយផ្ញើទីតាំង (📎 → ទីតាំង) ឬរំលង។
sessions-pin-skip = រំលង
sessions-edit = ✏️ កែ { $n }
sessions-edit-what = ✏️ តើត្រូវកែអ្វី? { $session }
sessions-field-title = ឈ្មោះ
sessions-field-topic = ប្រធានបទ
sessions-field-place = ទីកន្លែង
sessions-edit-ask-title = ឈ្មោះថ្មី? (សូមឆ្លើយតបសារនេះ។)
sessions-edit-ask-place = ទីកន្លែងថ្មី? សូមឆ្លើយជាឈ្មោះទីកន្លែង ឬចែករំលែកទីតាំង។
sessions-edit-scope = កែតែថ្ងៃ { $day } ឬកែថ្ងៃបន្ទាប់ៗនៃវគ្គប្រចាំសប្តាហ៍នេះផងដែរ?
sessions-scope-one = តែថ្ងៃ { $day }
sessions-scope-later = ថ្ងៃ { $day } និងបន្ទាប់ ({ $count })
sessions-edited = { $count ->
    [1] ✏️ បានកែ៖
   *[other] ✏️ បានកែ { $count } ថ្ងៃ៖
}

# ការចាកចេញពីទម្រង់ និងអ្វីដែលការបញ្ជាក់និយាយអំពីការរំលឹក។
sessions-button-quit = ✖️ បោះបង់
sessions-quit = ✖️ បានបោះបង់។ គ្មានអ្វីត្រូវបានរក្សាទុកទេ។
sessions-nothing-to-cancel = គ្មានអ្វីត្រូវបោះបង់ទេ។
sessions-reminder-passed = ម៉ោងរំលឹកនោះបានកន្លងផុតហើយសម្រាប់វគ្គដំបូង។ សូមជ្រើសរើសម៉ោងក្រោយ ឬគ្មានការរំលឹក។
sessions-saved-reminders = ⏰ ការរំលឹក៖ { $which }

# One-tap defaults: the next session like the group's last one, and the plan in one button.
sessions-ask-like =
    📅 វគ្គថ្មី។ ដូចវគ្គមុនទេ?
    { $session }
sessions-button-like = ↻ ចំណងជើង ប្រធានបទ និងទីកន្លែងដដែល
sessions-button-new = ✏️ វគ្គថ្មីផ្សេង
sessions-button-next = ▶ ថ្ងៃ { $when }
sessions-day-passed = ថ្ងៃនោះបានកន្លងផុតហើយ។ សូមជ្រើសរើសថ្ងៃផ្សេង។
sessions-plan-default = ✅ { $weeks } · ⏰ រំលឹក { $reminders }
