"""Content as files: the loader that turns content/ and handbooks/ into library items."""
