"""The content model: load, check and render the articles under content/."""

from .loader import load_site
from .model import DISCLAIMER, SECTIONS, Article, Heading, Section, Site, Source

__all__ = ["DISCLAIMER", "SECTIONS", "Article", "Heading", "Section", "Site", "Source", "load_site"]
