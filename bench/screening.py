"""Automatic screening (敏感信息筛查) throughput: `screen_text` over ~20 MB of government text.

The text is generated from a fixed seed: documents of 1–12 KB drawn from a vocabulary of government words,
with the numbers such documents carry and that must *not* be flagged (dates, 文号, amounts, landlines,
postcodes, percentages, 索引号 with the bureau's USCC, companies' USCCs, project codes) and, about once per
2 KB, a sensitive item that must be: a resident ID (whole, 6-8-4 with spaces, with hyphens, full-width), a
mobile (whole, 3-4-4, "+86"), a bank card (whole or in groups of four), a personal e-mail address or a
secrecy marking, sometimes with a name before it. The benchmark checks that exactly the planted items are
found (a miss or an extra fails the run).

Goal (issue 4): at least 5 MB of UTF-8 text per second on one core. The baseline, in the same run over the
same text, is one plain pattern: ``list(re.finditer(r"1[3-9]\\d{9}", text))``. Timings are the best of 3.

Run: ``python -m bench.run --only screening``, or ``python -m bench.screening [--megabytes N]``.
"""

from __future__ import annotations

import argparse
import datetime
import random
import re
import time

from bench import Result
from gongkai.lib.identifiers import resident_id_check_char, uscc_check_char
from gongkai.lib.screening import Rules, screen_text

SEED = 20261126
MEGABYTES = 20
REPEATS = 3
GOAL_MB_PER_SECOND = 5.0
TODAY = datetime.date(2026, 11, 26)
RULES = Rules(today=TODAY)
BASELINE_PATTERN = re.compile(r"1[3-9]\d{9}")

WORDS = """
关于 印发 通知 实施 方案 工作 推进 加强 管理 服务 建设 发展 改革 经济 社会 企业 项目 政府 部门 单位 区域 街道
社区 群众 安全 生产 环境 保护 生态 文明 城市 乡村 振兴 农业 农村 工业 信息化 数字 政务 公开 信息 办法 规定 条例
意见 决定 公告 通报 报告 计划 规划 统计 数据 财政 预算 决算 资金 专项 补贴 审计 监督 检查 行政 许可 处罚 审批
备案 登记 申请 受理 办理 答复 期限 法律 法规 政策 解读 文件 标准 规范 制度 机制 体系 教育 卫生 健康 医疗 养老
就业 社会保障 住房 交通 运输 道路 水利 能源 电力 科技 创新 人才 文化 旅游 体育 市场 监管 质量 价格 消费 商务
招商 投资 营商环境 优化 提升 完善 落实 开展 组织 领导 责任 考核 评估 整改 张店区 淄博市 山东省 人民政府
发展和改革局 委员会 办公室 中心 年度 季度 月份 有关 事项 应急 防汛 消防 食品 药品 特种设备 安全生产 隐患 排查
治理 宣传 培训 会议 精神 重要 讲话 部署 公共 基础设施 新型 城镇化 高质量 产业 转型 升级 新能源 材料 制造 园区
平台 合作 协调 联动 共享 开放 便民 的 和 与 及 在 对 为 按照 根据 进一步 全面 切实 认真 做好 各级 全区 全市
各镇 各部门 要求 目标 任务 措施 保守国家秘密法 商业秘密 国家秘密 机密性 保密 管理制度
""".split()  # noqa: SIM905 - a vocabulary reads better as text
PUNCTUATION = "，，，，。、；："
NAMES = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴倩", "欧阳明", "司马青")
BUREAU_USCC = "1137030300421716XM"


def _valid_uscc(rng: random.Random) -> str:
    body = "91370303MA" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(7))
    return body + uscc_check_char(body)


def _resident_id(rng: random.Random) -> str:
    born = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(25_000))
    body = rng.choice(("370303", "370302", "370305", "110105", "440305")) + born.strftime("%Y%m%d")
    body += f"{rng.randrange(1000):03d}"
    return body + resident_id_check_char(body)


def _luhn_complete(body: str) -> str:
    for check in "0123456789":
        digits = body + check
        total = sum(
            (d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 else d for i, d in enumerate(int(c) for c in reversed(digits))
        )
        if total % 10 == 0:
            return digits
    raise AssertionError("unreachable")


def _fullwidth(value: str) -> str:
    return value.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))


def _not_sensitive(rng: random.Random) -> str:
    """A number a government document carries that must not be flagged."""
    year = rng.randint(2015, 2026)
    choices = (
        f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
        f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        f"张发改发〔{year}〕{rng.randint(1, 200)}号",
        f"{rng.randint(1, 9_999):,}.{rng.randint(0, 99):02d}万元",
        f"{rng.randint(1_000, 99_999_999):,}元",
        f"0533-{rng.randint(2_000_000, 8_999_999)}",
        f"（0533）{rng.randint(2_000_000, 8_999_999)}",
        f"{BUREAU_USCC}/{year}-{rng.randint(1_000_000, 9_999_999)}",
        f"统一社会信用代码{_valid_uscc(rng)}",
        f"{year}-370303-{rng.randint(10, 99)}-0{rng.randint(1, 3)}-{rng.randint(0, 999_999):06d}",
        f"邮编255000，增长{rng.randint(1, 99)}.{rng.randint(0, 9)}%",
        f"第{rng.randint(1, 50)}条",
    )
    return rng.choice(choices)


def _sensitive(rng: random.Random) -> tuple[str, list[tuple[str, str]]]:
    """(text, [(kind, value), …]) for one planted item, sometimes with a name before it."""
    kind = rng.choice(("resident_id", "resident_id", "mobile", "mobile", "bank_card", "email", "secret_marking"))
    if kind == "resident_id":
        rid = _resident_id(rng)
        value = rng.choice(
            (rid, f"{rid[:6]} {rid[6:14]} {rid[14:]}", f"{rid[:6]}-{rid[6:14]}-{rid[14:]}", _fullwidth(rid))
        )
        label = "身份证号："
    elif kind == "mobile":
        mobile = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        value = rng.choice(
            (mobile, f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}", f"{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}")
        )
        label = "手机"
    elif kind == "bank_card":
        card = _luhn_complete("6222" + "".join(rng.choice("0123456789") for _ in range(14)))
        value = rng.choice((card, " ".join(card[i : i + 4] for i in range(0, len(card), 4))))
        return f"开户银行账号{value}", [(kind, value)]
    elif kind == "email":
        user = rng.choice(("zhang", "wang", "li", "liu")) + str(rng.randint(1960, 2005))
        value = f"{user}@{rng.choice(('163.com', 'qq.com', '126.com'))}"
        return f"电子邮箱：{value}；单位邮箱zdfgj@zibo.gov.cn", [(kind, value)]
    else:
        value = rng.choice(("秘密★1年", "机密★", "绝密★长期", "秘密★5年", "内部资料", "注意保密", "不得外传"))
        return value, [(kind, value)]
    if rng.random() < 0.5:
        name = rng.choice(NAMES)
        return f"联系人：{name}，{label}{value}", [("personal_name", name), (kind, value)]
    return f"{label}{value}", [(kind, value)]


def generate(megabytes: float = MEGABYTES, seed: int = SEED) -> tuple[str, list[tuple[str, str]]]:
    """About `megabytes` MB (UTF-8) of documents, and the (kind, value) of every item planted in them."""
    rng = random.Random(seed)
    target = int(megabytes * 1024 * 1024)
    documents, planted, size = [], [], 0
    while size < target:
        parts, document_size = [], rng.randint(1_000, 12_000)
        written = 0
        while written < document_size:
            roll = rng.random()
            if roll < 0.004:
                piece, items = _sensitive(rng)
                piece = f"。{piece}。"  # its own sentence, so that it does not run into a neighbouring number
                planted += items
            elif roll < 0.03:
                piece = _not_sensitive(rng)
            else:
                piece = rng.choice(WORDS)
                if rng.random() < 0.12:
                    piece += rng.choice(PUNCTUATION)
            parts.append(piece)
            written += len(piece.encode("utf-8"))
        document = "".join(parts) + "。"
        documents.append(document)
        size += len(document.encode("utf-8")) + 2
    return "\n\n".join(documents), planted


def _best_of(repeats: int, work):
    best, answer = float("inf"), None
    for _ in range(repeats):
        started = time.perf_counter()
        answer = work()
        best = min(best, time.perf_counter() - started)
    return best, answer


def run(megabytes: float = MEGABYTES, repeats: int = REPEATS) -> list[Result]:
    text, planted = generate(megabytes)
    size_mb = len(text.encode("utf-8")) / (1024 * 1024)
    seconds, findings = _best_of(repeats, lambda: screen_text(text, RULES))
    baseline_seconds, _ = _best_of(repeats, lambda: list(BASELINE_PATTERN.finditer(text)))

    found = sorted((finding.kind, finding.value) for finding in findings)
    if found != sorted(planted):
        missed = sorted(set(planted) - set(found))[:5]
        extra = sorted(set(found) - set(planted))[:5]
        raise AssertionError(
            f"screening found {len(found)} items, {len(planted)} planted; missed {missed}, extra {extra}"
        )

    rate, baseline_rate = size_mb / seconds, size_mb / baseline_seconds
    print(f"screening: {size_mb:.1f} MB of UTF-8 text ({len(text):,} characters), {len(planted):,} items planted")
    print("  every planted item found, nothing else")
    print(f"  screen_text: {seconds * 1000:.0f} ms, {rate:.1f} MB/s")
    print(f'  baseline re.finditer(r"1[3-9]\\d{{9}}"): {baseline_seconds * 1000:.0f} ms, {baseline_rate:.1f} MB/s')
    print(f"  screening time / baseline time: {seconds / baseline_seconds:.1f}")
    met = "met" if rate >= GOAL_MB_PER_SECOND else "NOT met"
    print(f"  goal ≥ {GOAL_MB_PER_SECOND:g} MB/s: {met}")
    return [
        Result(
            name=f"screen_text over {size_mb:.1f} MB of generated government text ({rate:.1f} MB/s)",
            samples=1,  # one call over the whole text
            baseline=f're.finditer(r"1[3-9]\\d{{9}}") ({baseline_rate:.1f} MB/s)',
            baseline_seconds=baseline_seconds,
            seconds=seconds,
        )
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=MEGABYTES)
    args = parser.parse_args(argv)
    run(args.megabytes)


if __name__ == "__main__":
    main()
