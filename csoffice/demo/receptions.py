"""Demo receptions: 20–60 calls and visits a working day (fewer at weekends) over the demo
months, every channel and category, customers as well as partners, suppliers and strangers."""

from __future__ import annotations

import datetime as dt
import random

import csoffice.demo.writer as writer
from csoffice import audit
from csoffice.db.database import db
from csoffice.db.lookup import tuples_of
from csoffice.db.models import Customer, Reception, Staff
from csoffice.demo.desk import Desk

CHANNEL_WEIGHTS = [
    ("phone", 46),
    ("visit", 22),
    ("wechat", 16),
    ("qq", 4),
    ("email", 5),
    ("letter", 2),
    ("other", 5),
]
CATEGORY_WEIGHTS = [
    ("consult", 40),
    ("repair", 22),
    ("order", 12),
    ("complaint", 10),
    ("suggestion", 8),
    ("other", 8),
]

# (what was said, outcome) per category; {product} is a product the customer bought.
CONTENT = {
    "consult": [
        ("咨询{product}保养套餐的价格和包含项目", "已介绍三档套餐，客户考虑后再约"),
        ("询问会员积分能否抵扣保养费用", "已说明积分兑换规则"),
        ("咨询{product}延保政策及费用", "已发送延保说明"),
        ("询问本周末门店营业时间", "已告知营业时间 8:30–18:00"),
        ("咨询发票开具和邮寄进度", "已转财务部查询，当天回复"),
        ("询问以旧换新活动的补贴标准", "已介绍活动细则"),
        ("咨询{product}配件是否有现货", "仓库有货，可预约安装"),
    ],
    "repair": [
        ("{product}出现异响，要求上门检查", "已派单给售后部，约明天上午上门"),
        ("{product}不制冷，要求维修", "已登记报修，维修工今日联系"),
        ("预约{product}首次保养", "已预约下周三上午"),
        ("{product}显示屏故障，询问保修范围", "在保修期内，免费更换"),
        ("维修后仍有渗水，要求再次处理", "已安排返修，加急处理"),
        ("询问上次维修的配件费用明细", "已发送费用清单"),
    ],
    "order": [
        ("订购{product}一台，要求本月交付", "已下单，预计 7 天内到货"),
        ("追加购买配件两件", "已开单，到店自提"),
        ("团购{product}五台，询问优惠", "已转销售部报价"),
        ("更改送货地址", "已通知物流更改地址"),
    ],
    "complaint": [
        ("投诉送货延误三天无人联系", "已致歉，转物流部核查"),
        ("投诉维修人员服务态度差", "已记录，转售后部主管处理"),
        ("投诉{product}交付时有划痕", "已约定上门查看"),
        ("投诉收费与报价不一致", "已转财务部核对"),
        ("投诉小区物业维修拖延", "已转物业部跟进"),
    ],
    "suggestion": [
        ("建议增加周末上门维修时段", "已记录，转部门经理"),
        ("建议会员活动多安排亲子项目", "已记录，纳入下季度活动计划"),
        ("建议门店增加充电桩", "已转行政部"),
        ("建议短信通知维修进度", "已记录"),
    ],
    "other": [
        ("询问停车场收费标准", "已告知"),
        ("找回遗失在休息区的雨伞", "已登记，前台保管"),
        ("求职咨询，询问招聘岗位", "已转人事部"),
        ("推销广告业务", "已婉拒"),
    ],
}

# Partners and suppliers call too: (name, company, kind, phone, what they say, outcome).
OUTSIDERS = [
    (
        "孙经理",
        "顺丰速运上海分部",
        "supplier",
        "02160001111",
        "确认明天上午的配件送货时间",
        "已确认收货时间",
    ),
    (
        "周工",
        "华东配件供应有限公司",
        "supplier",
        "02160002222",
        "通知一批滤芯延期到货",
        "已转仓库和售后部",
    ),
    (
        "刘主管",
        "平安保险城东营业部",
        "partner",
        "02160003333",
        "核对三位客户的续保名单",
        "已发送名单",
    ),
    (
        "陈会计",
        "恒信会计师事务所",
        "partner",
        "02160004444",
        "索取上季度服务收入明细",
        "已转财务部",
    ),
    ("赵师傅", "鑫达汽车救援", "partner", "13761005555", "救援车辆已送达门店", "已通知售后部接车"),
    ("吴经理", "蓝天广告传媒", "supplier", "02160006666", "确认周年庆海报设计稿", "已转市场部"),
]
STRANGERS = ["张先生", "李女士", "王先生", "刘女士", "陈先生", "杨女士", "黄先生"]


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([code for code, _w in weighted], [w for _c, w in weighted])[0]


def people() -> list[tuple]:
    """The active customers a reception can name: (id, name, mobile, company, kind)."""
    return list(
        tuples_of(
            Customer.select(
                Customer.id, Customer.name, Customer.mobile, Customer.company, Customer.kind
            )
            .where(Customer.status == "active")
            .order_by(Customer.id)
        )
    )


def create(desk: Desk, everyone: list[tuple]) -> list[dict]:
    """Log the demo months' receptions; returns them (with their new ids), oldest first."""
    rng = desk.rng("receptions")
    team = [
        s.id
        for s in Staff.select(Staff.id)
        .where(Staff.active == True, Staff.role.in_(["manager", "clerk"]))
        .order_by(Staff.id)
    ]
    rows = []
    day = desk.start
    while day <= desk.today:
        weekend = day.weekday() >= 5
        volume = rng.randint(8, 20) if weekend else rng.randint(20, 60)
        for _n in range(volume):
            at = dt.datetime.combine(day, dt.time(8, 30)) + dt.timedelta(
                minutes=rng.randrange(0, 9 * 60), seconds=rng.randrange(0, 60)
            )
            if at > desk.now:
                continue
            rows.append(_reception(rng, at, desk.now, team, everyone))
        day += dt.timedelta(days=1)
    rows.sort(key=lambda r: r["received_at"])
    columns = list(rows[0]) if rows else []
    with db.atomic():
        ids = writer.insert_returning_ids(
            Reception, columns, [[r[c] for c in columns] for r in rows]
        )
        audit.record(desk.manager, "import", "reception", None, summary=f"demo: {len(rows)}")
    for reception_id, row in zip(ids, rows, strict=True):
        row["id"] = reception_id
    return rows


def _followup(rng: random.Random, row: dict, at: dt.datetime, now: dt.datetime) -> None:
    """A follow-up owed in a day or three; the desk keeps its word, with a few of the last days
    still open and now and then one a day or two late."""
    due = at.date() + dt.timedelta(days=rng.choice([1, 1, 2, 3]))
    row.update(followup_needed=True, followup_due=due)
    today = now.date()
    if due < today - dt.timedelta(days=4) or (due < today and rng.random() < 0.93):
        late = rng.random() < 0.05
        day = due + dt.timedelta(days=1) if late else due - dt.timedelta(days=rng.choice([0, 0, 1]))
        done = dt.datetime.combine(max(day, at.date()), dt.time(9)) + dt.timedelta(
            minutes=rng.randrange(0, 480)
        )
        row["followup_done_at"] = min(max(done, at + dt.timedelta(minutes=20)), now)
    elif due >= today and at < now - dt.timedelta(hours=3) and rng.random() < 0.35:
        row["followup_done_at"] = now - dt.timedelta(minutes=rng.randrange(5, 150))


def _reception(
    rng: random.Random,
    at: dt.datetime,
    now: dt.datetime,
    team: list[int],
    people: list[tuple],
) -> dict:
    channel = _pick(rng, CHANNEL_WEIGHTS)
    category = _pick(rng, CATEGORY_WEIGHTS)
    handler = rng.choice(team)
    row = dict(
        received_at=at,
        created_at=at,
        updated_at=at,
        channel=channel,
        direction="out" if channel == "phone" and rng.random() < 0.15 else "in",
        category=category,
        handler=handler,
        created_by=handler,
        updated_by=handler,
        caller_kind="customer",
        # insert_many takes its columns from the first row: every row names them all.
        caller_name="",
        caller_phone="",
        caller_company="",
        customer=None,
        followup_needed=False,
        followup_due=None,
        followup_done_at=None,
        status="active",
        void_reason="",
    )
    who = rng.random()
    if who < 0.12:
        name, company, kind, phone, content, outcome = rng.choice(OUTSIDERS)
        row.update(
            caller_name=name,
            caller_company=company,
            caller_kind=kind,
            caller_phone=phone,
            category="other" if category in ("complaint", "repair") else category,
            content=content,
            outcome=outcome,
        )
        return row
    content, outcome = rng.choice(CONTENT[category])
    product = rng.choice(["车辆", "空调", "冰箱", "洗衣机", "新房", "电动车"])
    row.update(content=content.format(product=product), outcome=outcome)
    if who < 0.22 or not people:
        row.update(
            caller_name=rng.choice(STRANGERS),
            caller_phone=f"1{rng.choice([35, 37, 38, 39, 58, 86])}{rng.randrange(10**8):08d}",
            caller_kind="other" if rng.random() < 0.3 else "customer",
        )
    else:
        customer_id, name, mobile, company, kind = rng.choice(people)
        row.update(
            customer=customer_id,
            caller_name=name if kind != "company" else "",
            caller_company=company or (name if kind == "company" else ""),
            caller_phone=mobile,
        )
    if channel in ("wechat", "qq", "email", "letter") and rng.random() < 0.5:
        row["caller_phone"] = ""
        row["caller_name"] = row["caller_name"] or row["caller_company"]
    if (
        category in ("repair", "complaint", "order") and rng.random() < 0.35
    ) or rng.random() < 0.05:
        _followup(rng, row, at, now)
    if rng.random() < 0.006:
        row.update(status="voided", void_reason="重复登记")
    return row
