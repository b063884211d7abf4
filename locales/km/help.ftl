# review: draft (Khmer written without a native speaker's review)
help-title = <b>🆘 ប្រសិនបើអ្នក ឬកុមារម្នាក់កំពុងមានគ្រោះថ្នាក់ សូមហៅ៖</b>
help-more-title = <b>សេវាផ្សេងទៀត</b>
help-service-line = <b>{ $name }</b>៖ { $phone }
    { $hours }។ { $who }។
help-checked = លេខទាំងនេះបានពិនិត្យជាមួយប្រភពសាធារណៈ នៅថ្ងៃ { $date }។
help-call-button = 📞 { $phone } { $name }
help-service-gone = លេខនោះលែងមានក្នុងបញ្ជីហើយ។ នេះជាបញ្ជីបច្ចុប្បន្ន។
