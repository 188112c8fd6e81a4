"""Which of the service's languages a text is written in, from its letters and words.

Enough to label a vacancy or a CV (`lang` attributes, filters, the matching reasons)
when its author did not say; the author's choice always wins.
"""

import re

ARABIC = re.compile(r"[\u0600-\u06FF]")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
AZERBAIJANI_LETTERS = re.compile(r"[əğıİşŞÇçÖöÜüƏĞ]")
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
FRENCH_WORDS = {
    "le", "la", "les", "des", "du", "une", "et", "est", "pour", "avec", "dans", "sur",
    "nous", "vous", "au", "aux", "poste", "expérience", "être", "travail",
}  # fmt: skip
ENGLISH_WORDS = {
    "the", "and", "of", "for", "with", "in", "to", "is", "are", "we", "you", "our",
    "experience", "work", "job", "skills",
}  # fmt: skip


def guess_language(text: str) -> str | None:
    """'ar', 'ru', 'az', 'fr' or 'en'; None when the text is too short to tell."""
    text = text or ""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 12:
        return None
    arabic = len(ARABIC.findall(text))
    cyrillic = len(CYRILLIC.findall(text))
    if arabic > len(letters) / 3:
        return "ar"
    if cyrillic > len(letters) / 3:
        return "ru"
    if len(AZERBAIJANI_LETTERS.findall(text)) >= 2:
        return "az"
    words = [w.lower() for w in WORD.findall(text)]
    french = sum(w in FRENCH_WORDS for w in words) + 2 * sum(c in "éèêàçùâôî" for c in text.lower())
    english = sum(w in ENGLISH_WORDS for w in words)
    if french > english:
        return "fr"
    if english:
        return "en"
    return None
