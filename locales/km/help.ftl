# review: draft (Khmer written without a native speaker's review)
help-title = <b>🆘 ប្រសិនបើអ្នក ឬកុមារម្នាក់កំពុងមានគ្រោះថ្នាក់ សូមហៅ៖</b>
help-service-line = <b>{ $name }</b>៖ { $phone }
    { $facts }
help-checked = លេខទាំងនេះបានពិនិត្យជាមួយប្រភពសាធារណៈ នៅថ្ងៃ { $date }។
help-call-button = 📞 { $phone } { $name }
help-service-gone = លេខនោះលែងមានក្នុងបញ្ជីហើយ។ នេះជាបញ្ជីបច្ចុប្បន្ន។
help-more = លេខផ្សេងទៀត តាមអ្វីដែលបានកើតឡើង ឬតាមកន្លែងដែលអ្នកនៅ៖
help-by-topic-button = 🧭 តាមប្រធានបទ
help-by-place-button = 📍 តាមខេត្ត
help-about-button = ℹ️ អំពីលេខ { $phone }
help-place-choose = <b>តើអ្នកនៅឯណា?</b> អ្នកនឹងឃើញលេខនៅជិតអ្នក និងលេខជាតិ។ វាមិនត្រូវបានរក្សាទុកទេ។
help-place-abroad-button = 🌏 នៅក្រៅប្រទេសកម្ពុជា
help-place-title = <b>លេខសម្រាប់ { $place }</b>
help-place-none = យើងមិនទាន់មានលេខក្នុងតំបន់សម្រាប់ { $place } នៅឡើយទេ។ លេខជាតិទាំងនេះប្រើបាននៅគ្រប់ទីកន្លែងក្នុងប្រទេសកម្ពុជា៖
help-abroad-title = <b>លេខនៅក្រៅប្រទេសកម្ពុជា</b>
help-about-title = <b>{ $name }</b>៖ { $phones }
