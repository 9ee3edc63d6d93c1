"""Text normalisation shared by the apps."""

_BENGALI_DIGITS = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")


def ascii_digits(value: str) -> str:
    """'০৫' -> '05': people type numbers on Bengali keyboards."""
    return value.translate(_BENGALI_DIGITS)


def ward_digits(value: str) -> str:
    """'০৫', ' 05 ' and '5' all name ward '5'. Leading zeros are dropped as text (no int():
    a 5,000-digit "ward" must be refused by its caller, not crash the conversion)."""
    cleaned = ascii_digits(str(value)).strip()
    if cleaned.isascii() and cleaned.isdigit():
        return cleaned.lstrip("0") or "0"
    return cleaned
