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
# Some deletions failed for a passing reason (Telegram busy or unreachable): retried for 2 days.
# review: draft
hide-retrying = Telegram មិនបានអនុញ្ញាតឱ្យខ្ញុំលុបសារខ្លះនៅពេលនេះទេ។ ខ្ញុំនឹងបន្តព្យាយាមក្នុងរយៈពេល ២ ថ្ងៃខាងមុខ។ ដើម្បីឱ្យប្រាកដ អ្នកអាចលុបការជជែកនៅក្នុង Telegram៖ ចុចឱ្យយូរលើការជជែក រួចចុច លុប។
# The database could not be read in time: only the newest messages, known in memory, were removed.
# review: draft
hide-partial = ខ្ញុំអាចសម្អាតបានតែសារថ្មីៗបំផុតប៉ុណ្ណោះនៅពេលនេះ។ ដើម្បីលុបទាំងអស់ សូមលុបការជជែកនៅក្នុង Telegram៖ ចុចឱ្យយូរលើការជជែក រួចចុច លុប។
