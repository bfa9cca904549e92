"""What the public may see of a 双公示 record (STATUTES §3.4), as pure functions.

* A record whose 当前状态 is 撤销 or 无效 leaves public view.
* A penalty that is only a 警告 is not published (市场监督管理行政处罚信息公示规定 2021; the rule can be
  switched off per organisation, `CreditSettings.publish_warnings`).
* Personal data never appears unmasked: a natural person's and a legal representative's 证件号码 are shown
  with the first 6 and last 4 characters only (the fields marked ``personal`` in the standard). Home addresses
  and phone numbers are not fields of the standard and so are never published at all.
"""

from __future__ import annotations

from gongkai.credit.standard import WITHDRAWN_STATUSES, Standard
from gongkai.lib.identifiers import mask_resident_id

WARNING = "警告"


def masked(data: dict, standard: Standard) -> dict:
    """A copy of a record's fields fit for the public: personal fields masked."""
    shown = dict(data)
    for f in standard.fields:
        if f.personal and shown.get(f.code):
            shown[f.code] = mask_resident_id(shown[f.code])
    return shown


def is_publishable(data: dict, standard: Standard, *, publish_warnings: bool = False) -> bool:
    """Whether a record (its fields as stored: field code → text) belongs on the public site."""
    status_field = "XK_ZT" if standard.prefix == "XK" else ""
    if status_field and data.get(status_field) in WITHDRAWN_STATUSES:
        return False
    if standard.prefix == "CF" and not publish_warnings:
        categories = [part for part in (data.get("CF_CFLB") or "").split("、") if part]
        if categories == [WARNING]:
            return False
    return True
