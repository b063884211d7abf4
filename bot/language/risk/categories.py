"""What the detector reports: the risk categories, the order they are tried in, and a match."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RiskCategory(StrEnum):
    """The kind of danger a message shows; the values are the keys of risk_terms.yaml."""

    SELF_HARM = "self-harm"
    PHYSICAL_ABUSE = "physical-abuse"
    SEXUAL_ABUSE = "sexual-abuse"
    CHILD_IN_DANGER = "child-in-danger"
    TRAFFICKING = "trafficking"
    FORCED_LABOUR = "forced-labour"
    FORCED_MARRIAGE = "forced-marriage"
    ONLINE_EXPLOITATION = "online-exploitation"
    MEDICAL_EMERGENCY = "medical-emergency"
    DRUGS_ALCOHOL = "drugs-alcohol"
    DISTRESS = "distress"


# The first category that matches wins: danger right now, a body in danger (a baby not
# breathing, poison swallowed by accident) and self-harm first, then specific harms before
# general ones ("forced to scam, beaten if we miss the target" is trafficking), and general
# distress last, so the reply can lead with the most fitting words and hotline.
PRIORITY: tuple[RiskCategory, ...] = (
    RiskCategory.CHILD_IN_DANGER,
    RiskCategory.MEDICAL_EMERGENCY,
    RiskCategory.SELF_HARM,
    RiskCategory.SEXUAL_ABUSE,
    RiskCategory.ONLINE_EXPLOITATION,
    RiskCategory.FORCED_MARRIAGE,
    RiskCategory.TRAFFICKING,
    RiskCategory.FORCED_LABOUR,
    RiskCategory.PHYSICAL_ABUSE,
    RiskCategory.DRUGS_ALCOHOL,
    RiskCategory.DISTRESS,
)


@dataclass(frozen=True)
class RiskMatch:
    """Which category and rule fired; deliberately holds none of the user's words."""

    category: RiskCategory
    term_id: str
    # True when the writer reports someone else ("my friend's uncle..."): the reply then
    # speaks to a witness, not to the person in danger.
    witness: bool = False
