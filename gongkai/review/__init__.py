"""Review before publication (保密审查): screening findings and how reviewers resolve them.

先审核、后公开; 谁公开、谁审核、谁负责; 涉密信息不上网，上网信息不涉密 (条例第十七条, STATUTES §1.2).
"""
