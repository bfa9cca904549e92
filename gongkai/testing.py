"""Pytest plugin loaded with ``-p gongkai.testing`` before Django is configured.

The settings refuse to start without SECRET_KEY when DEBUG is off; tests run with DEBUG off, so they get
a throw-away key here. Tests talk to the test client over plain HTTP.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-" + "x" * 20)
os.environ.setdefault("GONGKAI_HTTPS", "false")
os.environ.setdefault("GONGKAI_TESTING", "true")
# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make around it
# are still synchronous and single-threaded.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
