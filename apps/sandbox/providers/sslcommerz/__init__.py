"""Sandbox simulator of sslcommerz (wire contract in ../../../../shared/design/GATEWAYS.md)."""
