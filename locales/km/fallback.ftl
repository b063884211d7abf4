# review: draft (Khmer written without a native speaker's review)
fallback-media = ខ្ញុំមិនអាចបើកស្ទីគ័រ រូបថត សារជាសំឡេង ឬឯកសារបានទេ។ សូមប្រើប៊ូតុង។
fallback-location = អរគុណ ប៉ុន្តែខ្ញុំមិនត្រូវការទីតាំងរបស់អ្នកទេ។ សូមប្រើប៊ូតុង។
fallback-unknown-command = ខ្ញុំមិនស្គាល់ពាក្យបញ្ជានោះទេ។ សូមសាកល្បង /menu ឬ /help ។
fallback-stale-button = ប៊ូតុងនេះចាស់ហើយ។ នេះជាម៉ឺនុយ។
fallback-too-fast = អ្នកកំពុងផ្ញើសារលឿនពេក។ សូមរង់ចាំបន្តិច។
fallback-edited = ខ្ញុំអានតែសារថ្មីប៉ុណ្ណោះ។ សូមផ្ញើវាម្តងទៀត។
fallback-group = ខ្ញុំធ្វើការក្នុងការជជែកផ្ទាល់ខ្លួន។ សូមផ្ញើសារមកខ្ញុំដោយផ្ទាល់។
fallback-inline-button = បើកសុខ
# review: draft (Khmer written without a native speaker's review)
search-found = នេះជាអ្វីដែលខ្ញុំរកឃើញ៖
search-why = { $n }. <b>{ $title }</b> (ត្រូវនឹង៖ { $words })
search-nothing = សូមទោស ខ្ញុំរកមិនឃើញចម្លើយសម្រាប់សំណួរនោះទេ។ សូមជ្រើសរើសពីម៉ឺនុយ ឬនិយាយជាមួយអ្នកប្រឹក្សា។
search-thanks = មិនអីទេ។
search-stop-confirm = តើអ្នកចង់ឈប់ទទួលសារពីសុខទេ? សូមជ្រើសរើសអ្វីដែលត្រូវឈប់៖
fallback-voice = សូមទោស ខ្ញុំមិនទាន់អាចស្តាប់សារជាសំឡេងបានទេ។ សូមវាយសំណួររបស់អ្នក ឬនិយាយជាមួយអ្នកប្រឹក្សា។ ប្រសិនបើអ្នក ឬកុមារម្នាក់កំពុងមានគ្រោះថ្នាក់ សូមស្វែងរកជំនួយឥឡូវនេះ។
fallback-sticker = ខ្ញុំមិនអាចអានស្ទីគ័របានទេ។ សូមវាយសំណួររបស់អ្នក ឬជ្រើសរើសពីម៉ឺនុយ។
search-worry = 💭 បន្ថែមអំពី { $worry } តាមអាយុកូនរបស់អ្នក
