"""Crisis triage: spot risk words in a message so that emergency numbers come first.

Pure Python over the lists in content/risk_terms.yaml, loaded and validated once and then kept
in memory: the bot calls it before anything touches the database, so it still answers when the
database is down. It keeps nothing it reads: a match names only a category and a rule id.

Both languages are matched the same way, on tokens: English as lowercased, stemmed words;
Khmer, after one normalised spelling, as clusters (a consonant with its subscripts and vowel
signs), so a term never matches inside a cluster and random spaces do not matter. Exclusions
(look-alikes such as "kill time") blank out the tokens they cover before the risk terms are
checked. The term syntax is described at the top of content/risk_terms.yaml.

The modules, in the order a message meets them: khmer and english (normalisation), terms
(validating the file), compiler (terms into rules), matching (rules against a message) and
detector (all of it behind RiskDetector); categories holds the types a match is reported in.
"""

from bot.language.english import normalise_english
from bot.language.khmer import normalise_khmer
from bot.language.risk.categories import PRIORITY, RiskCategory, RiskMatch
from bot.language.risk.detector import RiskDetector

__all__ = [
    "PRIORITY",
    "RiskCategory",
    "RiskDetector",
    "RiskMatch",
    "normalise_english",
    "normalise_khmer",
]
