"""Prompts as files: `prompts.load(name)` for a model's system and user parts."""

from prompts.loader import Prompt, PromptError, load

__all__ = ["Prompt", "PromptError", "load"]
