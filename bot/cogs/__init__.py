"""One cog per feature; `ResearchBot.setup_hook` adds them all."""

from bot.cogs.admin import AdminCog
from bot.cogs.ask import AskCog
from bot.cogs.feedback import FeedbackCog
from bot.cogs.help import HelpCog
from bot.cogs.metrics import MetricsCog
from bot.cogs.papers import PapersCog
from bot.cogs.researchers import ResearchersCog
from bot.cogs.settings import SettingsCog
from bot.cogs.summary import SummaryCog
from bot.refresh_schedule import RefreshScheduleCog

COGS = (
    AskCog,
    SummaryCog,
    MetricsCog,
    PapersCog,
    AdminCog,
    SettingsCog,
    FeedbackCog,
    ResearchersCog,
    RefreshScheduleCog,
    HelpCog,
)

__all__ = ["COGS"]
