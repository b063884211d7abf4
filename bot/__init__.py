"""Sokh: transport, wiring, storage and scheduling for the child-protection chatbot."""
