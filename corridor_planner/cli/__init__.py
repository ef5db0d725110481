"""The ``corridor-planner`` command line: ``parser`` (commands and options), ``commands`` (what each does), ``format`` (output).

Run it as ``corridor-planner`` or ``python -m corridor_planner``; :func:`main` is the entry point.
"""

from .commands import main
from .parser import COMMANDS, build_parser

__all__ = ["COMMANDS", "build_parser", "main"]
