# review: draft (Khmer written without a native speaker's review)
command-start = ចាប់ផ្តើម និងជ្រើសរើសភាសា
command-menu = ម៉ឺនុយដើម
command-help = ជំនួយបន្ទាន់៖ លេខទូរស័ព្ទ
command-counsellor = និយាយជាមួយអ្នកប្រឹក្សា ដោយអនាមិក
command-language = ប្តូរភាសា
command-forget = លុបទិន្នន័យរបស់ខ្ញុំ
