"""An update's way through the bot: middlewares, flood limits, FSM storage, the message trail."""
