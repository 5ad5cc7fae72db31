"""Demo answer library: standard answers to the demo's consultations, service phrases and
phrases never to use, and which answers the desk read to callers (some calls found none)."""

from __future__ import annotations

import random

import csoffice.demo.writer as writer
from csoffice import answers
from csoffice.answers import AnswerInput
from csoffice.db.database import db
from csoffice.db.lookup import tuples_of
from csoffice.db.models import AnswerUse, Reception, Staff

ANSWERS = [
    (
        "保养",
        "保养套餐有哪些，多少钱？",
        "基础保养 398 元（机油、机滤、全车检查）；标准保养 698 元（另含空滤、空调滤）；全面保养 998 元（另含火花塞、刹车油）。会员享九折。",
        "保养，套餐，价格",
        ["consult", "repair"],
    ),
    (
        "保养",
        "多久做一次保养？",
        "每 5,000 公里或 6 个月保养一次，以先到者为准；首次保养在 3 个月或 3,000 公里时免费。",
        "保养，周期，首保",
        ["consult", "repair"],
    ),
    (
        "会员",
        "积分能抵扣保养费用吗？",
        "可以，每 100 积分抵 1 元，最多抵扣当次费用的 30%；积分有效期 24 个月。",
        "积分，抵扣，会员",
        ["consult"],
    ),
    (
        "会员",
        "怎样办理会员卡？",
        "到店或来电登记即可办理，凭身份证登记，开卡免费，当天生效。",
        "会员卡，办卡，入会",
        ["consult"],
    ),
    (
        "延保",
        "延保政策和费用是怎样的？",
        "原厂保修期满前可购买延保，1 年 680 元、2 年 1,180 元，覆盖主要部件维修。",
        "延保，保修，费用",
        ["consult"],
    ),
    (
        "门店",
        "门店营业时间？",
        "周一至周日 8:30–18:00 营业，节假日照常营业；售后 24 小时热线 400-000-0000。",
        "营业时间，周末，几点",
        ["consult", "other"],
    ),
    (
        "发票",
        "发票怎么开、多久寄到？",
        "付款后 3 个工作日内开具，电子发票发送至预留邮箱；纸质发票顺丰寄出，2–3 天到达。",
        "发票，开票，邮寄",
        ["consult", "order"],
    ),
    (
        "活动",
        "以旧换新补贴标准？",
        "旧机评估后按残值回收，另补贴 300–800 元，与会员折扣可同享，活动至本月底。",
        "以旧换新，补贴，活动",
        ["consult"],
    ),
    (
        "配件",
        "配件有现货吗，怎么安装？",
        "常用配件门店有现货；非常用配件 3–5 天到货。到货后可预约上门安装，安装费 50 元。",
        "配件，现货，安装",
        ["consult", "repair"],
    ),
    (
        "维修",
        "维修要等多久？",
        "一般维修当天完成；需订配件的 3–5 个工作日；维修期间可申请代步服务。",
        "维修，多久，等待",
        ["repair"],
    ),
    (
        "维修",
        "保修期内维修收费吗？",
        "保修期内非人为损坏免费维修；人为损坏或易损件按价目表收费，维修前先报价。",
        "保修，免费，收费",
        ["repair", "consult"],
    ),
    (
        "交付",
        "订购后多久交付？",
        "现货 3 天内交付；订货 7–15 天，交付前一天电话预约时间。",
        "交付，到货，送货",
        ["order", "consult"],
    ),
]
PHRASES = [
    ("开场", "您好，客服中心，我是工号 ××，请问有什么可以帮您？"),
    ("确认", "请您稍等，我马上为您查询。"),
    ("致歉", "给您带来不便，非常抱歉，我们会尽快处理。"),
    ("转交", "这个问题由我们售后部处理，我来帮您联系，并在今天下班前给您回电。"),
    ("结束", "感谢您的来电，祝您生活愉快，再见。"),
]
TABOO = ["这不归我管", "我不知道", "你自己看说明书", "不是跟你说过了吗", "有意见找领导去"]


def create(actor: Staff, rng: random.Random) -> int:
    """The library and its uses; returns how many entries were made."""
    ids = []
    for topic, question, text, keywords, categories in ANSWERS:
        ids.append(
            answers.create(
                actor, AnswerInput("answer", topic, question, text, keywords, categories)
            ).id
        )
    for topic, text in PHRASES:
        answers.create(actor, AnswerInput("phrase", topic, "", text))
    for text in TABOO:
        answers.create(actor, AnswerInput("taboo", "", "", text))
    index = answers.suggestion_index()
    uses = []
    consults = (
        Reception.select(
            Reception.id,
            Reception.content,
            Reception.category,
            Reception.received_at,
            Reception.handler,
        )
        .where(Reception.category.in_(["consult", "repair", "order"]), Reception.status == "active")
        .order_by(Reception.id)
    )
    for reception_id, content, category, at, handler in tuples_of(consults):
        if rng.random() < 0.6:
            found = index.suggest(content, category, 1)
            if found:
                uses.append((reception_id, found[0].id, handler, at))
            elif rng.random() < 0.5:
                uses.append((reception_id, None, handler, at))
        elif rng.random() < 0.04:
            uses.append((reception_id, None, handler, at))
    with db.atomic():
        writer.insert(AnswerUse, ["reception", "answer", "staff", "at"], uses)
    answers.invalidate()
    return len(ids) + len(PHRASES) + len(TABOO)
