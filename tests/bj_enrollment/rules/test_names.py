"""Children are listed by the pinyin of their names (Child.name_pinyin, rules/names.py, whose pypinyin
is imported on first use), kept as the name changes."""

import pytest

from apps.bj_enrollment.models import Child
from tests import factories

pytestmark = pytest.mark.django_db


def test_children_are_ordered_by_the_pinyin_of_their_names():
    for name in ("张三", "王五", "李四", "长孙乐"):
        factories.child(name)
    assert [c.name for c in Child.objects.all()] == ["李四", "王五", "张三", "长孙乐"]
    assert Child.objects.get(name="张三").name_pinyin == "zhang1 san1"

    renamed = Child.objects.get(name="王五")
    renamed.name = "艾米"
    renamed.save()
    assert list(Child.objects.values_list("name", "name_pinyin"))[0] == ("艾米", "ai4 mi3")

    renamed.name = "白雪"
    renamed.save(update_fields=["name"])  # a save of the columns a form changed
    assert Child.objects.values_list("name_pinyin", flat=True).get(pk=renamed.pk) == "bai2 xue3"
