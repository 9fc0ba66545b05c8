"""CRM services: keyword-only functions on a session; no Slack, no LLM."""
