from bot.lean import block_tensorflow

block_tensorflow()

from bot.cli import main  # noqa: E402

raise SystemExit(main())
