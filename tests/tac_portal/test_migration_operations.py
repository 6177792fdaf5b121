"""CreateModels: a squashed migration's tables in one operation, with the same state as its
operations one by one, and nothing it does not create."""

from __future__ import annotations

import pytest
from django.db import migrations, models
from django.db.migrations.state import ProjectState

from tac_portal.migration_operations import CreateModels

OPERATIONS = [
    migrations.CreateModel(
        name="Parent", fields=[("id", models.BigAutoField(primary_key=True, serialize=False))]
    ),
    migrations.CreateModel(
        name="Child",
        fields=[
            ("id", models.BigAutoField(primary_key=True, serialize=False)),
            ("name", models.CharField(max_length=20)),
        ],
    ),
    migrations.AddField(
        model_name="child",
        name="parent",
        field=models.ForeignKey(on_delete=models.CASCADE, to="scratch.parent"),
    ),
    migrations.AddIndex(
        model_name="child", index=models.Index(fields=["parent", "name"], name="child_idx")
    ),
]


def _state(operations: list[migrations.operations.base.Operation]) -> ProjectState:
    state = ProjectState()
    state.apps  # noqa: B018 - rendered, as the migration executor leaves it
    for operation in operations:
        operation.state_forwards("scratch", state)
    return state


def test_it_leaves_the_state_its_operations_leave_one_by_one() -> None:
    together = _state([CreateModels(OPERATIONS)])
    one_by_one = _state(OPERATIONS)
    assert together.models == one_by_one.models
    child = together.apps.get_model("scratch", "Child")
    assert [f.name for f in child._meta.get_fields()] == ["id", "name", "parent"]
    assert [i.name for i in child._meta.indexes] == ["child_idx"]


def test_it_refuses_an_operation_on_a_model_it_does_not_create() -> None:
    with pytest.raises(ValueError, match="not a model this operation creates"):
        CreateModels([OPERATIONS[0], OPERATIONS[2]])


def test_it_describes_and_deconstructs_itself() -> None:
    operation = CreateModels(OPERATIONS)
    assert operation.describe() == "Create 2 models: Parent, Child"
    name, args, kwargs = operation.deconstruct()
    assert (name, args, kwargs) == ("CreateModels", [OPERATIONS], {})
