referral-what-happened = <b>What happened?</b> Choose the closest. You don't need to give details.
referral-where = <b>Where are you?</b> This helps find services near you. It is not saved.
referral-skip-province = Not in Cambodia / skip
referral-who = <b>Who can help: { $category }</b>
referral-no-local = We know of no service for this in { $place } yet.
referral-national = <b>Anywhere in Cambodia:</b>
referral-abroad = <b>Outside Cambodia:</b>
referral-next-step = <b>Next step:</b> { $step }
