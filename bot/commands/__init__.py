"""Sub-commands of ``python -m bot``; each module defines ``register(subparsers)``."""
