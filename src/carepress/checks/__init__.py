"""Checks over what carepress builds; each returns findings a report lists."""
