"""Template helpers of the annual report: ``{% load report_tables %}``. They wrap `gongkai.reports.export`, so that
the page draws the same grid as the DOCX and the XLSX."""

from __future__ import annotations

from django import template

from gongkai.reports import export

register = template.Library()


@register.simple_tag
def report_sections(document: dict) -> tuple[export.Section, ...]:
    """``{% report_sections document as sections %}``: the six sections, each a narrative or a table's grid."""
    return export.sections(document)


@register.simple_tag
def report_grids(figures: dict, only: str = "") -> tuple[export.Grid, ...]:
    """``{% report_grids figures as grids %}``: tables 二, 三 and 四 (or only the one named, e.g. "table3")."""
    return tuple(grid for grid in export.table_grids(figures) if not only or grid.key == only)
