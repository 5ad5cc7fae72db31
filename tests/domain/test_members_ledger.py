"""The points ledger always adds up: random sequences of every card operation, refused or not."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from csoffice import customers, members
from csoffice import settings as office_settings
from csoffice.db.models import Gift, MemberCard
from csoffice.errors import Conflict, ValidationError

# Weighted so that cards live long enough to earn, redeem and be reissued before a cancel.
OPERATIONS = [
    *["earn"] * 5,
    *["redeem"] * 3,
    *["adjust"] * 2,
    "lost",
    "found",
    "reissue",
    "cancel",
    "expire",
    "bonus",
    "review",
    "void",
]
_phones = itertools.count(13700000000)

steps = st.lists(
    st.tuples(
        st.sampled_from(OPERATIONS),
        st.integers(min_value=1, max_value=30_000),  # an amount, points or quantity seed
        st.integers(min_value=0, max_value=40),  # days since the previous step
    ),
    min_size=1,
    max_size=30,
)


def _level_threshold(card: MemberCard) -> int:
    return card.level.threshold if card.level_id else -1


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(script=steps)
def test_balance_is_the_ledger_sum_after_any_sequence(manager, script):
    office_settings.put(manager, {"members.points_expiry_months": 6})
    customer = customers.create(
        manager,
        customers.CustomerInput(
            name="测试会员", mobile=str(next(_phones)), birthday=dt.date(1980, 1, 1)
        ),
    )
    gift = members.create_gift(manager, "积分礼品", 150, stock=20)
    card_no = members.enrol(manager, customer.id, at=dt.datetime(2023, 1, 1, 9)).card_no
    at = dt.datetime(2023, 1, 1, 10)
    redemptions = []
    for operation, value, days in script:
        at += dt.timedelta(days=days, minutes=1)
        before = members.find_card(card_no)
        try:
            if operation == "earn":
                members.earn(manager, card_no, str(value), at=at)
            elif operation == "adjust":
                members.adjust(manager, card_no, value % 500 - 250 or 1, "校正", at=at)
            elif operation == "redeem":
                redemptions.append(members.redeem(manager, card_no, gift.id, value % 3 + 1, at=at))
                after = members.find_card(card_no)
                # Redeeming takes points, never a level.
                assert _level_threshold(after) == _level_threshold(before)
                # ...and its points (and any that expired on the way).
                assert after.balance <= before.balance - redemptions[-1].points
            elif operation == "lost":
                members.report_lost(manager, card_no, at=at)
            elif operation == "found":
                members.mark_found(manager, card_no, at=at)
            elif operation == "reissue":
                card_no = members.reissue(manager, card_no, "补办", at=at).card_no
                old = members.find_card(before.card_no)
                assert (old.status, old.balance) == ("replaced", 0)
                # Everything moves except points that expired on the way.
                assert 0 <= members.find_card(card_no).balance <= before.balance
            elif operation == "cancel":
                members.cancel(manager, card_no, "退会", at=at)
            elif operation == "expire":
                members.expire_points(manager, at.date())
            elif operation == "bonus":
                members.log_greeting(
                    manager, customer.id, content="生日快乐", give_bonus=True, at=at
                )
            elif operation == "review":
                members.review_levels(manager, at.date())
            elif operation == "void" and redemptions:
                members.void_redemption(manager, redemptions[value % len(redemptions)].id, "退回")
            event(f"{operation} done")
        except (Conflict, ValidationError) as exc:
            event(f"{operation} refused: {type(exc).__name__}")
            # A refused move leaves nothing behind.
            after = members.find_card(before.card_no)
            assert (after.status, after.balance) == (before.status, before.balance)
        assert members.balances_match_ledger() == []
        card = members.find_card(card_no)
        assert card.balance == members.ledger_balance(card.id) >= 0
        assert 0 <= Gift.get_by_id(gift.id).stock <= 20
    assert members.one_current_card_per_customer() == []
    # Stock taken equals the gifts redeemed and not voided.
    kept = sum(r.quantity for r in redemptions if members.handover_slip(r.id).status == "done")
    assert Gift.get_by_id(gift.id).stock == 20 - kept
