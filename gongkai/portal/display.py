"""Display modes (长辈版 large text, 高对比度 high contrast) kept in a long-lived cookie.

The server reads the cookie and puts classes on ``<html>``, so a mode holds on every page and every
visit without JavaScript and without a flash of the normal style (工信部《互联网网站适老化通用设计规范》).
"""

COOKIE_NAME = "gongkai_display"
COOKIE_MAX_AGE = 365 * 24 * 3600
LARGE = "large"
CONTRAST = "contrast"
MODES = (LARGE, CONTRAST)
RESET = "reset"


def parse_modes(cookie_value: str | None) -> frozenset[str]:
    """The known modes named in a cookie value such as ``"contrast.large"``; anything else is ignored."""
    if not cookie_value:
        return frozenset()
    return frozenset(part for part in cookie_value.split(".") if part in MODES)


def apply_choice(modes: frozenset[str], choice: str) -> frozenset[str]:
    """Toggle one mode, or clear all of them with ``reset``. Raises ValueError for an unknown choice."""
    if choice == RESET:
        return frozenset()
    if choice not in MODES:
        raise ValueError(choice)
    return modes ^ {choice}


def cookie_value(modes: frozenset[str]) -> str:
    return ".".join(sorted(modes))


def html_classes(modes: frozenset[str]) -> str:
    return " ".join(f"mode-{mode}" for mode in sorted(modes))
