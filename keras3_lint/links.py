"""Where a rule's documentation lives.

The reference pages are generated into the repository's top-level ``rules/`` folder; this is
the one place to change once the project has a public address for them.
"""

DOCS_PATH_TEMPLATE = "rules/{code}.md"


def rule_url(code: str) -> str:
    return DOCS_PATH_TEMPLATE.format(code=code)
