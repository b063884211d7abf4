browse-choose-topic = <b>{ $pack }</b>
    Choose a topic:
browse-topic-gone = That topic has changed. Please choose again.
browse-quiz-button = ❓ Quiz: test yourself
browse-more-topics = More topics ›
browse-fewer-topics = ‹ Earlier topics
