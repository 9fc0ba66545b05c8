"""Pipelines and their ordered stages with win probabilities."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from crm_store.errors import BadInput
from crm_store.models import DealStatus, Pipeline, PipelineStage

DEFAULT_STAGES: tuple[tuple[str, str, int, DealStatus | None], ...] = (
    ("lead", "Lead", 10, None),
    ("qualified", "Qualified", 25, None),
    ("demo", "Demo", 40, None),
    ("proposal", "Proposal", 60, None),
    ("negotiation", "Negotiation", 80, None),
    ("won", "Won", 100, DealStatus.WON),
    ("lost", "Lost", 0, DealStatus.LOST),
)


@dataclass(frozen=True)
class StageInfo:
    key: str
    label: str
    position: int
    probability: int
    closes_as: DealStatus | None


def default_pipeline(session: Session, *, team_id: str) -> Pipeline:
    """The workspace's default pipeline, created with the standard stages on first use.

    Kept on the session for its lifetime: one unit of work reads it once, however many
    deals it touches.
    """
    key = ("default_pipeline", team_id)
    cached = session.info.get(key)
    if cached is not None and cached in session:
        return cached
    pipeline = session.scalar(
        select(Pipeline).options(selectinload(Pipeline.stages))
        .where(Pipeline.team_id == team_id, Pipeline.is_default.is_(True))
    )
    if pipeline is None:
        pipeline = Pipeline(team_id=team_id, name="Sales", is_default=True, stages=[
            PipelineStage(key=key, label=label, position=i, probability=p, closes_as=closes)
            for i, (key, label, p, closes) in enumerate(DEFAULT_STAGES)
        ])
        session.add(pipeline)
        session.flush()
    session.info[key] = pipeline
    return pipeline


def stage_map(pipeline: Pipeline) -> dict[str, StageInfo]:
    """Stage key → its label, order and probability."""
    return {s.key: StageInfo(s.key, s.label, s.position, s.probability, s.closes_as)
            for s in pipeline.stages}


def stage_info(pipeline: Pipeline, key: str) -> StageInfo:
    """The named stage of the pipeline, or a BadInput listing the real ones."""
    stages = stage_map(pipeline)
    try:
        return stages[key]
    except KeyError:
        raise BadInput(f"'{key}' is not a stage; the stages are {', '.join(stages)}.") from None
