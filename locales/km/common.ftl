# review: draft (Khmer written without a native speaker's review)
common-button-menu = ☰ ម៉ឺនុយ
common-button-back = ‹ ថយក្រោយ
common-button-next = បន្ទាប់ ›
common-button-previous = ‹ មុន
common-page = { $page } / { $total }
common-source = ប្រភព៖ { $source }
common-error = សូមទោស មានបញ្ហាខាងយើង។ សូមព្យាយាមម្តងទៀត។
common-language-name-km = ខ្មែរ
common-language-name-en = English
common-button-refused = ប៊ូតុងនេះលែងដំណើរការនៅទីនេះហើយ។
