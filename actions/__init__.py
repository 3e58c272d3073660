"""Custom actions: each reads slots, asks the `orientation` core, and formats the reply."""
