"""iza-kg: a linked-data knowledge graph of Dutch regional IZA health-care plans."""

__version__ = "0.1.0"
