"""The parenting course: joining and pace (flow.py), ratings (feedback.py), nudges."""
