"""The gateway: chat API, widget and (later) staff pages, in one aiohttp app."""
