"""JSON errors for the public API, in Dutch and English, never a stack trace."""
from __future__ import annotations

from aiohttp import web

MESSAGES: dict[str, tuple[str, str]] = {
    "invalid_json": ("Stuur geldige JSON.", "Send valid JSON."),
    "invalid_body": ("Stuur een JSON-object met sender en message.",
                     "Send a JSON object with sender and message."),
    "invalid_sender": ("De sender moet een UUID zijn.", "The sender must be a UUID."),
    "invalid_message": ("Het bericht moet tekst zijn, niet leeg.", "The message must be non-empty text."),
    "message_too_long": ("Het bericht is te lang. Maximaal 1000 tekens.",
                         "The message is too long. At most 1000 characters."),
    "invalid_characters": ("Het bericht bevat tekens die niet kunnen.",
                           "The message contains characters that are not allowed."),
    "invalid_metadata": ("De metadata moet een JSON-object zijn.", "The metadata must be a JSON object."),
    "unavailable": ("Klik is even niet bereikbaar. Probeer het zo opnieuw.",
                    "Klik is unavailable for a moment. Please try again."),
    "not_found": ("Deze pagina bestaat niet.", "This page does not exist."),
    "method_not_allowed": ("Deze methode kan hier niet.", "This method is not allowed here."),
    "too_large": ("Het verzoek is te groot.", "The request is too large."),
    "internal": ("Er ging iets mis. Probeer het opnieuw.", "Something went wrong. Please try again."),
}


def json_error(code: str, status: int) -> web.Response:
    nl, en = MESSAGES[code]
    return web.json_response({"error": {"code": code, "nl": nl, "en": en}}, status=status)
