"""OpenAPI examples of the GeoReport v2 endpoint: a partner app reports uncollected waste."""

from drf_spectacular.utils import OpenApiExample

from .catalog import AGENCY

_REPORT = {
    "service_code": "waste",
    "lat": "23.73912",
    "long": "90.42987",
    "address_string": "সবুজবাগ বাজার, বাসাবো রোড, ঢাকা",
    "description": "বাজারের মোড়ে তিন দিন ধরে ময়লা পড়ে আছে, কেউ নিতে আসেনি।",
    "first_name": "Karim",
    "last_name": "Uddin",
    "phone": "01911223344",
    "email": "karim.uddin@example.org",
    "device_id": "android-5f2c9e17",
    "account_id": "fixit-user-20931",
}
SUBMIT = OpenApiExample(
    "Uncollected waste",
    description="The `api_key` goes in the query string or, as GeoReport clients send it, in "
    "the form.",
    value=_REPORT,
    media_type="application/x-www-form-urlencoded",
    request_only=True,
)
SUBMIT_WITH_PHOTOS = OpenApiExample(
    "Uncollected waste with photos",
    description="The same fields; each photo is a file part named `media`.",
    value=_REPORT,
    media_type="multipart/form-data",
    request_only=True,
)
SUBMITTED = OpenApiExample(
    "Filed",
    description="`service_request_id` is the complaint's tracking number.",
    value={
        "service_request_id": "CC202503140012",
        "service_notice": (
            f"{AGENCY} এই অভিযোগটি পেয়েছে। CC202503140012 নম্বর দিয়ে এর অগ্রগতি দেখুন।"
        ),
        "account_id": "fixit-user-20931",
    },
    response_only=True,
    status_codes=[201],
)
