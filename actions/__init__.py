"""Rasa SDK actions: thin adapters from a conversation to the domain core in bot/."""
from bot.lean import block_tensorflow

block_tensorflow()
