"""Domain-free helpers that every app uses: times as people read them, plausible input, hostile
input, htmx fragments, filtered lists, spreadsheets, images, names and kana, the session timeout.

``lib`` imports no app of ours (tests/test_import_direction.py), holds no models and no
templates, and knows nothing of children, class days or volunteers: a rule about those belongs
in the app that owns them, and a rule about who may see what in ``classroom/rules.py``.
"""
