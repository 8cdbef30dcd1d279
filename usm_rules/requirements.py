"""The ten USM requirements for calling something a process (USM.md), plus 0 for readable input."""

from __future__ import annotations

REQUIREMENTS = {
    0: "The input can be read and understood (load and schema)",
    1: "Describes what happens in sequence, not who or how",
    2: "Can be interpreted with a verb",
    3: "Can be counted",
    4: "Does not depend on practical conditions",
    5: "Has a customer-relevant and unique purpose",
    6: "Can be split into sub-processes without changing it",
    7: "A process model organises the processes",
    8: "The model is integral: it holds all service-management activities",
    9: "The model is integrated: each activity occurs only once",
    10: "All activities are steered by process control",
}
