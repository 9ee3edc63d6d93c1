"""Outgoing push: one small interface, a backend per service, chosen by settings.PUSH_BACKEND."""

from .base import PushBackend, PushError, PushReceipt, get_push_backend, token_ref

__all__ = ["PushBackend", "PushError", "PushReceipt", "get_push_backend", "token_ref"]
