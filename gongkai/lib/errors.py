"""The two ways a service says no, shared by the apps (each names its own subclasses).

* `Refused`: the step is not allowed now, or not to this person; the message is Chinese, then English.
* `FieldErrors`: the input is wrong; ``errors`` maps each field name to its bilingual message. Nothing was saved.
"""


class Refused(ValueError):
    """A step that is not allowed now, or not to this person. The message is bilingual and says why."""

    @classmethod
    def because(cls, chinese: str, english: str):
        return cls(f"{chinese} / {english}")


class FieldErrors(ValueError):
    """Field errors, keyed by field name, each bilingual."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
