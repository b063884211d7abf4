"""What Sokh sends on its own: schedules into the outbox, the sender, periodic jobs."""
