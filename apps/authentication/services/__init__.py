"""Writes of authentication: OTPs (otp), tokens (tokens) and the account flows (accounts)."""

from .accounts import (
    auth_change_password,
    auth_login,
    auth_password_reset_confirm,
    auth_password_reset_request,
    auth_register,
    auth_resend_otp,
    auth_staff_code_send,
    auth_staff_code_verify,
    auth_staff_credentials_check,
    auth_staff_sign_in,
    auth_staff_sign_out,
    auth_verify_registration,
)
from .otp import otp_consume, otp_issue, otp_purge_expired
from .tokens import auth_logout, auth_refresh, tokens_for_user

__all__ = [
    "auth_change_password",
    "auth_login",
    "auth_logout",
    "auth_password_reset_confirm",
    "auth_password_reset_request",
    "auth_refresh",
    "auth_register",
    "auth_resend_otp",
    "auth_staff_code_send",
    "auth_staff_code_verify",
    "auth_staff_credentials_check",
    "auth_staff_sign_in",
    "auth_staff_sign_out",
    "auth_verify_registration",
    "otp_consume",
    "otp_issue",
    "otp_purge_expired",
    "tokens_for_user",
]
