"""政府信息公开工作年度报告 (the annual report, 国办公开办函〔2021〕30号 format) and the statistics behind it.

layout.py: the tables as data; checks.py: the identities; figures.py: the figures counted from the system's
data; the report's workflow (draft → sign-off → published in the 政府信息公开年报 column) in services.py;
exports in export.py; older reports read by parse.py; statistics and dashboards in stats.py.
"""
