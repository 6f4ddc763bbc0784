"""Klik: domain core, gateway and command line."""
