crisis-lead = <b>Thank you for telling us. You are not alone, and what is happening is not your fault.</b>
    Please call one of these numbers now if you or a child are in danger.
crisis-button-counsellor = 💬 Talk to a counsellor
