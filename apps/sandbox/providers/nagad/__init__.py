"""Sandbox simulator of nagad (wire contract in ../../../../shared/design/GATEWAYS.md)."""
