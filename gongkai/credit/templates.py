"""The blank submission templates a department fills in: XLSX with drop-down lists and instructions, or CSV.

The header row holds the Chinese labels of the standard (the importer also takes the field codes); a code-list
column offers its entries as a drop-down; required columns are marked in the header's fill and listed on the
instructions sheet with their format. CSV templates carry a UTF-8 BOM so that Excel opens them in Chinese.
"""

from __future__ import annotations

import codecs
import csv
import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from gongkai.credit.standard import FieldKind, Requirement, Standard

DATA_ROWS = 5000  # rows of the sheet that carry the drop-down lists
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
OPTIONAL_FILL = PatternFill("solid", fgColor="EDEDED")

FORMATS = {
    FieldKind.TEXT: "文字",
    FieldKind.CODE: "从下拉列表中选择",
    FieldKind.CODES: "一项或多项，用“、”分隔",
    FieldKind.DATE: "日期，如 2026-03-05",
    FieldKind.AMOUNT: "数字，单位万元，最多6位小数",
    FieldKind.USCC: "18位统一社会信用代码",
    FieldKind.ORG_CODE: "9位组织机构代码",
    FieldKind.ID_NUMBER: "证件号码（身份证18位）",
}


def requirement_text(requirement: Requirement) -> str:
    if requirement.always:
        return "必填"
    if requirement.for_subjects:
        return "必填（" + "、".join(requirement.for_subjects) + "）"
    if requirement.when_field:
        return "处罚类别含" + "或".join(requirement.when_values) + "时必填"
    return "选填"


def xlsx_template(standard: Standard) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "数据"
    lists = workbook.create_sheet("代码表")
    guide = workbook.create_sheet("填报说明")
    guide.append(["字段代码", "字段名称", "是否必填", "格式", "可选值"])
    list_column = 0
    for column, f in enumerate(standard.fields, start=1):
        cell = sheet.cell(row=1, column=column, value=f.label)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if f.required != Requirement() else OPTIONAL_FILL
        cell.comment = Comment(f"{f.code}：{requirement_text(f.required)}；{FORMATS[f.kind]}", "Gongkai")
        sheet.column_dimensions[get_column_letter(column)].width = max(12, min(40, len(f.label) * 2))
        choices = ""
        if f.code_list:
            labels = [label for _code, label in standard.code_lists[f.code_list]]
            choices = "、".join(labels)
            list_column += 1
            letter = get_column_letter(list_column)
            lists.cell(row=1, column=list_column, value=f.label)
            for row, label in enumerate(labels, start=2):
                lists.cell(row=row, column=list_column, value=label)
            if f.kind == FieldKind.CODE:
                validation = DataValidation(
                    type="list",
                    formula1=f"'代码表'!${letter}$2:${letter}${len(labels) + 1}",
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="不在代码表中",
                    error=f"请从下拉列表中选择{f.label}",
                )
                sheet.add_data_validation(validation)
                column_letter = get_column_letter(column)
                validation.add(f"{column_letter}2:{column_letter}{DATA_ROWS + 1}")
        guide.append([f.code, f.label, requirement_text(f.required), FORMATS[f.kind], choices])
    sheet.freeze_panes = "A2"
    guide.column_dimensions["B"].width = 40
    guide.column_dimensions["D"].width = 30
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_template(standard: Standard) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerow([f.label for f in standard.fields])
    return codecs.BOM_UTF8 + text.getvalue().encode("utf-8")
