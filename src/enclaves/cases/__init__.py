"""The cases: one package per case (``enclaves.cases.<slug>``), all with the same modules and calls (see
:mod:`enclaves.cases.base`), listed in one table (:mod:`enclaves.cases.registry`, reading
``data/mappings/cases.csv``); ``cross_case`` holds the cross-case analysis in the same shape, ``compare``
puts the cases side by side, and ``generic`` is what a new case starts from (``python -m enclaves new-case``).
Logic used by two chapters lives in ``enclaves.stats``, ``enclaves.series``, ``enclaves.charts`` or
``enclaves.models``.
"""
