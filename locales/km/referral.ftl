# review: draft (Khmer written without a native speaker's review)
referral-what-happened = <b>តើមានអ្វីកើតឡើង?</b> សូមជ្រើសរើសអ្វីដែលជិតបំផុត។ អ្នកមិនចាំបាច់ប្រាប់លម្អិតទេ។
referral-where = <b>តើអ្នកនៅឯណា?</b> វាជួយស្វែងរកសេវានៅជិតអ្នក។ វាមិនត្រូវបានរក្សាទុកទេ។
referral-skip-province = មិននៅកម្ពុជា / រំលង
referral-who = <b>អ្នកដែលអាចជួយបាន៖ { $category }</b>
referral-no-local = យើងមិនទាន់ស្គាល់សេវាសម្រាប់រឿងនេះនៅ { $place } នៅឡើយទេ។
referral-national = <b>នៅគ្រប់ទីកន្លែងក្នុងប្រទេសកម្ពុជា៖</b>
referral-abroad = <b>នៅក្រៅប្រទេសកម្ពុជា៖</b>
referral-next-step = <b>ជំហានបន្ទាប់៖</b> { $step }
referral-offices = នៅ { $place } ប្រភពរបស់យើងរាយឈ្មោះកន្លែងទាំងនេះ ប៉ុន្តែគ្មានលេខដែលយើងអាចបញ្ជាក់បានទេ៖
referral-office-line = <b>{ $name }</b>៖ { $what }
