"""Outgoing SMS: one small interface, a backend per provider, chosen by settings.SMS_BACKEND."""

from .base import SmsBackend, SmsError, SmsMessage, SmsReceipt, get_sms_backend

__all__ = ["SmsBackend", "SmsError", "SmsMessage", "SmsReceipt", "get_sms_backend"]
