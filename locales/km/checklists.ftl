# review: draft (Khmer written without a native speaker's review)
checklist-title = <b>📋 { $title }</b> · រួចរាល់ { $done } ក្នុងចំណោម { $total }
checklist-how = ចុចលេខដើម្បីគូសធីក។ មានតែអ្នកទេដែលឃើញការគូសធីករបស់អ្នក។ /forget លុបវាចោល។
