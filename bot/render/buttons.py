"""The buttons that travel on scheduled messages and on chat replies alike (pure).

They live here, not with the executors that answer their presses, so the scheduler can
put them on a reminder or an alert without loading every executor.
"""

from __future__ import annotations

from typing import Protocol

from bot.assistant.types import Button


class _HasId(Protocol):
    id: int


def task_buttons(task: _HasId) -> list[Button]:
    """Done / Snooze 1 h / Tomorrow 9:00, as on a reminder."""
    return [Button("Done", f"task_done:{task.id}", str(task.id), style="primary"),
            Button("Snooze 1 h", f"task_snooze:{task.id}", f"{task.id}:1h"),
            Button("Tomorrow 9:00", f"task_snooze:{task.id}", f"{task.id}:tomorrow")]


def lead_buttons(entity_type: str, entity_id: int) -> list[Button]:
    """Claim / Snooze / Draft email on an alert about a contact; a deal with nobody to
    write to gets Claim / Snooze (its value says 'deal:ID')."""
    if entity_type == "contact":
        value = str(entity_id)
        return [Button("Claim", f"lead_claim:{value}", value, style="primary"),
                Button("Snooze", f"lead_snooze:{value}", value),
                Button("Draft email", f"draft_email:{value}", value)]
    value = f"deal:{entity_id}"
    return [Button("Claim", f"lead_claim:deal-{entity_id}", value, style="primary"),
            Button("Snooze", f"lead_snooze:deal-{entity_id}", value)]
