# review: draft (Khmer written without a native speaker's review)
onboarding-choose-language =
    សុខ (Sokh) ជួយគ្រួសារ ដោយផ្តល់គន្លឹះចិញ្ចឹមកូន ព័ត៌មានចំណាកស្រុកដោយសុវត្ថិភាព និងជំនួយពេលមាននរណាម្នាក់មានគ្រោះថ្នាក់។
    
    សូមជ្រើសរើសភាសា / Choose your language
onboarding-welcome = សូមស្វាគមន៍។ ខ្ញុំនឹងនិយាយភាសាខ្មែរជាមួយអ្នក។ អ្នកអាចប្តូរបានគ្រប់ពេល ដោយចុច /language ។
