# review: draft (Khmer written without a native speaker's review)
settings-title = <b>⚙️ ការកំណត់</b>
settings-button-language = 🌐 ភាសា៖ { $language }
settings-button-forget = 🗑 លុបទិន្នន័យរបស់ខ្ញុំ
# review: draft (issue 14)
settings-forget-confirm = នេះនឹងលុបអ្វីៗទាំងអស់ដែលសុខរក្សាទុកអំពីអ្នក៖ ភាសាដែលអ្នកបានជ្រើស គន្លឹះដែលអ្នកបានអាន និងការសន្ទនាណាមួយជាមួយអ្នកប្រឹក្សា រួមទាំងច្បាប់ចម្លងរបស់វា ក្នុងក្រុម Telegram របស់អ្នកប្រឹក្សា។ មិនអាចយកមកវិញបានទេ។ លុបមែនទេ?
settings-forget-yes = បាទ/ចាស លុប
settings-forget-no = ទេ រក្សាទុក
settings-forget-done = រួចរាល់។ ខ្ញុំបានលុបប្រវត្តិរូបរបស់អ្នក និងកំណត់ត្រាផ្សេងទៀត { $records } អំពីអ្នក។ បើអ្នកសរសេរមកម្តងទៀត ខ្ញុំនឹងចាប់ផ្តើមថ្មី។
settings-forget-nothing = ខ្ញុំមិនរក្សាទុកអ្វីអំពីអ្នកទេ។
# review: draft (issue 14)
settings-forget-cases = ការសន្ទនារបស់អ្នកជាមួយអ្នកប្រឹក្សា ({ $cases }) ត្រូវបានលុបចេញពីមូលដ្ឋានទិន្នន័យរបស់សុខ ហើយប្រធានបទរបស់វា ក្នុងក្រុម Telegram របស់អ្នកប្រឹក្សា កំពុងត្រូវលុបចោលឥឡូវនេះ។ អ្នកប្រឹក្សាមិនអាចឆ្លើយតបវាបានទៀតទេ។
settings-storage-down = ខ្ញុំមិនអាចរក្សាទុកវាបានទេពេលនេះ។ សូមព្យាយាមម្តងទៀតពេលក្រោយ។ លេខជំនួយនៅតែដំណើរការ៖ /help
