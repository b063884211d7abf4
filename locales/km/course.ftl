# review: draft (Khmer written without a native speaker's review)
menu-button-course = 📬 វគ្គសិក្សាឪពុកម្តាយ
settings-button-course = 📬 វគ្គសិក្សា៖ ម៉ោង ភាពញឹកញាប់ ផ្អាក
course-intro = <b>📬 វគ្គសិក្សាឪពុកម្តាយ</b>
    គន្លឹះខ្លីមួយម្តងមួយ នៅម៉ោងដែលអ្នកជ្រើសរើស។ អ្នកអាចផ្អាក ឬបញ្ឈប់បានគ្រប់ពេល។
course-button-start = ▶️ ចាប់ផ្តើមវគ្គសិក្សា
course-ask-age = តើកូនរបស់អ្នកអាយុប៉ុន្មាន?
course-age-0-2 = ០–២ ឆ្នាំ
course-age-3-5 = ៣–៥ ឆ្នាំ
course-age-6-11 = ៦–១១ ឆ្នាំ
course-age-12-17 = ១២–១៧ ឆ្នាំ
course-ask-hour = តើអ្នកចង់ទទួលគន្លឹះនៅពេលណា?
course-hour-7 = 🌅 ពេលព្រឹក (៧:០០)
course-hour-12 = ☀️ ពេលថ្ងៃត្រង់ (១២:០០)
course-hour-19 = 🌙 ពេលល្ងាច (១៩:០០)
course-ask-every = ញឹកញាប់ប៉ុណ្ណា?
course-every-1 = រៀងរាល់ថ្ងៃ
course-every-2 = ពីរថ្ងៃម្តង
course-every-7 = មួយសប្តាហ៍ម្តង
course-started = រួចរាល់! គន្លឹះដំបូងរបស់អ្នកនឹងមកដល់នៅ { $when }។ ផ្ញើ /pause /resume ឬ /stop បានគ្រប់ពេល។
course-status = { $status ->
        [paused] វគ្គសិក្សារបស់អ្នកត្រូវបានផ្អាក។
       *[other] វគ្គសិក្សារបស់អ្នកកំពុងដំណើរការ។
    } គន្លឹះបន្ទាប់៖ { $when }
course-button-pause = ⏸ ផ្អាក
course-button-resume = ▶️ បន្ត
course-button-change = 🔧 ប្តូរអាយុ ម៉ោង ឬភាពញឹកញាប់
course-button-stop = ⏹ បញ្ឈប់វគ្គសិក្សា
course-tip-title = <b>📬 គន្លឹះទី { $n } នៃ { $total }</b>
course-button-useful = 👍 មានប្រយោជន៍
course-button-useless = 👎 មិនមានប្រយោជន៍
course-button-next = ⏭ គន្លឹះបន្ទាប់ឥឡូវនេះ
course-thanks-useful = អរគុណ! រីករាយដែលវាជួយបាន។
course-thanks-useless = អរគុណដែលបានប្រាប់យើង។
course-paused = វគ្គសិក្សារបស់អ្នកត្រូវបានផ្អាក។ ចុច បន្ត ឬផ្ញើ /resume ពេលអ្នករួចរាល់។
course-resumed = វគ្គសិក្សារបស់អ្នកបានបន្តវិញ។ គន្លឹះបន្ទាប់នឹងមកដល់នៅម៉ោងធម្មតារបស់អ្នក។
course-stopped = វគ្គសិក្សារបស់អ្នកត្រូវបានបញ្ឈប់។ អ្នកអាចចាប់ផ្តើមម្តងទៀតពីម៉ឺនុយ។
course-none = អ្នកមិនទាន់ចូលរៀនវគ្គសិក្សានេះទេ។ ចាប់ផ្តើមវាពីម៉ឺនុយ។
course-done = 🎉 <b>ល្អណាស់!</b> អ្នកបានបញ្ចប់វគ្គសិក្សាឪពុកម្តាយ។ គន្លឹះនីមួយៗដែលអ្នកបានសាកល្បង ធ្វើឱ្យមានភាពខុសគ្នាសម្រាប់កូនរបស់អ្នក។ តើអ្នកចង់ចាប់ផ្តើមម្តងទៀត ប្រហែលជាសម្រាប់អាយុផ្សេង?
course-button-again = 🔁 ចាប់ផ្តើមវគ្គសិក្សាម្តងទៀត
course-button-next-age = ➡️ វគ្គបន្ទាប់៖ សម្រាប់កូនអាយុ { $age }
course-rated-useful = ✅ មានប្រយោជន៍៖ អរគុណ!
course-rated-useless = ✅ បានកត់ត្រាហើយ៖ អរគុណ!
# A home-practice check-in asks whether the parent tried it, with the same two buttons.
course-checkin-button-useful = 🙌 ខ្ញុំបានសាកល្បង
course-checkin-button-useless = ⏳ មិនទាន់
course-checkin-thanks-useful = ពូកែណាស់! បន្តហាត់ទៀត។
course-checkin-thanks-useless = មិនអីទេ៖ សាកល្បងនៅថ្ងៃនេះ។
course-checkin-rated-useful = ✅ បានសាកល្បង៖ ពូកែណាស់!
course-checkin-rated-useless = ✅ បានកត់ត្រា៖ សាកល្បងថ្ងៃនេះ
command-pause = ផ្អាកវគ្គសិក្សាឪពុកម្តាយ
command-resume = បន្តវគ្គសិក្សាឪពុកម្តាយ
command-stop = បញ្ឈប់វគ្គសិក្សាឪពុកម្តាយ
course-started-now = រួចរាល់! នេះជាគន្លឹះដំបូងរបស់អ្នក។ គន្លឹះបន្ទាប់នឹងមកដល់នៅ { $when }។ ផ្ញើ /pause /resume ឬ /stop បានគ្រប់ពេល។
