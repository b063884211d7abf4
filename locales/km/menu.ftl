# review: draft (Khmer written without a native speaker's review)
menu-title = តើអ្នកចង់ធ្វើអ្វី?
menu-button-parenting = 👪 គន្លឹះចិញ្ចឹមកូន
menu-button-migration = 🧳 ចំណាកស្រុកដោយសុវត្ថិភាព
menu-button-help = 🆘 ជំនួយបន្ទាន់
menu-button-counsellor = 💬 និយាយជាមួយអ្នកប្រឹក្សា
menu-button-settings = ⚙️ ការកំណត់
menu-usage =
    ចុចប៊ូតុងដើម្បីជ្រើសរើស។ ពាក្យបញ្ជា៖
    /menu – ម៉ឺនុយដើម
    /help – លេខទូរស័ព្ទជំនួយបន្ទាន់
    /language – ប្តូរភាសា
    /forget – លុបអ្វីដែលខ្ញុំរក្សាទុកអំពីអ្នក
