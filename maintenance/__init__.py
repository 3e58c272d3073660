"""Upkeep of the running assistant's data: `python -m maintenance.retention` purges old conversations."""
