"""enclaves: the code behind *Seceding for Safety*.

Rooms: ``sources`` (upstream files, checksums), ``pipeline`` (raw → processed tables),
``data`` (``load(name)``), ``geo`` (codes and comparison groups), ``charts`` (theme and
builders), ``sphinx`` (build-time hooks).
"""

__version__ = "0.1.0"
