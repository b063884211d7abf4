# review: draft (Khmer written without a native speaker's review)
fallback-free-text = ខ្ញុំយល់ប៊ូតុងបានល្អជាង។ សូមជ្រើសរើសពីម៉ឺនុយ។
fallback-media = ខ្ញុំមិនអាចបើកស្ទីគ័រ រូបថត សារជាសំឡេង ឬឯកសារបានទេ។ សូមប្រើប៊ូតុង។
fallback-location = អរគុណ ប៉ុន្តែខ្ញុំមិនត្រូវការទីតាំងរបស់អ្នកទេ។ សូមប្រើប៊ូតុង។
fallback-unknown-command = ខ្ញុំមិនស្គាល់ពាក្យបញ្ជានោះទេ។ សូមសាកល្បង /menu ឬ /help ។
fallback-stale-button = ប៊ូតុងនេះចាស់ហើយ។ នេះជាម៉ឺនុយ។
fallback-too-fast = អ្នកកំពុងផ្ញើសារលឿនពេក។ សូមរង់ចាំបន្តិច។
fallback-edited = ខ្ញុំអានតែសារថ្មីប៉ុណ្ណោះ។ សូមផ្ញើវាម្តងទៀត។
fallback-group = ខ្ញុំធ្វើការក្នុងការជជែកផ្ទាល់ខ្លួន។ សូមផ្ញើសារមកខ្ញុំដោយផ្ទាល់។
fallback-inline-button = បើកសុខ
