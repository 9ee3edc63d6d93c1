"""Tags of the live areas (chat, emergencies) on shared pages: nav links, a complaint's chat."""

from django import template

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


@register.inclusion_tag("console/_live_nav.html", takes_context=True)
def live_nav(context):
    user = context["request"].user
    return {"chat": _uses(user, CHAT), "emergency": _uses(user, EMERGENCY)}


@register.inclusion_tag("console/_complaint_chat.html", takes_context=True)
def complaint_chat(context, complaint):
    return {
        **complaint_conversations(context["request"].user, complaint),
        "csrf_token": context.get("csrf_token"),
    }
