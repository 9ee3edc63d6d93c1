"""Field validators shared by several apps."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_nid(value: str) -> None:
    """A Bangladeshi national ID number has 10, 13 or 17 digits."""
    if not value.isascii() or not value.isdigit() or len(value) not in (10, 13, 17):
        raise ValidationError(
            _("The NID number must have 10, 13 or 17 digits."), code="invalid_nid"
        )
