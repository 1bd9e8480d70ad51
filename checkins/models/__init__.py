from checkins.models.checkins import Acknowledgement, CheckIn, CheckinSettings
from checkins.models.prompts import Prompt, PromptAssignment

__all__ = ["Acknowledgement", "CheckIn", "CheckinSettings", "Prompt", "PromptAssignment"]
