"""Keep TensorFlow out of Klik's own processes.

spaCy's thinc imports TensorFlow eagerly when it is installed (Rasa needs it); that costs
seconds and hundreds of MB in the CLI, the gateway and the action server, which never use it.
Call before anything imports spaCy; a no-op inside a Rasa process, and in a process that sets
KLIK_KEEP_TENSORFLOW (the test run, which also loads Rasa's own components).
"""
import os
import sys


def block_tensorflow() -> None:
    if os.environ.get("KLIK_KEEP_TENSORFLOW"):
        return
    if "tensorflow" not in sys.modules and "rasa" not in sys.modules:
        sys.modules["tensorflow"] = None  # makes `import tensorflow` raise ImportError
