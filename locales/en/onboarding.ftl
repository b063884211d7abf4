onboarding-choose-language =
    Sokh (សុខ) helps families with parenting tips, safe migration and help when someone is in danger.
    
    Choose your language / សូមជ្រើសរើសភាសា
onboarding-welcome = Welcome. I will speak English with you. You can change this any time with /language.
