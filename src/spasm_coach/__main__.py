"""`python -m spasm_coach` runs the same command line as `spasm-coach`."""

from spasm_coach.cli import main

main()
