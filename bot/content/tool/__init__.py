"""The content tool: validate, stats, diff and spreadsheet round trip for content/."""
