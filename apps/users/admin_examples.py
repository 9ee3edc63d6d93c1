"""OpenAPI examples of /admin-users/: a ward admin's account and permission set."""

from drf_spectacular.utils import OpenApiExample

from .examples import WARD_ADMIN_ID, WARD_ADMIN_NAME

COMPLAINTS_PERMISSION = {
    "id": "7e4f3af9-5748-4025-a358-cf646ec85485",
    "permission_type": "complaints",
    "resource_type": "complaint",
    "ward_numbers": ["5", "6"],
    "can_create": False,
    "can_read": True,
    "can_update": True,
    "can_delete": False,
    "created_at": "2025-01-05T12:40:03.615027+06:00",
    "updated_at": "2025-01-05T12:40:03.615027+06:00",
}
WARD_ADMIN = {
    "id": WARD_ADMIN_ID,
    "phone": "+8801812345678",
    "name": WARD_ADMIN_NAME,
    "email": "nasrin.akter@example.com",
    "nid": None,
    "address": None,
    "ward_number": "5",
    "user_type": "admin",
    "user_type_display": "ওয়ার্ড অ্যাডমিন",
    "is_verified": True,
    "language": "bn",
    "profile_picture_url": None,
    "created_at": "2025-01-05T12:40:03.598113+06:00",
    "is_active": True,
    "last_login": None,
    "updated_at": "2025-01-05T12:40:03.598113+06:00",
    "permissions": [COMPLAINTS_PERMISSION],
}

STAFF_CREATE = OpenApiExample(
    "Create a ward admin for wards 5 and 6",
    value={
        "phone": "01812345678",
        "name": WARD_ADMIN_NAME,
        "password": "Sabujbagh-Ward5!",
        "user_type": "admin",
        "email": "nasrin.akter@example.com",
        "ward_number": "5",
        "ward_numbers": ["5", "6"],
    },
    request_only=True,
)
STAFF_CREATED = OpenApiExample(
    "The new account",
    value=WARD_ADMIN,
    response_only=True,
    status_codes=[201],
)
STAFF_REPLACE = OpenApiExample(
    "Replace the account",
    description="PUT: email and ward left out are cleared.",
    value={
        "name": WARD_ADMIN_NAME,
        "email": "nasrin.akter@example.com",
        "ward_number": "5",
        "user_type": "admin",
        "is_active": True,
    },
    request_only=True,
)
STAFF_CHANGE = OpenApiExample(
    "Change the email",
    value={"email": "nasrin.akter@dscc.example"},
    request_only=True,
)
STAFF_REPLACED = OpenApiExample(
    "The account after the change",
    value={**WARD_ADMIN, "updated_at": "2025-03-02T09:48:26.730455+06:00"},
    response_only=True,
    status_codes=[200],
)
STAFF_CHANGED = OpenApiExample(
    "The account with its new email",
    value={
        **WARD_ADMIN,
        "email": "nasrin.akter@dscc.example",
        "updated_at": "2025-03-02T09:48:26.730455+06:00",
    },
    response_only=True,
    status_codes=[200],
)
PERMISSIONS_REPLACE = OpenApiExample(
    "Complaints and payments of wards 5 and 6",
    value={
        "permissions": [
            {
                "permission_type": "complaints",
                "resource_type": "complaint",
                "ward_numbers": ["5", "6"],
                "can_read": True,
                "can_update": True,
            },
            {"permission_type": "payments", "ward_numbers": ["5", "6"], "can_read": True},
        ]
    },
    request_only=True,
)
# A set is replaced whole: the rows are new.
REPLACED_AT = "2025-02-10T15:02:48.117390+06:00"
PERMISSIONS_SAVED = OpenApiExample(
    "The new permission set",
    value={
        "permissions": [
            {
                **COMPLAINTS_PERMISSION,
                "id": "5d0b8f62-93ae-4c17-8e4a-b6f2c9d1e784",
                "created_at": REPLACED_AT,
                "updated_at": REPLACED_AT,
            },
            {
                "id": "c2a97d31-0e6b-4f85-b4c9-71d3e5a8f206",
                "permission_type": "payments",
                "resource_type": None,
                "ward_numbers": ["5", "6"],
                "can_create": False,
                "can_read": True,
                "can_update": False,
                "can_delete": False,
                "created_at": REPLACED_AT,
                "updated_at": REPLACED_AT,
            },
        ]
    },
    response_only=True,
    status_codes=[200],
)
