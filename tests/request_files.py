"""The applicant of the request tests: 王小明, asking the bureau for its project plan on paper, to collect."""

APPLICANT = {
    "applicant_kind": "natural",
    "applicant_name": "王小明",
    "identity_number": "370303199001011239",
    "phone": "13800000000",
    "description": "2026年张店区重点项目建设计划",
    "form_wanted": "paper",
    "delivery": "pickup",
}
