"""Run one command and print its wall time and peak memory (the child's maximum RSS) as JSON."""

import json
import resource
import subprocess
import sys
import time


def main() -> int:
    cmd = sys.argv[1:]
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "wall_s": wall,
                "peak_mib": peak_kib / 1024,
                "exit": proc.returncode,
                "stderr": proc.stderr[-2000:],
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
