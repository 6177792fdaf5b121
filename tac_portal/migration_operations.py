"""Migration operations of the project's own.

``CreateModels`` makes a squashed migration's tables in one step. Run one by one, each
``CreateModel``, ``AddField``, ``AddConstraint`` or ``AddTrigger`` has Django render
again every model related to the one it touches, and since nearly every model refers to
the user, that is nearly every model, some 400 times for the squashed migrations. Here
the operations change the migration state without rendering it, and the tables are then
made from the final state: each with all of its columns, constraints, indexes and
triggers, the foreign keys and indexes added once every table exists (the schema
editor's deferred SQL).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import migrations
from django.db.migrations.operations.base import Operation
from django.db.migrations.state import ProjectState


class CreateModels(Operation):
    """``operations`` (creating models, then adding fields, constraints, indexes and
    triggers to models created here) as one operation."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, operations: Sequence[Operation]) -> None:
        self.operations = list(operations)
        made = [op for op in self.operations if isinstance(op, migrations.CreateModel)]
        self.model_names = [op.name for op in made]
        created = {op.name_lower for op in made}
        for op in self.operations:
            if isinstance(op, migrations.CreateModel):
                continue
            model_name = getattr(op, "model_name_lower", None)
            if model_name not in created:
                raise ValueError(f"{op.describe()}: not a model this operation creates")

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [self.operations], {})

    def describe(self) -> str:
        return f"Create {len(self.model_names)} models: {', '.join(self.model_names)}"

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        # Without rendered apps, each operation only records its change; the migration
        # executor renders the state once, when it is next needed.
        state.__dict__.pop("apps", None)
        for operation in self.operations:
            operation.state_forwards(app_label, state)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        for name in self.model_names:
            model = to_state.apps.get_model(app_label, name)
            if self.allow_migrate_model(schema_editor.connection.alias, model):
                schema_editor.create_model(model)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        for name in reversed(self.model_names):
            model = from_state.apps.get_model(app_label, name)
            if self.allow_migrate_model(schema_editor.connection.alias, model):
                schema_editor.delete_model(model)
