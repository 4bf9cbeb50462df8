"""Text helpers shared by every stage: terms and sentences, person names, LaTeX, figures."""
