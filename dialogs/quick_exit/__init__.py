"""quick_exit."""
