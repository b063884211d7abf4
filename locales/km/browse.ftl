# review: draft (Khmer written without a native speaker's review)
browse-choose-topic = <b>{ $pack }</b>
    សូមជ្រើសរើសប្រធានបទ៖
browse-topic-gone = ប្រធានបទនោះបានផ្លាស់ប្តូរ។ សូមជ្រើសរើសម្តងទៀត។
browse-quiz-button = ❓ សំណួរ៖ សាកល្បងខ្លួនឯង
browse-more-topics = ប្រធានបទផ្សេងទៀត ›
browse-fewer-topics = ‹ ប្រធានបទមុន
