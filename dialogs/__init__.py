"""Conversation flows, one module per feature; testable without Telegram."""
