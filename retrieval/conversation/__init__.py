"""Conversations: follow-up questions read against the turns before them ("the second one", "compare it with
RT-1", "what about 2021?", "more", "summarize it"), kept in memory per conversation key."""

from retrieval.conversation.models import Conversation, ConversationReply, FollowUp, Reference, SimilarPapers, Turn
from retrieval.conversation.service import ConversationService
from retrieval.conversation.store import ConversationStore

__all__ = [
    "Conversation",
    "ConversationReply",
    "ConversationService",
    "ConversationStore",
    "FollowUp",
    "Reference",
    "SimilarPapers",
    "Turn",
]
