"""Reference data for the catalogue: the column tree, topics (主题分类) and genres (体裁分类).

Used by the data migration; administrators edit the rows afterwards. Column codes are stable: URLs,
feeds and tests use them.
"""

# (code, name, ColumnType, children) — 国办公开办函〔2019〕61号: four first-level columns; the sub-columns of
# 法定主动公开内容 follow 条例第二十条.
DISCLOSURE_COLUMNS = [
    ("guide", "政府信息公开指南", "信息公开指南", []),
    ("rules", "政府信息公开制度", "信息公开目录", []),
    (
        "statutory",
        "法定主动公开内容",
        "信息公开目录",
        [
            ("functions", "机构职能", "机构职能"),
            ("regulations", "法规文件", "政策文件"),
            ("interpretations", "政策解读", "政策解读"),
            ("plans", "规划信息", "政策文件"),
            ("statistics", "统计信息", "信息公开目录"),
            ("licensing", "行政许可", "办事服务"),
            ("penalties", "行政处罚", "信息公开目录"),
            ("finance", "财政预决算", "信息公开目录"),
            ("fees", "收费信息", "信息公开目录"),
            ("procurement", "政府采购", "信息公开目录"),
            ("projects", "重大建设项目", "信息公开目录"),
            ("livelihood", "民生保障", "信息公开目录"),
            ("emergencies", "应急管理", "信息公开目录"),
            ("inspections", "监督检查", "信息公开目录"),
            ("recruitment", "公务员招考", "信息公开目录"),
            ("other", "其他法定公开内容", "信息公开目录"),
        ],
    ),
    ("annual-reports", "政府信息公开年报", "信息公开年报", []),
]

CREDIT_COLUMNS = [
    ("credit-news", "信用动态", "工作动态", []),
    ("credit-policies", "政策法规", "政策文件", []),
    ("credit-knowledge", "信用知识", "工作动态", []),
]

# 国务院公文主题分类 as used by government policy libraries ([R]: editable data).
TOPICS = [
    "综合政务",
    "国民经济管理、国有资产监管",
    "财政、金融、审计",
    "国土资源、能源",
    "农业、林业、水利",
    "工业、交通",
    "商贸、海关、旅游",
    "市场监管、安全生产监管",
    "城乡建设、环境保护",
    "科技、教育",
    "文化、广电、新闻出版",
    "卫生、体育",
    "人口与计划生育、妇女儿童工作",
    "劳动、人事、监察",
    "公安、安全、司法",
    "民政、扶贫、救灾",
    "民族、宗教",
    "对外事务",
    "港澳台侨工作",
    "国防",
    "其他",
]

# Genres whose documents call for a 政策解读 (Genre.needs_interpretation): 规章 and 行政规范性文件.
POLICY_DOCUMENT_GENRES = ("regulation", "normative")

# (code, name, annual-report category)
GENRES = [
    ("regulation", "规章", "regulation"),
    ("normative", "行政规范性文件", "normative"),
    ("other-document", "其他文件", ""),
    ("notice", "通知", ""),
    ("announcement", "公告", ""),
    ("report", "报告", ""),
    ("plan", "规划", ""),
    ("statistics", "统计信息", ""),
    ("service-guide", "办事指南", ""),
    ("interpretation", "政策解读", ""),
    ("news", "工作动态", ""),
    ("other", "其他", ""),
]


def seed(column_model, topic_model, genre_model) -> None:
    """Create what is missing; leave administrators' edits alone. Takes models so a migration can pass its own."""
    for section, columns in (("disclosure", DISCLOSURE_COLUMNS), ("credit", CREDIT_COLUMNS)):
        for order, (code, name, column_type, children) in enumerate(columns, start=1):
            parent, _ = column_model.objects.get_or_create(
                code=code,
                defaults={"section": section, "name": name, "column_type": column_type, "sort_order": order * 10},
            )
            for child_order, (child_code, child_name, child_type) in enumerate(children, start=1):
                column_model.objects.get_or_create(
                    code=child_code,
                    defaults={
                        "section": section,
                        "parent": parent,
                        "name": child_name,
                        "column_type": child_type,
                        "sort_order": child_order * 10,
                    },
                )
    for order, name in enumerate(TOPICS, start=1):
        topic_model.objects.get_or_create(name=name, defaults={"code": f"t{order:02d}", "sort_order": order * 10})
    # Migration 0002 passes the Genre of its day, from before ``needs_interpretation`` existed (0004 sets it).
    flagged = any(field.name == "needs_interpretation" for field in genre_model._meta.get_fields())
    for order, (code, name, category) in enumerate(GENRES, start=1):
        defaults = {"name": name, "report_category": category, "sort_order": order * 10}
        if flagged:
            defaults["needs_interpretation"] = code in POLICY_DOCUMENT_GENRES
        genre_model.objects.get_or_create(code=code, defaults=defaults)
