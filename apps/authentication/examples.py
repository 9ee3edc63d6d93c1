"""OpenAPI examples of /auth/: a citizen of ward 5 registers, signs in and looks after the password.

The tokens have the real shape and claims; their signatures are made up.
"""

from drf_spectacular.utils import OpenApiExample

from apps.users.examples import CITIZEN, CITIZEN_ID, CITIZEN_NAME, CITIZEN_PHONE

PASSWORD = "Sabujbagh#2025"
ACCESS_TOKEN = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIiwiZXhwIjoxNzQyMDEyNDM3LCJp"
    "YXQiOjE3NDE5MjYwMzcsImp0aSI6IjdhN2RhNjY0NTQyY2IyYzIzMTNjZThhMjU3MzZjNzEwIiwidXNlcl9pZCI6IjNmMW"
    "M5YTUyLTdkNGUtNGI4YS05YzYxLTJlNWY4YTBkNGIxNyIsInBob25lIjoiKzg4MDE3MTIzNDU2NzgiLCJ1c2VyX3R5cGUi"
    "OiJjaXRpemVuIiwiaXNfdmVyaWZpZWQiOnRydWV9.4AizdtMztPGSONn_xMQz65PJXVoBVBoBKV_DGzj5pXM"
)
REFRESH_TOKEN = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoicmVmcmVzaCIsImV4cCI6MTc0MjUzMDgzNywi"
    "aWF0IjoxNzQxOTI2MDM3LCJqdGkiOiI2MWEwYjRiMWNjOTE2ZWU3YTY2ODE2M2NjODVjYzMwZCIsInVzZXJfaWQiOiIzZj"
    "FjOWE1Mi03ZDRlLTRiOGEtOWM2MS0yZTVmOGEwZDRiMTcifQ.rX1uhLbeabncoDPUDKR0iGSVTHS1yz7OMpW7IUXFPMM"
)
# The pair that replaces the one above (refresh rotation, password change).
NEW_ACCESS_TOKEN = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIiwiZXhwIjoxNzQyNjE3ODEyLCJp"
    "YXQiOjE3NDI1MzE0MTIsImp0aSI6ImViOTY5MTMzNzcwYTFiOTE3ZmFmYzE3MDU0YjljYWQ0IiwidXNlcl9pZCI6IjNmMW"
    "M5YTUyLTdkNGUtNGI4YS05YzYxLTJlNWY4YTBkNGIxNyIsInBob25lIjoiKzg4MDE3MTIzNDU2NzgiLCJ1c2VyX3R5cGUi"
    "OiJjaXRpemVuIiwiaXNfdmVyaWZpZWQiOnRydWV9.QcI5FBzLRQZaeCk4JpQJBdJC1XDImY5DwHsCOvN8NLo"
)
NEW_REFRESH_TOKEN = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoicmVmcmVzaCIsImV4cCI6MTc0MzEzNjIxMiwi"
    "aWF0IjoxNzQyNTMxNDEyLCJqdGkiOiJiODM2ODE4MDY5ZjY4MmY4OGE4YWJmMjNkYTcyNjcyZiIsInVzZXJfaWQiOiIzZj"
    "FjOWE1Mi03ZDRlLTRiOGEtOWM2MS0yZTVmOGEwZDRiMTcifQ.efZhlEYGEoGXkpe_X_VMpCs2TRaST9sgEj3bXDbThV4"
)


REGISTER = OpenApiExample(
    "Register a citizen of ward 5",
    description="Only name, phone and password are required.",
    value={
        "name": CITIZEN_NAME,
        "phone": "01712345678",
        "password": PASSWORD,
        "email": "rahim.uddin@example.com",
        "nid": "1987654321",
        "address": "বাড়ি ১২, রোড ৩, সবুজবাগ, ঢাকা",
        "ward_number": "5",
    },
    request_only=True,
)
REGISTERED = OpenApiExample(
    "Code sent",
    value={
        "message": "নিবন্ধনের তথ্য পাওয়া গেছে। আপনার ফোনে পাঠানো কোডটি লিখুন।",
        "user_id": CITIZEN_ID,
        "phone": CITIZEN_PHONE,
        "otp_sent": True,
        "otp_expires_in": 300,
    },
    response_only=True,
    status_codes=[201],
)

VERIFY_OTP = OpenApiExample(
    "The code from the SMS",
    value={"phone": "01712345678", "otp_code": "482913"},
    request_only=True,
)
VERIFIED = OpenApiExample(
    "Verified and signed in",
    value={
        "message": "আপনার ফোন নম্বর যাচাই হয়েছে।",
        "access_token": ACCESS_TOKEN,
        "refresh_token": REFRESH_TOKEN,
        "user": CITIZEN,
    },
    response_only=True,
    status_codes=[200],
)

RESEND_OTP = OpenApiExample(
    "Another registration code",
    value={"phone": "01712345678", "purpose": "registration"},
    request_only=True,
)
OTP_RESENT = OpenApiExample(
    "Code sent",
    value={"message": "নতুন কোড পাঠানো হয়েছে।", "otp_sent": True, "otp_expires_in": 300},
    response_only=True,
    status_codes=[200],
)

LOGIN = OpenApiExample(
    "Phone and password",
    value={"phone": "01712345678", "password": PASSWORD},
    request_only=True,
)
STAFF_LOGIN = OpenApiExample(
    "A staff member's second step",
    description="Where the city requires a second factor, staff first send phone and password "
    "alone (answer 403 `second_factor_required`, a code goes by SMS), then all three.",
    value={"phone": "01700000002", "password": PASSWORD, "code": "482913"},
    request_only=True,
)
SIGNED_IN = OpenApiExample(
    "Signed in",
    value={"access_token": ACCESS_TOKEN, "refresh_token": REFRESH_TOKEN, "user": CITIZEN},
    response_only=True,
    status_codes=[200],
)

REFRESH = OpenApiExample("The refresh token", value={"refresh": REFRESH_TOKEN}, request_only=True)
REFRESHED = OpenApiExample(
    "New pair",
    description="The refresh token sent no longer works.",
    value={"access": NEW_ACCESS_TOKEN, "refresh": NEW_REFRESH_TOKEN},
    response_only=True,
    status_codes=[200],
)

LOGOUT = OpenApiExample("Refresh token", value={"refresh_token": REFRESH_TOKEN}, request_only=True)
SIGNED_OUT = OpenApiExample(
    "Signed out",
    value={"message": "আপনি সাইন আউট করেছেন।"},
    response_only=True,
    status_codes=[200],
)

CHANGE_PASSWORD = OpenApiExample(
    "Current and new password",
    value={"current_password": PASSWORD, "new_password": "Basabo-Road3-2025"},
    request_only=True,
)
PASSWORD_CHANGED = OpenApiExample(
    "Changed",
    description="Other sessions are signed out; this one goes on with these tokens.",
    value={
        "message": "আপনার পাসওয়ার্ড পরিবর্তন হয়েছে।",
        "access_token": NEW_ACCESS_TOKEN,
        "refresh_token": NEW_REFRESH_TOKEN,
    },
    response_only=True,
    status_codes=[200],
)

PASSWORD_RESET = OpenApiExample("Phone", value={"phone": "01712345678"}, request_only=True)
RESET_CODE_SENT = OpenApiExample(
    "Code sent if registered",
    description="The same answer whether or not the number is registered.",
    value={"message": "নম্বরটি নিবন্ধিত হলে এতে একটি রিসেট কোড পাঠানো হয়েছে।"},
    response_only=True,
    status_codes=[200],
)

PASSWORD_RESET_CONFIRM = OpenApiExample(
    "Reset code and new password",
    value={"phone": "01712345678", "otp_code": "630157", "new_password": "Basabo-Road3-2025"},
    request_only=True,
)
PASSWORD_RESET_DONE = OpenApiExample(
    "Password reset",
    value={"message": "আপনার পাসওয়ার্ড রিসেট হয়েছে। অনুগ্রহ করে সাইন ইন করুন।"},
    response_only=True,
    status_codes=[200],
)
