# review: draft (Khmer written without a native speaker's review)
notify-neutral = អ្នកមានសារថ្មីពីសុខ។
notify-button-read = 📖 អាន
notify-gone = សារនេះលែងមាននៅទីនេះហើយ។ វាប្រហែលជាត្រូវបានលុប។ អ្នកអាចបើកម៉ឺនុយបានគ្រប់ពេល។
notify-button-settings = 🔔 ការជូនដំណឹង
notify-button-discreet = ដោយសម្ងាត់
notify-button-neutral = អព្យាក្រឹតទាំងស្រុង
notify-title =
    <b>🔔 ការជូនដំណឹង</b>
    អេក្រង់ចាក់សោរបស់ទូរសព្ទបង្ហាញពាក្យដំបូងៗនៃសារ។ សារអំពីអ្នកប្រឹក្សា វិបត្តិ ឬការធ្វើដំណើរ ចាប់ផ្តើមដោយ៖
    <i>{ $neutral }</i>

    <b>ដោយសម្ងាត់</b>៖ បន្ទាត់នោះមុន បន្ទាប់មកសារ។
    <b>អព្យាក្រឹតទាំងស្រុង</b>៖ មានតែបន្ទាត់នោះប៉ុណ្ណោះ។ ចុច 📖 អាន ដើម្បីមើលសារ។
