"""Path converters shared by every URLconf of the project (registered in ``urls.py``)."""


class IdConverter:
    """A database id in a URL: 1 to 18 digits.

    Django's ``int`` converter takes any number of digits, and a number past the 64-bit range
    of an id column crashes the lookup (SQLite raises OverflowError: a 500). Eighteen digits
    always fit, so a longer number simply matches no URL and is a 404, like an unknown id.
    """

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
