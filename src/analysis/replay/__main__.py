"""``python -m analysis.replay ROOT ...``: serve dumps over HTTP until Ctrl-C."""

from analysis.replay.server import main

raise SystemExit(main())
