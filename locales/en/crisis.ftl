crisis-lead = <b>Thank you for telling us. You are not alone, and what is happening is not your fault.</b>
    Please call one of these numbers now if you or a child are in danger.
crisis-button-counsellor = 💬 Talk to a counsellor
# Leads that fit what was said (dialogs/crisis.py: lead_id).
crisis-lead-witness = <b>Thank you for telling us. You did the right thing.</b>
    If someone is in danger now, call one of these numbers. You can also talk to a counsellor about what to do next; you do not have to give anyone's name.
crisis-lead-self-harm = <b>Thank you for telling us. You matter, and you do not have to go through this alone.</b>
    Please call one of these numbers now and talk to someone. If you have already hurt yourself or taken something, go to the nearest health centre or hospital now.
crisis-lead-self-harm-witness = <b>Thank you for telling us. Please take it seriously.</b>
    If they may hurt themselves now, stay with them and call one of these numbers together. If they have already taken something or are hurt, take them to the nearest health centre or hospital now.
crisis-lead-medical-emergency = <b>This sounds like a medical emergency.</b>
    Get someone to take the person to the nearest health centre or hospital now. Do not wait. While you go, call one of these numbers for help.
crisis-lead-drugs-alcohol = <b>Thank you for telling us. Drinking and drugs can put children in danger.</b>
    If anyone is in danger now, call one of these numbers. Child Helpline Cambodia listens to children and young people up to 25 and can refer them on.
crisis-lead-distress = <b>Thank you for telling us. You are not alone.</b>
    It is OK to ask for help. Talk to someone at one of these numbers, or to a counsellor here.
