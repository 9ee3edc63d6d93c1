"""Messages the super admin's screens show for a form that did not parse."""

from django.contrib import messages


def form_problems(request, form) -> None:
    """One message per problem, naming the field it is about."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
