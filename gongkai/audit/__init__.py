"""Audit log. ``audit.record(...)`` is the one way to write an event."""


def record(*args, **kwargs):
    """See :func:`gongkai.audit.services.record`. Imported lazily so the app can load first."""
    from gongkai.audit.services import record as _record

    return _record(*args, **kwargs)
