"""Case-specific analysis: comparison groups, derived series, chart assembly and claim evaluators.

One module per case chapter (``tancitaro``, ``monterrey``, ``nezahualcoyotl``) and one for the
cross-case chapter. Chapters call these; logic used by two chapters moves up into
``enclaves.series``, ``enclaves.charts``, ``enclaves.models`` or ``enclaves.stats``.
"""
