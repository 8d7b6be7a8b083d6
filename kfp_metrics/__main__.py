import sys

from kfp_metrics.cli import main

sys.exit(main())
