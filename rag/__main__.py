"""``python -m rag`` is the ``rag`` command (for a checkout run without installing it)."""

import sys

from rag.cli import main

sys.exit(main())
