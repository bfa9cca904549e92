"""Template helpers of the public catalogue pages: ``{% load catalog_public %}``."""

from __future__ import annotations

from django import template
from django.http import QueryDict
from django.utils.translation import gettext, gettext_noop

register = template.Library()

# The seeded names of columns, topics and genres (gongkai/catalog/seed.py), marked here so that
# `makemessages` keeps their English translations. They are data: an administrator's own names are shown
# as they were entered.
SEEDED_LABELS = (
    gettext_noop("政府信息公开指南"),
    gettext_noop("政府信息公开制度"),
    gettext_noop("法定主动公开内容"),
    gettext_noop("政府信息公开年报"),
    gettext_noop("机构职能"),
    gettext_noop("法规文件"),
    gettext_noop("政策解读"),
    gettext_noop("规划信息"),
    gettext_noop("统计信息"),
    gettext_noop("行政许可"),
    gettext_noop("行政处罚"),
    gettext_noop("财政预决算"),
    gettext_noop("收费信息"),
    gettext_noop("政府采购"),
    gettext_noop("重大建设项目"),
    gettext_noop("民生保障"),
    gettext_noop("应急管理"),
    gettext_noop("监督检查"),
    gettext_noop("公务员招考"),
    gettext_noop("其他法定公开内容"),
    gettext_noop("信用动态"),
    gettext_noop("政策法规"),
    gettext_noop("信用知识"),
    gettext_noop("综合政务"),
    gettext_noop("国民经济管理、国有资产监管"),
    gettext_noop("财政、金融、审计"),
    gettext_noop("国土资源、能源"),
    gettext_noop("农业、林业、水利"),
    gettext_noop("工业、交通"),
    gettext_noop("商贸、海关、旅游"),
    gettext_noop("市场监管、安全生产监管"),
    gettext_noop("城乡建设、环境保护"),
    gettext_noop("科技、教育"),
    gettext_noop("文化、广电、新闻出版"),
    gettext_noop("卫生、体育"),
    gettext_noop("人口与计划生育、妇女儿童工作"),
    gettext_noop("劳动、人事、监察"),
    gettext_noop("公安、安全、司法"),
    gettext_noop("民政、扶贫、救灾"),
    gettext_noop("民族、宗教"),
    gettext_noop("对外事务"),
    gettext_noop("港澳台侨工作"),
    gettext_noop("国防"),
    gettext_noop("其他"),
    gettext_noop("规章"),
    gettext_noop("行政规范性文件"),
    gettext_noop("其他文件"),
    gettext_noop("通知"),
    gettext_noop("公告"),
    gettext_noop("报告"),
    gettext_noop("规划"),
    gettext_noop("办事指南"),
    gettext_noop("工作动态"),
)


@register.filter
def label(value) -> str:
    """The name of a column, topic or genre (or the object itself) in the page's language, when known."""
    name = getattr(value, "name", value)
    return gettext(str(name)) if name else ""


def query_with(params: QueryDict, **changes) -> str:
    """``params`` as a query string (``?…``, or "" when none is left) after ``changes``.

    A change to None, or to page 1, removes the parameter.
    """
    params = params.copy()
    for name, value in changes.items():
        if value is None or (name == "page" and value == 1):
            params.pop(name, None)
        else:
            params[name] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    """The address of page ``number`` of the list on this page, with the same filters.

    When the page's ``pager`` can seek from its rows, the address carries the cursor from this page
    (``after=`` or ``before=``, see gongkai.catalog.query.Cursor); the link to this page keeps the cursor
    it was reached with; any other cursor is dropped.
    """
    request = context["request"]
    pager = context.get("pager")
    if number == getattr(pager, "number", None):
        return request.path + query_with(request.GET, page=number)
    cursor = pager.cursor_to(number) if hasattr(pager, "cursor_to") else None
    cursors = {"after": None, "before": None}
    if cursor is not None:
        cursors[cursor.parameter] = str(cursor)
    return request.path + query_with(request.GET, page=number, **cursors)
