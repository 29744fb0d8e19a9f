"""The customer's side (docs/procedure.md §2, §6, §8): portal, confirmation, answers, surveys, follow-up calls, knowledge base."""
