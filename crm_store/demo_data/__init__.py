"""Word lists and note templates for the demo company (`crm_store.demo`).

Plain data only, so the generator stays readable and the lists are easy to extend.
"""
