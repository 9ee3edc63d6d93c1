"""OpenAPI examples of /users/: the user object and the bodies that change it.

The people here recur in the other apps' examples: one citizen of ward 5 and the ward admin
who looks after that ward.
"""

from drf_spectacular.utils import OpenApiExample

CITIZEN_ID = "3f1c9a52-7d4e-4b8a-9c61-2e5f8a0d4b17"
CITIZEN_PHONE = "+8801712345678"
CITIZEN_NAME = "রহিম উদ্দিন"
WARD_ADMIN_ID = "b84e2d10-5a3c-4f9e-8d27-6c1a9e3f0b52"
WARD_ADMIN_NAME = "নাসরিন আক্তার"
SUPER_ADMIN_ID = "0c6d8e4a-21f7-4b39-a5d2-9e8b7c1f3a60"

# The user object as sign-in, /auth/me/ and the profile return it.
CITIZEN = {
    "id": CITIZEN_ID,
    "phone": CITIZEN_PHONE,
    "name": CITIZEN_NAME,
    "email": "rahim.uddin@example.com",
    "nid": "1987654321",
    "address": "বাড়ি ১২, রোড ৩, সবুজবাগ, ঢাকা",
    "ward_number": "5",
    "user_type": "citizen",
    "user_type_display": "নাগরিক",
    "is_verified": True,
    "language": "bn",
    "profile_picture_url": None,
    "created_at": "2025-01-08T09:15:42.318204+06:00",
}
# What staff see of the same account.
CITIZEN_FOR_STAFF = {
    **CITIZEN,
    "is_active": True,
    "last_login": "2025-03-14T10:20:11.904512+06:00",
    "updated_at": "2025-03-14T10:21:37.220918+06:00",
}

PROFILE_REPLACE = OpenApiExample(
    "Replace the profile",
    description="PUT: details left out (here the NID) are cleared.",
    value={
        "name": CITIZEN_NAME,
        "email": "rahim.uddin@example.com",
        "address": "বাড়ি ১২, রোড ৩, সবুজবাগ, ঢাকা",
        "ward_number": "5",
        "language": "bn",
    },
    request_only=True,
)
PROFILE_CHANGE = OpenApiExample(
    "Change the address",
    value={"address": "বাড়ি ১২, রোড ৩, সবুজবাগ, ঢাকা"},
    request_only=True,
)
PROFILE_SAVED = OpenApiExample(
    "The saved profile",
    value={**CITIZEN, "nid": None},
    response_only=True,
    status_codes=[200],
)
PROFILE_CHANGED = OpenApiExample(
    "The changed profile", value=CITIZEN, response_only=True, status_codes=[200]
)

AVATAR_UPLOAD = OpenApiExample(
    "Upload a photo",
    description="multipart/form-data with one file part `avatar` (JPEG, PNG, WebP or HEIC); "
    "the value stands for the file.",
    value={"avatar": "rahim.jpg"},
    media_type="multipart/form-data",
    request_only=True,
)
AVATAR_SAVED = OpenApiExample(
    "The profile with its picture",
    value={
        **CITIZEN,
        "profile_picture_url": (
            "https://api.cleancare.example/media/avatars/2025/03/6ef9fae3d58e4e3fa8fbb66b02dbad4b.jpg"
        ),
    },
    response_only=True,
    status_codes=[200],
)

ACCOUNT_REPLACE = OpenApiExample(
    "Replace the account",
    description="PUT by a super admin: details left out are cleared.",
    value={
        "name": CITIZEN_NAME,
        "email": "rahim.uddin@example.com",
        "nid": "1987654321",
        "address": "বাড়ি ১২, রোড ৩, সবুজবাগ, ঢাকা",
        "ward_number": "5",
        "language": "bn",
        "user_type": "citizen",
        "is_active": True,
        "is_verified": True,
    },
    request_only=True,
)
ACCOUNT_CHANGE = OpenApiExample(
    "Mark the phone verified",
    value={"is_verified": True},
    request_only=True,
)
ACCOUNT_SAVED = OpenApiExample(
    "The account after the change",
    value=CITIZEN_FOR_STAFF,
    response_only=True,
    status_codes=[200],
)
