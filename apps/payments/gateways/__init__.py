"""Payment provider clients: one small module each behind the interface in base.py."""
