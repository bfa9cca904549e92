"""Field mappings, versioned per upstream (STATUTES §3.6: a local standard may add or rename fields).

A mapping turns a record's fields, as stored (the national XK_*/CF_* codes), into what one upstream
expects. An upstream names its mapping in ``Upstream.mapping_version``; a new local standard is a new
entry here, so records already sent under an older version keep the meaning they were sent with.
"""

from collections.abc import Callable


class UnknownMapping(ValueError):
    pass


def _national(data: dict) -> dict:
    """The national standard as it is (国家公共信用信息中心 行政许可/行政处罚 XK_*/CF_* fields)."""
    return dict(data)


MAPPINGS: dict[str, Callable[[dict], dict]] = {"2021-xk-cf-v1": _national}


def apply(version: str, data: dict) -> dict:
    try:
        mapper = MAPPINGS[version]
    except KeyError:
        raise UnknownMapping(
            f"未知的字段映射版本“{version}”（可用：{'、'.join(MAPPINGS)}） / "
            f"unknown field-mapping version {version!r} (known: {', '.join(MAPPINGS)})"
        ) from None
    return mapper(data)
