# review: draft (Khmer written without a native speaker's review)
common-button-menu = ☰ ម៉ឺនុយ
common-button-back = ‹ ថយក្រោយ
common-button-next = បន្ទាប់ ›
common-button-previous = ‹ មុន
common-page = { $page } / { $total }
common-source = ប្រភព៖ { $source }
common-source-general = ដំបូន្មានទូទៅ មិនមែនពីប្រភពដែលបានបោះពុម្ពទេ
common-error = សូមទោស មានបញ្ហាខាងយើង។ សូមព្យាយាមម្តងទៀត។
common-language-name-km = ខ្មែរ
common-language-name-en = English
common-button-refused = ប៊ូតុងនេះលែងដំណើរការនៅទីនេះហើយ។

# The month calendar (travel date, /session day): dialogs/month.py.
calendar-month = ខែ{ $month ->
    [1] មករា
    [2] កុម្ភៈ
    [3] មីនា
    [4] មេសា
    [5] ឧសភា
    [6] មិថុនា
    [7] កក្កដា
    [8] សីហា
    [9] កញ្ញា
    [10] តុលា
    [11] វិច្ឆិកា
   *[12] ធ្នូ
} ឆ្នាំ{ $year }
calendar-weekdays = ច អ ព ព្រ សុ ស អា
common-try-again-soon = សូមទោស ខ្ញុំមិនអាចធ្វើវាបានទេពេលនេះ៖ ផ្នែកមួយរបស់ សុខ កំពុងមានបញ្ហាមួយភ្លែត។ សូមព្យាយាមម្តងទៀតក្នុងរយៈពេលប៉ុន្មាននាទីទៀត។ លេខជំនួយទាំងនេះប្រើបានឥឡូវនេះ៖
