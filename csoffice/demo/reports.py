"""Demo notes of the monthly and weekly reports: the manager's open problems and proposed
improvements for each past month and the last few weeks, as a real desk writes them."""

from __future__ import annotations

from csoffice import reports
from csoffice.demo.desk import Desk

PROBLEMS = [
    "部分回访电话未接通，回访接通率偏低。",
    "售后维修投诉集中在空调系统，返修率较高。",
    "周末来电量大，电话排队时间较长。",
    "个别投诉转交部门后跟进不及时，超时结案。",
    "会员积分兑换礼品库存不足，客户等待时间长。",
    "物业类投诉增多，主要涉及停车和保洁。",
]
IMPROVEMENTS = [
    "增加晚间回访时段，未接通的次日再回访一次。",
    "与售后部门每周召开一次质量分析会，跟踪返修原因。",
    "周末增加一名客服专员值班。",
    "投诉转交后 24 小时内由首问负责人电话跟进。",
    "每月初盘点礼品库存，提前补货。",
    "与物业管理处建立投诉周报机制。",
]


def create(desk: Desk) -> int:
    """Notes for the last ``months`` months and 4 weeks before today; returns how many."""
    actor, rng, months, today = desk.manager, desk.rng("reports"), desk.months, desk.today
    periods = []
    month = reports.current_period("monthly", today)
    for _ in range(months):
        month = month.previous()
        periods.append(("monthly", month))
    week = reports.current_period("weekly", today)
    for _ in range(4):
        week = week.previous()
        periods.append(("weekly", week))
    for kind, period in periods:
        problems = "\n".join(rng.sample(PROBLEMS, 2))
        improvements = "\n".join(rng.sample(IMPROVEMENTS, 2))
        reports.save_note(actor, kind, period, problems, improvements)
    return len(periods)
