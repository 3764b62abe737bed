"""The writers' quality gate: small checks over each topic's doctree, reported together.

Each check is a module with ``check(ctx, doc) -> iterable of Finding`` (model.py: ``doc``
is one document, its doctree, its file and its Topic). The ``carepress-check`` builder
(builder.py) runs them over the doctrees every other build shares, adds the
whole-project checks (external links, Sphinx's own warnings) and writes one report.
"""
