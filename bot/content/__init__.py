"""Content packs and interface strings: typed model, atomic store, Fluent locales, tools."""
