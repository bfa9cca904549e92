"""双公示 in a real browser: 周晓, submitter of 张店区行政审批服务局, uploads a file with a bad date, reads the error
table with row and column, and downloads the copy of the file with the bad cell marked."""

import pytest
from credit_files import approvals_licence, csv_file
from playwright.sync_api import expect
from steps import log_in, serious_violations

pytestmark = pytest.mark.browser

def test_a_submitter_uploads_a_file_with_an_error_and_reads_the_report(demo_site, page, tmp_path):
    upload = tmp_path / "许可0305.csv"
    upload.write_bytes(csv_file(approvals_licence(1), approvals_licence(2, 许可决定日期="2026-02-30")).getvalue())

    log_in(page, "submitter")
    page.get_by_role("link", name="上传报送文件").first.click()
    expect(page.locator("h1")).to_have_text("上传报送文件")
    assert serious_violations(page) == []
    page.set_input_files("#id_file", str(upload))
    page.get_by_role("button", name="上传").click()

    expect(page.locator("h1")).to_have_text("报送结果：许可0305.csv")
    expect(page.locator(".submission-outcome")).to_have_text("退回")
    first_error = page.locator(".error-table tbody tr").first
    expect(first_error.locator("td").nth(0)).to_have_text("3")
    expect(first_error.locator("td").nth(1)).to_have_text("I")
    expect(first_error).to_contain_text("许可决定日期")
    expect(first_error).to_contain_text("2026-02-30")
    expect(first_error).to_contain_text("不是有效日期")
    assert serious_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="下载标注错误的文件（XLSX）").click()
    assert download.value.suggested_filename == "许可0305（错误标注）.xlsx"

    page.get_by_role("link", name="报送情况").first.click()
    expect(page.locator(".submission-table")).to_contain_text("许可0305.csv")
    assert serious_violations(page) == []
