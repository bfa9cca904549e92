"""Department files for the credit tests: a licence row of the demo bureau, and a CSV of such rows."""

import io

BUREAU = "1137030300421716XM"
HEADER = [
    "行政相对人名称", "行政相对人类别", "统一社会信用代码", "法定代表人", "行政许可决定文书名称", "行政许可决定文书号",
    "许可类别", "许可内容", "许可决定日期", "有效期自", "有效期至", "许可机关", "许可机关统一社会信用代码",
    "当前状态", "数据来源单位", "数据来源单位统一社会信用代码",
]  # fmt: skip


def licence(number: int, **change) -> list[str]:
    row = {
        "行政相对人名称": f"淄博第{number}建材有限公司", "行政相对人类别": "法人及非法人组织",
        "统一社会信用代码": "91370303MA3C00018X", "法定代表人": "刘建国", "行政许可决定文书名称": "准予行政许可决定书",
        "行政许可决定文书号": f"张发改许〔2026〕{number}号", "许可类别": "普通", "许可内容": "企业投资项目备案",
        "许可决定日期": "2026-03-05", "有效期自": "2026-03-05", "有效期至": "2028-03-04",
        "许可机关": "张店区发展和改革局", "许可机关统一社会信用代码": BUREAU, "当前状态": "有效",
        "数据来源单位": "张店区发展和改革局", "数据来源单位统一社会信用代码": BUREAU,
    }  # fmt: skip
    row.update(change)
    return [row[label] for label in HEADER]


APPROVALS = "11370303MB2858350L"  # 张店区行政审批服务局, whose submitter is the demo user 周晓


def approvals_licence(number: int, **change) -> list[str]:
    """A licence of 张店区行政审批服务局, decided on 2026-03-05 unless changed."""
    return licence(
        number,
        **{
            "行政许可决定文书号": f"张审批许〔2026〕{number}号",
            "许可机关": "张店区行政审批服务局",
            "许可机关统一社会信用代码": APPROVALS,
            "数据来源单位": "张店区行政审批服务局",
            "数据来源单位统一社会信用代码": APPROVALS,
            **change,
        },
    )


def csv_file(*rows) -> io.BytesIO:
    lines = [",".join(HEADER)] + [",".join(row) for row in rows]
    return io.BytesIO(("\n".join(lines) + "\n").encode("utf-8"))


# A natural person fined by the bureau; 备注 holds a formula, which exports must neutralise.
PENALTY_CSV = (
    "行政相对人名称,行政相对人类别,证件类型,证件号码,行政处罚决定书文号,违法行为类型,违法事实,处罚依据,处罚类别,"
    "处罚内容,罚款金额（万元）,处罚决定日期,处罚有效期,处罚机关,处罚机关统一社会信用代码,数据来源单位,"
    "数据来源单位统一社会信用代码,备注\n"
    "王小明,自然人,身份证,370303199001011239,张发改罚〔2026〕3号,价格违法,未明码标价,价格法第四十二条,罚款,"
    "罚款0.5万元,0.5,2026-06-01,2027-06-01,张店区发展和改革局,1137030300421716XM,张店区发展和改革局,"
    '1137030300421716XM,=HYPERLINK("http://x")\n'
)


PENALTY_HEADER = [
    "行政相对人名称", "行政相对人类别", "统一社会信用代码", "法定代表人", "行政处罚决定书文号", "违法行为类型",
    "违法事实", "处罚依据", "处罚类别", "处罚内容", "罚款金额（万元）", "处罚决定日期", "处罚有效期", "处罚机关",
    "处罚机关统一社会信用代码", "数据来源单位", "数据来源单位统一社会信用代码",
]  # fmt: skip


def penalty(number: int, **change) -> dict:
    """A fine of the bureau on a company, decided on 2026-06-01 unless changed; a key of ``change`` that is not in
    `PENALTY_HEADER` (失信严重程度, GK_YZCD) becomes a column of its own."""
    row = {
        "行政相对人名称": f"淄博第{number}化工有限公司", "行政相对人类别": "法人及非法人组织",
        "统一社会信用代码": "91370303MA3C00018X", "法定代表人": "刘建国",
        "行政处罚决定书文号": f"张发改罚〔2026〕{number}号",
        "违法行为类型": "价格违法", "违法事实": "未明码标价", "处罚依据": "价格法第四十二条", "处罚类别": "罚款",
        "处罚内容": "罚款0.5万元", "罚款金额（万元）": "0.5", "处罚决定日期": "2026-06-01", "处罚有效期": "2027-06-01",
        "处罚机关": "张店区发展和改革局", "处罚机关统一社会信用代码": BUREAU, "数据来源单位": "张店区发展和改革局",
        "数据来源单位统一社会信用代码": BUREAU,
    }  # fmt: skip
    row.update(change)
    return row


def penalty_file(*rows: dict) -> io.BytesIO:
    """A CSV of penalty rows; its columns are those of any row."""
    header = list(dict.fromkeys(label for row in rows for label in row))
    lines = [",".join(header)] + [",".join(row.get(label, "") for label in header) for row in rows]
    return io.BytesIO(("\n".join(lines) + "\n").encode("utf-8"))
