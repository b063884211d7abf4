# review: draft (Khmer written without a native speaker's review)
crisis-lead = <b>សូមអរគុណដែលបានប្រាប់យើង។ អ្នកមិននៅម្នាក់ឯងទេ ហើយអ្វីដែលកំពុងកើតឡើង មិនមែនជាកំហុសរបស់អ្នកទេ។</b>
    សូមហៅលេខទាំងនេះឥឡូវនេះ ប្រសិនបើអ្នក ឬកុមារម្នាក់កំពុងមានគ្រោះថ្នាក់។
crisis-button-counsellor = 💬 និយាយជាមួយអ្នកប្រឹក្សា
