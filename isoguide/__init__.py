"""isoguide: ISO 9000 / ISO 9001 guidance for small companies, answered from a cited corpus."""

__version__ = "0.1.0"
