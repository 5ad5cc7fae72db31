"""Every way a caller identifies themselves finds their file."""

from __future__ import annotations

import pytest

from csoffice import customers
from csoffice.customers import CustomerInput, SearchFilter
from csoffice.db.models import MemberCard


@pytest.fixture
def database(any_database):
    """Every test here runs on SQLite and on PostgreSQL (search must not depend on the backend)."""
    return any_database


@pytest.fixture
def archive(clerk):
    people = {
        "zhangsan": CustomerInput(
            name="张三",
            mobile="13812345678",
            id_number="11010519491231002X",
            company="幸福汽车销售有限公司",
        ),
        "zhangsanfeng": CustomerInput(name="张三丰", mobile="13912340000", tags=["老客户"]),
        "zeng": CustomerInput(name="曾国藩", mobile="13700005678", customer_class="vip"),
        "shan": CustomerInput(name="单田芳", mobile="13600001111"),
        "xie": CustomerInput(name="解晓东", mobile="13500002222"),
        "ou": CustomerInput(name="区志强", mobile="13400003333"),
        "piao": CustomerInput(name="朴美兰", mobile="13300004444"),
        "yue": CustomerInput(name="乐嘉怡", mobile="13200005555"),
        "rare": CustomerInput(name="刘䶮", mobile="13100006666"),
        "wang": CustomerInput(name="王芳", mobile="15000007777", tags=["团购", "老客户"]),
    }
    ids = {key: customers.create(clerk, data).id for key, data in people.items()}
    MemberCard.create(card_no="8800012345", customer=ids["wang"])
    return ids


def find(text: str, **filters) -> list[int]:
    return customers.search_ids(SearchFilter(text=text, **filters))


def test_one_character_finds_every_name_containing_it(archive):
    assert set(find("张")) == {archive["zhangsan"], archive["zhangsanfeng"]}
    assert find("䶮") == [archive["rare"]]
    assert set(find("三")) == {archive["zhangsan"], archive["zhangsanfeng"]}


def test_two_and_three_characters(archive):
    assert set(find("张三")) == {archive["zhangsan"], archive["zhangsanfeng"]}
    assert find("张三丰") == [archive["zhangsanfeng"]]
    assert find("刘䶮") == [archive["rare"]]
    assert find("三丰张") == []


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("zgf", "zeng"),
        ("zengguofan", "zeng"),
        ("zeng", "zeng"),
        ("stf", "shan"),
        ("shantianfang", "shan"),
        ("xxd", "xie"),
        ("xie", "xie"),
        ("ouzhiqiang", "ou"),
        ("piaomeilan", "piao"),
        ("yuejiayi", "yue"),
        ("liuyan", "rare"),
    ],
)
def test_surname_readings(archive, text, key):
    assert archive[key] in find(text)


def test_initials_and_full_pinyin_prefix(archive):
    assert set(find("zs")) == {archive["zhangsan"], archive["zhangsanfeng"]}
    assert find("zsf") == [archive["zhangsanfeng"]]
    assert set(find("zhangs")) == {archive["zhangsan"], archive["zhangsanfeng"]}
    assert find("ZSF") == [archive["zhangsanfeng"]]


def test_phone_whole_prefix_and_last_four(archive):
    assert find("13812345678") == [archive["zhangsan"]]
    assert find("138 1234 5678") == [archive["zhangsan"]]
    assert set(find("139123")) == {archive["zhangsanfeng"]}
    assert set(find("5678")) == {archive["zhangsan"], archive["zeng"]}


def test_id_number_and_card_number(archive):
    assert find("11010519491231002X") == [archive["zhangsan"]]
    assert find("11010519491231002x") == [archive["zhangsan"]]
    assert find("8800012345") == [archive["wang"]]
    assert find("880001") == [archive["wang"]]


def test_company(archive):
    assert find("幸福汽车") == [archive["zhangsan"]]
    assert find("幸福") == [archive["zhangsan"]]


def test_filters_by_class_and_tag(archive):
    assert find("", customer_class="vip") == [archive["zeng"]]
    assert set(find("", tag="老客户")) == {archive["zhangsanfeng"], archive["wang"]}
    assert find("王", tag="团购") == [archive["wang"]]


def test_sorting(archive):
    by_name = find("")
    assert (
        by_name[0] == archive["rare"] and by_name[-1] == archive["zhangsanfeng"]
    )  # liuyan … zhangsanfeng
    by_mobile = customers.search_ids(SearchFilter(sort="mobile", descending=True))
    assert by_mobile[0] == archive["wang"]


def test_nothing_matches_nonsense(archive):
    assert find("qqqqqq") == []
    assert find("!!!") == []


def test_rows_mask_nothing_themselves_and_keep_order(archive):
    ids = [archive["wang"], archive["zeng"]]
    rows = customers.rows(ids)
    assert [r.id for r in rows] == ids
    assert rows[0].card_no == "8800012345"
