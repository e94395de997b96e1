"""``python -m pow_extract.cli``: the same as the ``pow-extract`` command."""

import sys

from pow_extract.cli.app import main

sys.exit(main())
