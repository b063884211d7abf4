# review: draft (Khmer written without a native speaker's review)
## Quick exit and auto-clean (docs/quick-exit.md)
command-hide = លាក់ការជជែកនេះ៖ លុបសាររបស់យើង
hide-button = 🙈 លាក់ការជជែក
hide-too-old = សារដែលចាស់ជាង ២ ថ្ងៃ មិនអាចលុបបានទេ។
hide-failed = ខ្ញុំមិនអាចសម្អាតការជជែកបានទេពេលនេះ។ អ្នកអាចលុបវានៅក្នុង Telegram៖ ចុចឱ្យយូរលើការជជែក រួចចុច លុប។
hide-autoclean-off = 🧹 សម្អាតបន្ទាប់ពីខ្ញុំ៖ បិទ
hide-autoclean-on = 🧹 សម្អាតបន្ទាប់ពីខ្ញុំ៖ បើក
# For counsellors, in the case's topic: the case stays open.
hide-case-note = ករណី { $alias } បានសម្អាតអេក្រង់របស់ពួកគេ។ ករណីនេះនៅតែបើក។
