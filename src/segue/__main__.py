"""``python -m segue`` runs the ``segue`` command."""

from segue.cli import main

main()
