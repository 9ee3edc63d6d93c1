"""Tags on shared pages: the console's section links (each shown to those who may use it) and a
complaint's chat."""

from django import template
from django.utils.translation import gettext_lazy as _

from apps.authentication.services.accounts import STAFF_TYPES
from apps.chat.policy import RESOURCE as CHAT
from apps.emergency.policy import RESOURCE as EMERGENCY
from apps.users.models import UserType
from apps.users.policy import permitted_wards

from ..views.chat import complaint_conversations

register = template.Library()


def _uses(user, resource: str) -> bool:
    """Super admins and providers (who get what is handed to them) always; a ward admin with
    rights to read the resource somewhere."""
    if user.user_type in (UserType.SUPER_ADMIN, UserType.SERVICE_PROVIDER):
        return True
    return bool(permitted_wards(user, resource=resource, action="read"))


def _sections(user):
    """(URL name, label) of every section the user may open, in the order of the bar."""
    if user.user_type not in STAFF_TYPES:
        return []
    desk = user.user_type in (UserType.ADMIN, UserType.SUPER_ADMIN)
    city = user.user_type == UserType.SUPER_ADMIN
    shown = [
        ("queue", _("Complaints"), True),
        ("work", _("My work"), user.user_type in (UserType.ADMIN, UserType.SERVICE_PROVIDER)),
        ("emergencies", _("Emergencies"), _uses(user, EMERGENCY)),
        ("chat", _("Chat"), _uses(user, CHAT)),
        ("notices", _("Notices"), desk),
        ("dashboard", _("Dashboard"), desk),
        ("reports", _("Reports"), desk),
        ("staff", _("Staff"), city),
        ("refunds", _("Refunds"), city),
        ("audit", _("Audit trail"), city),
        ("donation-projects", _("Donation projects"), city),
    ]
    return [(name, label) for name, label, allowed in shown if allowed]


# The section a page belongs to, by the prefix of its URL name (complaint pages → the queue).
SECTION_OF = {
    "complaint": "queue",
    "status": "queue",
    "assign": "queue",
    "bulk-assign": "queue",
    "emergency": "emergencies",
    "notice": "notices",
    "report": "reports",
    "refund": "refunds",
    "donation": "donation-projects",
}


@register.inclusion_tag("console/_nav.html", takes_context=True)
def console_nav(context):
    request = context["request"]
    here = request.resolver_match.url_name if request.resolver_match else ""
    current = next(
        (section for prefix, section in SECTION_OF.items() if here.startswith(prefix)),
        here.split("-")[0] if here else "",
    )
    return {
        "sections": [
            {"name": name, "label": label, "current": name in (current, here)}
            for name, label in _sections(request.user)
        ]
    }


@register.inclusion_tag("console/_complaint_chat.html", takes_context=True)
def complaint_chat(context, complaint):
    return {
        **complaint_conversations(context["request"].user, complaint),
        "csrf_token": context.get("csrf_token"),
    }
