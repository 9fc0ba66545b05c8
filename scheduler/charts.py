"""The weekly digest's funnel chart; drawn in bot.render.charts with the answers' charts."""

from __future__ import annotations

from bot.render.charts import funnel_png

__all__ = ["funnel_png"]
