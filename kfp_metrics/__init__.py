"""KFP-nyckeltal: validering, frågor och nyckeltal för kompetensförsörjningsplanen."""

__version__ = "0.1.0"
