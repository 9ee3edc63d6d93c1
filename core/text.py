"""Text normalisation shared by the apps."""

_BENGALI_DIGITS = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")


def ascii_digits(value: str) -> str:
    """'০৫' -> '05': people type numbers on Bengali keyboards."""
    return value.translate(_BENGALI_DIGITS)
