"""Questions editors pin first for a query (a placeholder until promotions land)."""


def public_promoted_ids(query: str) -> list[int]:
    return []
