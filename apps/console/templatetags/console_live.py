"""Tags on shared pages: the console's section links (each shown to those who may use it) and a
complaint's chat."""

from django import template

from apps.chat.selectors import complaint_rooms

from ..sections import sections_open_to

register = template.Library()


@register.inclusion_tag("console/_nav.html", takes_context=True)
def console_nav(context):
    """The sections bar: the registry's sections that open for the viewer; the current one is
    the section the resolved view's decorator names."""
    request = context["request"]
    match = request.resolver_match
    current = getattr(match.func, "console_section", None) if match else None
    return {
        "sections": [
            {"name": section.name, "label": section.label, "current": section.name == current}
            for section in sections_open_to(request.user)
        ]
    }


@register.inclusion_tag("console/_complaint_chat.html", takes_context=True)
def complaint_chat(context, complaint):
    return {
        **complaint_rooms(viewer=context["request"].user, complaint=complaint),
        "csrf_token": context.get("csrf_token"),
    }
